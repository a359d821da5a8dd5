// Host instantiations of the LOF outlier detector.
#include "tamis/outlier/lof.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/lof-inl.hpp"

namespace tamis {
TAMIS_OUTLIER_LOF_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_OUTLIER_LOF_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
