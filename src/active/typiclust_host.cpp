// Host instantiations of TypiClust.
#include "tamis/active/typiclust.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/active/detail/typiclust-inl.hpp"

namespace tamis {
TAMIS_ACTIVE_TYPICLUST_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_ACTIVE_TYPICLUST_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
