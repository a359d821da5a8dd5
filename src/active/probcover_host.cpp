// Host instantiations of ProbCover.
#include "tamis/active/probcover.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/probcover-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_PROBCOVER_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_PROBCOVER_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
