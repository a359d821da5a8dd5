// CUDA instantiations of ProbCover.
#include "tamis/active/probcover.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/probcover-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_PROBCOVER_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_PROBCOVER_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
