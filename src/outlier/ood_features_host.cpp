// Host instantiations of the feature-based OOD scorers.
#include "tamis/outlier/ood_features.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/ood_features-inl.hpp"

namespace tamis {
TAMIS_OOD_FEATURES_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_OOD_FEATURES_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
