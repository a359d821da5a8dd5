// CUDA instantiations of the PCA detector.
#include "tamis/outlier/pca.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/pca-inl.hpp"

namespace tamis {
TAMIS_PCA_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_PCA_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
