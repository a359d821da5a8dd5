// CUDA instantiations of BADGE.
#include "tamis/active/badge.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/badge-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_BADGE_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_BADGE_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
