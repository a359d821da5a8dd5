// CUDA instantiations of TypiClust.
#include "tamis/active/typiclust.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/active/detail/typiclust-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_TYPICLUST_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ACTIVE_TYPICLUST_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
