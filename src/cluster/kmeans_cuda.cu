// CUDA instantiations of k-means.
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/cluster/detail/kmeans-inl.hpp"

namespace tamis {
TAMIS_KMEANS_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_KMEANS_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
