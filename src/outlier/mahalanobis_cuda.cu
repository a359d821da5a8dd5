// CUDA instantiations of the column statistics and the Mahalanobis detectors.
#include "tamis/outlier/mahalanobis.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/mahalanobis-inl.hpp"

namespace tamis {
TAMIS_MAHALANOBIS_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_MAHALANOBIS_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
