// CUDA instantiations of the batch selections.
#include "tamis/active/select.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/select-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_SELECT_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_SELECT_DEFINE(double, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_RANDOM_DEFINE(device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
