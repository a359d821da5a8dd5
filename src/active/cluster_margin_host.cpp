// Host instantiations of Cluster-Margin.
#include "tamis/active/cluster_margin.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/cluster_margin-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_CLUSTER_MARGIN_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_CLUSTER_MARGIN_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
