// CUDA instantiations of the logit-based OOD scores.
#include "tamis/outlier/ood.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/ood-inl.hpp"

namespace tamis {
TAMIS_OOD_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_OOD_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
