// CUDA instantiations of the LOF outlier detector.
#include "tamis/outlier/lof.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/lof-inl.hpp"

namespace tamis {
TAMIS_OUTLIER_LOF_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_OUTLIER_LOF_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
