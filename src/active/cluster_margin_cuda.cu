// CUDA instantiations of Cluster-Margin.
#include "tamis/active/cluster_margin.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/cluster_margin-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_CLUSTER_MARGIN_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_CLUSTER_MARGIN_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
