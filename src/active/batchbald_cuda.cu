// CUDA instantiations of BatchBALD.
#include "tamis/active/batchbald.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/batchbald-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_BATCHBALD_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_BATCHBALD_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
