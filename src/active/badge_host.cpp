// Host instantiations of BADGE.
#include "tamis/active/badge.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/badge-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_BADGE_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_BADGE_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
