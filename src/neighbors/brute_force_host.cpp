// Host instantiations of exact kNN.
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/neighbors/detail/brute_force-inl.hpp"

namespace tamis {
TAMIS_BRUTE_FORCE_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_BRUTE_FORCE_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
