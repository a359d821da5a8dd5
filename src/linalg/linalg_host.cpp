// Host instantiations of linalg.
#include "tamis/linalg/linalg.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/linalg/detail/linalg-inl.hpp"

namespace tamis {
TAMIS_LINALG_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_LINALG_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
