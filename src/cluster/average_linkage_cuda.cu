// CUDA instantiations of average-linkage HAC.
#include "tamis/cluster/average_linkage.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/cluster/detail/average_linkage-inl.hpp"

namespace tamis {
TAMIS_AVERAGE_LINKAGE_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_AVERAGE_LINKAGE_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
