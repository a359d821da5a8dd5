// Host instantiations of greedy k-center.
#include "tamis/active/kcenter.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/kcenter-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_KCENTER_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_KCENTER_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
