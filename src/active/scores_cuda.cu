// CUDA instantiations of the active-learning scores.
#include "tamis/active/scores.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/scores-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_SCORES_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_SCORES_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
