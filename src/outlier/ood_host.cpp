// Host instantiations of the logit-based OOD scores.
#include "tamis/outlier/ood.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/ood-inl.hpp"

namespace tamis {
TAMIS_OOD_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_OOD_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
