// Shared step of the neighbour-based detectors (KNN, LOF): the k nearest training rows of each
// query by the tiled brute-force search, then their Euclidean distances recomputed directly from
// the rows. The GEMM expansion ‖q‖² + ‖x‖² − 2q·x is right for ranking but loses the small
// distances (a duplicate row comes out at ~1e-8 instead of 0), and LOF divides by them.
#pragma once

#include <cmath>
#include <cstdint>

#include "tamis/core/macros.hpp"
#include "tamis/core/math.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace tamis::outlier::detail {

template <typename T>
struct exact_distance_op {
  const T* train;
  const T* queries;
  int64_t d;
  int64_t k;
  const int64_t* idx;
  T* dist;
  TAMIS_HD void operator()(int64_t e) const
  {
    using std::sqrt;
    const T* q = queries + (e / k) * d;
    const T* x = train + idx[e] * d;
    dist[e] = sqrt(squared_distance(q, x, d));
  }
};

/// Row i's k neighbours in [i·k, (i+1)·k): nearest first up to rounding (the recomputed
/// distances are not re-sorted).
template <typename Backend, typename T>
struct neighbor_lists {
  typename Backend::template buffer<T> dist;
  typename Backend::template buffer<int64_t> idx;
};

/// The k nearest training rows of each query with exact distances; inputs must be checked.
template <typename Backend, typename T>
neighbor_lists<Backend, T> exact_neighbors(resources const& res,
                                           matrix_view<const T, typename Backend::memory_space> train,
                                           matrix_view<const T, typename Backend::memory_space> queries,
                                           bool exclude_self, int64_t k)
{
  using space = typename Backend::memory_space;
  neighbor_lists<Backend, T> out{Backend::template allocate<T>(res, queries.rows * k),
                                 Backend::template allocate<int64_t>(res, queries.rows * k)};
  neighbors::brute_force::knn(res, train, queries, distance_metric::sqeuclidean, exclude_self,
                              matrix_view<T, space>{out.dist.data(), queries.rows, k},
                              matrix_view<int64_t, space>{out.idx.data(), queries.rows, k});
  Backend::for_each_n(res, queries.rows * k,
                      exact_distance_op<T>{train.ptr, queries.ptr, train.cols, k, out.idx.data(), out.dist.data()});
  return out;
}

}  // namespace tamis::outlier::detail
