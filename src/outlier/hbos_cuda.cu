// CUDA instantiations of HBOS.
#include "tamis/outlier/hbos.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/hbos-inl.hpp"

namespace tamis {
TAMIS_HBOS_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_HBOS_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
