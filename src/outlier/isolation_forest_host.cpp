// Host instantiations of the isolation forest.
#include "tamis/outlier/isolation_forest.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/isolation_forest-inl.hpp"

namespace tamis {
TAMIS_ISOLATION_FOREST_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ISOLATION_FOREST_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
