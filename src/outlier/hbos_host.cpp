// Host instantiations of HBOS.
#include "tamis/outlier/hbos.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/outlier/detail/hbos-inl.hpp"

namespace tamis {
TAMIS_HBOS_DEFINE(float, host_memory, tamis::detail::host_backend)
TAMIS_HBOS_DEFINE(double, host_memory, tamis::detail::host_backend)
}  // namespace tamis
