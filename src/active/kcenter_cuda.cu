// CUDA instantiations of greedy k-center.
#include "tamis/active/kcenter.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/kcenter-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_KCENTER_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_KCENTER_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
