// Host instantiations of the batch selections.
#include "tamis/active/select.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/select-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_SELECT_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_SELECT_DEFINE(double, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_RANDOM_DEFINE(host_memory, tamis::detail::host_backend)
}  // namespace tamis
