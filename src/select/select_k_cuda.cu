// CUDA instantiations of select.
#include "tamis/select/select_k.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/select/detail/select_k-inl.hpp"

namespace tamis {
TAMIS_SELECT_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_SELECT_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
