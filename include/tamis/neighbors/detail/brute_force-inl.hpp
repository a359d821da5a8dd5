// Body of exact kNN, written once over a backend. Per (query tile, database tile): one GEMM into
// the workspace, then one pass folding the tile into each query's running top-k heap.
#pragma once
#ifndef TAMIS_NEIGHBORS_BRUTE_FORCE_HPP_INCLUDED
#error "tamis/neighbors/detail/brute_force-inl.hpp is internal: include tamis/neighbors/brute_force.hpp"
#endif

#include <algorithm>
#include <cstdint>

#include "tamis/core/detail/validate.hpp"
#include "tamis/linalg/linalg.hpp"
#include "tamis/linalg/detail/linalg-inl.hpp"
#include "tamis/select/select_k.hpp"
#include "tamis/select/detail/fold_rows.hpp"
#include "tamis/select/detail/topk_ops.hpp"

namespace tamis::neighbors::detail {

/// A distance tile seen as top-k candidates: keys are the metric's ranking keys. The tile is
/// row-major (row_stride = cols, col_stride = 1) or column-major (1, rows).
template <typename T, distance_metric M>
struct tile_candidates {
  const T* tile;
  int64_t cols;
  int64_t row_stride;
  int64_t col_stride;
  int64_t col_offset;  // database index of tile column 0
  int64_t self_col;    // tile column of the query itself for row 0 (exclude_self), else a huge value
  const T* row_norms;  // already offset to the tile's first query
  const T* col_norms;  // already offset to the tile's first database row
  TAMIS_HD T key(int64_t r, int64_t c) const
  {
    return linalg::detail::ranking_key<T>(M, tile[r * row_stride + c * col_stride], row_norms ? row_norms[r] : T(0),
                                          col_norms ? col_norms[c] : T(0));
  }
  TAMIS_HD int64_t index(int64_t r, int64_t c) const { return c == self_col + r ? -1 : col_offset + c; }
};

template <typename T>
struct distance_of_key {
  distance_metric metric;
  const T* row_norms;
  TAMIS_HD T operator()(int64_t r, T key) const
  {
    return linalg::detail::key_to_distance<T>(metric, key, row_norms ? row_norms[r] : T(0));
  }
};

/// Tile shape under a byte budget: rows × cols × sizeof(T) ≤ budget, cols ≤ the backend's cap.
struct tile_shape {
  int64_t rows;
  int64_t cols;
};
inline tile_shape plan_tiles(int64_t n_rows, int64_t n_cols, int64_t max_rows, int64_t max_cols, size_t budget_bytes,
                             size_t elem_bytes)
{
  int64_t budget = static_cast<int64_t>(budget_bytes / elem_bytes);
  int64_t rows = std::min({n_rows, max_rows, std::max<int64_t>(1, budget)});
  int64_t cols = std::min({n_cols, max_cols, std::max<int64_t>(1, budget / std::max<int64_t>(rows, 1))});
  TAMIS_EXPECTS(rows * cols <= budget, "workspace limit of %zu bytes is too small for one tile", budget_bytes);
  return {rows, cols};
}

template <typename Backend, typename T, distance_metric M>
void knn_tiles(resources const& res, const T* db, int64_t m, const T* q, int64_t n, int64_t d, bool exclude_self,
               const T* db_norms, const T* q_norms, T* keys, int64_t* idx, int64_t k, T* tile, tile_shape shape)
{
  constexpr T alpha = linalg::detail::gemm_alpha<T>(M);
  const int64_t no_self = int64_t{1} << 62;
  for (int64_t r0 = 0; r0 < n; r0 += shape.rows) {
    int64_t rows = std::min(shape.rows, n - r0);
    for (int64_t c0 = 0; c0 < m; c0 += shape.cols) {
      int64_t cols = std::min(shape.cols, m - c0);
      // One worker per query row reads the tile along its row: column-major on a backend whose
      // workers read best side by side (a GPU warp), unless the fold deals the row out instead.
      const bool column_major =
        Backend::column_major_tiles && select::detail::fold_splits(rows, cols, k, Backend::fold_threads) == 1;
      if (column_major) {
        Backend::gemm_nt(res, cols, rows, d, alpha, db + c0 * d, d, q + r0 * d, d, T(0), tile, rows);
      } else {
        Backend::gemm_nt(res, rows, cols, d, alpha, q + r0 * d, d, db + c0 * d, d, T(0), tile, cols);
      }
      tile_candidates<T, M> cand{tile,
                                 cols,
                                 column_major ? 1 : cols,
                                 column_major ? rows : 1,
                                 c0,
                                 exclude_self ? r0 - c0 : no_self,
                                 q_norms ? q_norms + r0 : nullptr,
                                 db_norms ? db_norms + c0 : nullptr};
      select::detail::fold_rows<Backend, T>(res, rows, cand, keys + r0 * k, idx + r0 * k, k);
    }
  }
}

/// The kNN pipeline on checked inputs: empty heaps, every tile folded in, then heaps sorted into
/// distances. Norms are the metric's (needed_norm; null for inner_product); keys/idx are n × k.
/// k-means assignment is this with k = 1 and the centres as the database.
template <typename Backend, typename T>
void knn_unchecked(resources const& res, const T* db, int64_t m, const T* q, int64_t n, int64_t d,
                   distance_metric metric, bool exclude_self, const T* db_norms, const T* q_norms, T* keys,
                   int64_t* idx, int64_t k, T* tile, tile_shape shape)
{
  Backend::for_each_n(res, n * k, select::detail::init_topk_op<T>{keys, idx});
  const bool l2 = metric == distance_metric::sqeuclidean || metric == distance_metric::euclidean;
  linalg::detail::visit_metric(metric, [&](auto mc) {
    knn_tiles<Backend, T, decltype(mc)::value>(res, db, m, q, n, d, exclude_self, db_norms, l2 ? nullptr : q_norms,
                                               keys, idx, k, tile, shape);
  });
  // L2 keys still lack the query's own ‖q‖²: added here to the k survivors only.
  Backend::for_each_n(res, n,
                      select::detail::finish_topk_op<T, distance_of_key<T>>{keys, idx, k, {metric, l2 ? q_norms : nullptr}});
}

template <typename Backend, typename T>
void knn(resources const& res, matrix_view<const T, typename Backend::memory_space> database,
         matrix_view<const T, typename Backend::memory_space> queries, distance_metric metric, bool exclude_self,
         matrix_view<T, typename Backend::memory_space> out_distances,
         matrix_view<int64_t, typename Backend::memory_space> out_indices)
{
  using tamis::detail::check_matrix;
  check_matrix("database", database);
  check_matrix("queries", queries);
  TAMIS_EXPECTS(queries.cols == database.cols, "queries: have %lld features but the database has %lld",
                static_cast<long long>(queries.cols), static_cast<long long>(database.cols));
  if (exclude_self) {
    TAMIS_EXPECTS(queries.rows == database.rows,
                  "exclude_self: query i must be database row i, but there are %lld queries and %lld rows",
                  static_cast<long long>(queries.rows), static_cast<long long>(database.rows));
  }
  const int64_t k = out_distances.cols;
  const int64_t available = database.rows - (exclude_self ? 1 : 0);
  TAMIS_EXPECTS(k >= 1 && k <= available, "k: must be in [1, %lld] for %lld database rows%s, got %lld",
                static_cast<long long>(available), static_cast<long long>(database.rows),
                exclude_self ? " with self excluded" : "", static_cast<long long>(k));
  tamis::detail::check_shape("out_distances", out_distances, queries.rows, k);
  tamis::detail::check_shape("out_indices", out_indices, queries.rows, k);
  tamis::detail::check_finite<Backend>(res, "database", database);
  if (queries.ptr != database.ptr) tamis::detail::check_finite<Backend>(res, "queries", queries);

  const int64_t n = queries.rows, m_rows = database.rows, d = database.cols;
  const bool norms = linalg::detail::needs_norms(metric);
  auto db_norms = Backend::template allocate<T>(res, norms ? m_rows : 0);
  auto q_norms = Backend::template allocate<T>(res, norms ? n : 0);
  if (norms) {
    auto kind = linalg::detail::needed_norm(metric);
    linalg::detail::row_norms_unchecked<Backend>(res, database.ptr, m_rows, d, db_norms.data(), kind);
    linalg::detail::row_norms_unchecked<Backend>(res, queries.ptr, n, d, q_norms.data(), kind);
  }
  size_t norm_bytes = norms ? static_cast<size_t>(n + m_rows) * sizeof(T) : 0;
  size_t limit = resource::get_workspace_limit(res);
  size_t budget = limit > norm_bytes ? limit - norm_bytes : 0;
  tile_shape shape = plan_tiles(n, m_rows, Backend::tile_rows, Backend::tile_cols_cap, budget, sizeof(T));
  auto tile = Backend::template allocate<T>(res, shape.rows * shape.cols);

  knn_unchecked<Backend, T>(res, database.ptr, m_rows, queries.ptr, n, d, metric, exclude_self,
                            norms ? db_norms.data() : nullptr, norms ? q_norms.data() : nullptr, out_distances.ptr,
                            out_indices.ptr, k, tile.data(), shape);
  Backend::sync(res);
}

}  // namespace tamis::neighbors::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_BRUTE_FORCE_DEFINE(T, Space, Backend)                                                               \
  void tamis::neighbors::brute_force::knn(resources const& res, matrix_view<const T, Space> database,              \
                                          matrix_view<const T, Space> queries, distance_metric metric,             \
                                          bool exclude_self, matrix_view<T, Space> out_distances,                  \
                                          matrix_view<int64_t, Space> out_indices)                                 \
  {                                                                                                               \
    tamis::neighbors::detail::knn<Backend, T>(res, database, queries, metric, exclude_self, out_distances,         \
                                              out_indices);                                                       \
  }                                                                                                               \
  void tamis::neighbors::brute_force::knn_graph(resources const& res, matrix_view<const T, Space> data,            \
                                                distance_metric metric, matrix_view<T, Space> out_distances,       \
                                                matrix_view<int64_t, Space> out_indices)                           \
  {                                                                                                               \
    tamis::neighbors::detail::knn<Backend, T>(res, data, data, metric, true, out_distances, out_indices);          \
  }
