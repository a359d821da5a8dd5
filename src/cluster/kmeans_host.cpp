// Host instantiations of k-means.
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/cluster/detail/kmeans-inl.hpp"

namespace tamis {
TAMIS_KMEANS_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_KMEANS_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
