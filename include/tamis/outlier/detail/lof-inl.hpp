// Body of LOF, written once over a backend: exact neighbour lists, then three row passes
// (k-distance, lrd, LOF). Memory: the n × k lists, never n × n.
#pragma once
#ifndef TAMIS_OUTLIER_LOF_HPP_INCLUDED
#error "tamis/outlier/detail/lof-inl.hpp is internal: include tamis/outlier/lof.hpp"
#endif

#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/outlier/detail/exact_neighbors.hpp"
#include "tamis/outlier/knn.hpp"
#include "tamis/outlier/detail/knn-inl.hpp"

namespace tamis::outlier::detail {

/// k-distance = the largest of a row's k exact neighbour distances.
template <typename T>
struct row_max_op {
  const T* dist;
  int64_t k;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* row = dist + i * k;
    T top = row[0];
    for (int64_t j = 1; j < k; ++j) top = row[j] > top ? row[j] : top;
    out[i] = top;
  }
};

/// lrd(p) = 1 / (mean over p's neighbours o of max(d(p, o), k-distance(o)) + 1e-10), as sklearn.
template <typename T>
struct lrd_op {
  const T* dist;
  const int64_t* idx;
  int64_t k;
  const T* k_distance;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    T sum = 0;
    for (int64_t j = 0; j < k; ++j) {
      T reach = k_distance[idx[i * k + j]];
      T d = dist[i * k + j];
      sum += d > reach ? d : reach;
    }
    out[i] = T(1) / (sum / T(k) + T(1e-10));
  }
};

/// LOF(p) = mean over p's neighbours o of lrd(o) / lrd(p).
template <typename T>
struct lof_op {
  const int64_t* idx;
  int64_t k;
  const T* train_lrd;
  const T* own_lrd;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    T sum = 0;
    for (int64_t j = 0; j < k; ++j) sum += train_lrd[idx[i * k + j]] / own_lrd[i];
    out[i] = sum / T(k);
  }
};

template <typename Backend, typename T>
void lof_fit(resources const& res, matrix_view<const T, typename Backend::memory_space> train, int64_t k,
             vector_view<T, typename Backend::memory_space> out_k_distance,
             vector_view<T, typename Backend::memory_space> out_lrd,
             vector_view<T, typename Backend::memory_space> out_scores)
{
  check_neighbor_query(train, train, k, train.rows - 1);
  tamis::detail::check_length("out_k_distance", out_k_distance, train.rows);
  tamis::detail::check_length("out_lrd", out_lrd, train.rows);
  tamis::detail::check_length("out_scores", out_scores, train.rows);
  const int64_t n = train.rows;
  auto nb = exact_neighbors<Backend, T>(res, train, train, true, k);
  Backend::for_each_n(res, n, row_max_op<T>{nb.dist.data(), k, out_k_distance.ptr});
  Backend::for_each_n(res, n, lrd_op<T>{nb.dist.data(), nb.idx.data(), k, out_k_distance.ptr, out_lrd.ptr});
  Backend::for_each_n(res, n, lof_op<T>{nb.idx.data(), k, out_lrd.ptr, out_lrd.ptr, out_scores.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void lof_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> train,
                vector_view<const T, typename Backend::memory_space> k_distance,
                vector_view<const T, typename Backend::memory_space> lrd,
                matrix_view<const T, typename Backend::memory_space> queries, int64_t k,
                vector_view<T, typename Backend::memory_space> out)
{
  check_neighbor_query(train, queries, k, train.rows);
  tamis::detail::check_length("k_distance", k_distance, train.rows);
  tamis::detail::check_length("lrd", lrd, train.rows);
  tamis::detail::check_length("out", out, queries.rows);
  const int64_t m = queries.rows;
  auto nb = exact_neighbors<Backend, T>(res, train, queries, false, k);
  auto query_lrd = Backend::template allocate<T>(res, m);
  Backend::for_each_n(res, m, lrd_op<T>{nb.dist.data(), nb.idx.data(), k, k_distance.ptr, query_lrd.data()});
  Backend::for_each_n(res, m, lof_op<T>{nb.idx.data(), k, lrd.ptr, query_lrd.data(), out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::outlier::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_OUTLIER_LOF_DEFINE(T, Space, Backend)                                                                \
  void tamis::outlier::lof_fit(resources const& res, matrix_view<const T, Space> train, int64_t n_neighbors,       \
                               vector_view<T, Space> out_k_distance, vector_view<T, Space> out_lrd,                \
                               vector_view<T, Space> out_scores)                                                   \
  {                                                                                                                \
    detail::lof_fit<Backend, T>(res, train, n_neighbors, out_k_distance, out_lrd, out_scores);                     \
  }                                                                                                                \
  void tamis::outlier::lof_scores(resources const& res, matrix_view<const T, Space> train,                         \
                                  vector_view<const T, Space> k_distance, vector_view<const T, Space> lrd,         \
                                  matrix_view<const T, Space> queries, int64_t n_neighbors,                        \
                                  vector_view<T, Space> out)                                                       \
  {                                                                                                                \
    detail::lof_scores<Backend, T>(res, train, k_distance, lrd, queries, n_neighbors, out);                        \
  }
