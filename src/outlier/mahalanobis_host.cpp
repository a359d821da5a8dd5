// Host instantiations of the column statistics and the Mahalanobis detectors.
#include "tamis/outlier/mahalanobis.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/mahalanobis-inl.hpp"

namespace tamis {
TAMIS_MAHALANOBIS_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_MAHALANOBIS_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
