// CUDA instantiations of exact kNN.
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/neighbors/detail/brute_force-inl.hpp"

namespace tamis {
TAMIS_BRUTE_FORCE_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_BRUTE_FORCE_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
