// Exact k-nearest neighbours: GEMM tiles folded straight into per-row top-k heaps, so no
// queries × database matrix ever exists. Memory: inputs + outputs + the handle's workspace limit.
#pragma once
#define TAMIS_NEIGHBORS_BRUTE_FORCE_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/linalg/distance_types.hpp"

namespace tamis::neighbors::brute_force {

#define TAMIS_BRUTE_FORCE_DECLARE(T, Space)                                                                   \
  /** For each query row, the k nearest database rows, nearest first (inner_product: largest first).         \
      k = out_distances.cols, 1 ≤ k ≤ database rows (− 1 with exclude_self). exclude_self: query i is       \
      database row i and never its own neighbour (queries must then have the database's shape). Ties break   \
      by the lower database index. NaN/Inf inputs are rejected. */                                            \
  void knn(resources const& res, matrix_view<const T, Space> database, matrix_view<const T, Space> queries,    \
           distance_metric metric, bool exclude_self, matrix_view<T, Space> out_distances,                    \
           matrix_view<int64_t, Space> out_indices);                                                          \
  /** The k-nearest-neighbour graph of a set against itself, self excluded: out is n×k. */                    \
  void knn_graph(resources const& res, matrix_view<const T, Space> data, distance_metric metric,              \
                 matrix_view<T, Space> out_distances, matrix_view<int64_t, Space> out_indices);

TAMIS_BRUTE_FORCE_DECLARE(float, host_memory)
TAMIS_BRUTE_FORCE_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_BRUTE_FORCE_DECLARE(float, device_memory)
TAMIS_BRUTE_FORCE_DECLARE(double, device_memory)
#endif
#undef TAMIS_BRUTE_FORCE_DECLARE

}  // namespace tamis::neighbors::brute_force
