// Host instantiations of BatchBALD.
#include "tamis/active/batchbald.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/batchbald-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_BATCHBALD_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_BATCHBALD_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
