// CUDA instantiations of linalg.
#include "tamis/linalg/linalg.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/linalg/detail/linalg-inl.hpp"

namespace tamis {
TAMIS_LINALG_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_LINALG_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
