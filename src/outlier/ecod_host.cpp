// Host instantiations of the sorted-column state and of ECOD / COPOD.
#include "tamis/outlier/ecod.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/ecod-inl.hpp"

namespace tamis {
TAMIS_ECOD_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ECOD_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
