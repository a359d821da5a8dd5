// CUDA instantiations of the feature-based OOD scorers.
#include "tamis/outlier/ood_features.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/ood_features-inl.hpp"

namespace tamis {
TAMIS_OOD_FEATURES_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_OOD_FEATURES_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
