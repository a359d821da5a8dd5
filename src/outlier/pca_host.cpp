// Host instantiations of the PCA detector.
#include "tamis/outlier/pca.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/pca-inl.hpp"

namespace tamis {
TAMIS_PCA_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_PCA_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
