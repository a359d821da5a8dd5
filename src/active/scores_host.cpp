// Host instantiations of the active-learning scores.
#include "tamis/active/scores.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/scores-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_SCORES_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_SCORES_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
