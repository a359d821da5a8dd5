// CUDA instantiations of the isolation forest (the trees grow on the host, isolation_forest_build.cpp).
#include "tamis/outlier/isolation_forest.hpp"
#include "tamis/core/detail/cuda_backend.cuh"
#include "tamis/outlier/detail/isolation_forest-inl.hpp"

namespace tamis {
TAMIS_ISOLATION_FOREST_DEFINE(float, device_memory, tamis::detail::cuda_backend)
TAMIS_ISOLATION_FOREST_DEFINE(double, device_memory, tamis::detail::cuda_backend)
}  // namespace tamis
