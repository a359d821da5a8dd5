// CUDA instantiations of the sorted-column state and of ECOD / COPOD.
#include "tamis/outlier/ecod.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/ecod-inl.hpp"

namespace tamis {
TAMIS_ECOD_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ECOD_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
