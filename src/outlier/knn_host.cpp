// Host instantiations of the KNN outlier detector.
#include "tamis/outlier/knn.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/knn-inl.hpp"

namespace tamis {
TAMIS_OUTLIER_KNN_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_OUTLIER_KNN_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
