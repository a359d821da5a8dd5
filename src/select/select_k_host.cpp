// Host instantiations of select.
#include "tamis/select/select_k.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/select/detail/select_k-inl.hpp"

namespace tamis {
TAMIS_SELECT_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_SELECT_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
