// Host instantiations of average-linkage HAC.
#include "tamis/cluster/average_linkage.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/cluster/detail/average_linkage-inl.hpp"

namespace tamis {
TAMIS_AVERAGE_LINKAGE_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_AVERAGE_LINKAGE_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
