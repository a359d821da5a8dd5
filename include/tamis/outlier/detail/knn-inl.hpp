// Body of the KNN detector, written once over a backend: exact neighbour distances, then one
// aggregation per row.
#pragma once
#ifndef TAMIS_OUTLIER_KNN_HPP_INCLUDED
#error "tamis/outlier/detail/knn-inl.hpp is internal: include tamis/outlier/knn.hpp"
#endif

#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/outlier/detail/exact_neighbors.hpp"

namespace tamis::outlier::detail {

/// Aggregates a row's k distances. They are sorted up to rounding (recomputed after ranking), so
/// an insertion sort costs O(k) in practice and makes the median exact.
template <typename T>
struct knn_aggregate_op {
  T* dist;
  int64_t k;
  knn_method method;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    T* row = dist + i * k;
    for (int64_t a = 1; a < k; ++a) {
      T v = row[a];
      int64_t b = a;
      for (; b > 0 && row[b - 1] > v; --b) row[b] = row[b - 1];
      row[b] = v;
    }
    switch (method) {
      case knn_method::largest: out[i] = row[k - 1]; break;
      case knn_method::median: out[i] = k % 2 ? row[k / 2] : (row[k / 2 - 1] + row[k / 2]) / T(2); break;
      default: {
        T sum = 0;
        for (int64_t j = 0; j < k; ++j) sum += row[j];
        out[i] = sum / T(k);
      }
    }
  }
};

/// Checks shared by the neighbour-based detectors; `available` is how many neighbours a query has.
template <typename T, typename Space>
void check_neighbor_query(matrix_view<const T, Space> train, matrix_view<const T, Space> queries,
                          int64_t n_neighbors, int64_t available)
{
  tamis::detail::check_matrix("train", train);
  tamis::detail::check_matrix("queries", queries);
  TAMIS_EXPECTS(queries.cols == train.cols, "queries: have %lld features but the training rows have %lld",
                static_cast<long long>(queries.cols), static_cast<long long>(train.cols));
  TAMIS_EXPECTS(n_neighbors >= 1 && n_neighbors <= available,
                "n_neighbors: must be in [1, %lld] with %lld training rows, got %lld",
                static_cast<long long>(available), static_cast<long long>(train.rows),
                static_cast<long long>(n_neighbors));
}

template <typename Backend, typename T>
void knn_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> train,
                matrix_view<const T, typename Backend::memory_space> queries, bool exclude_self, int64_t k,
                knn_method method, vector_view<T, typename Backend::memory_space> out)
{
  check_neighbor_query(train, queries, k, train.rows - (exclude_self ? 1 : 0));
  tamis::detail::check_length("out", out, queries.rows);
  auto nb = exact_neighbors<Backend, T>(res, train, queries, exclude_self, k);
  Backend::for_each_n(res, queries.rows, knn_aggregate_op<T>{nb.dist.data(), k, method, out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::outlier::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_OUTLIER_KNN_DEFINE(T, Space, Backend)                                                                \
  void tamis::outlier::knn_train_scores(resources const& res, matrix_view<const T, Space> train,                   \
                                        int64_t n_neighbors, knn_method method, vector_view<T, Space> out)         \
  {                                                                                                                \
    detail::knn_scores<Backend, T>(res, train, train, true, n_neighbors, method, out);                             \
  }                                                                                                                \
  void tamis::outlier::knn_scores(resources const& res, matrix_view<const T, Space> train,                         \
                                  matrix_view<const T, Space> queries, int64_t n_neighbors, knn_method method,     \
                                  vector_view<T, Space> out)                                                       \
  {                                                                                                                \
    detail::knn_scores<Backend, T>(res, train, queries, false, n_neighbors, method, out);                          \
  }
