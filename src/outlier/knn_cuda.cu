// CUDA instantiations of the KNN outlier detector.
#include "tamis/outlier/knn.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/knn-inl.hpp"

namespace tamis {
TAMIS_OUTLIER_KNN_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_OUTLIER_KNN_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
