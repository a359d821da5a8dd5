// Bodies of greedy k-center, written once over a backend: the initial distances by exact kNN
// (k = 1) against the gathered labeled rows, then per pick one block-wise arg-max and one fused
// distance + running-min pass.
#pragma once
#ifndef TAMIS_ACTIVE_KCENTER_HPP_INCLUDED
#error "tamis/active/detail/kcenter-inl.hpp is internal: include tamis/active/kcenter.hpp"
#endif

#include <cmath>
#include <limits>
#include <vector>

#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace tamis::active::kcenter::detail {

/// Σ_j (a_j − b_j)², the difference form: exactly 0 for equal rows, where the GEMM expansion
/// ‖a‖² + ‖b‖² − 2a·b leaves rounding.
template <typename T>
TAMIS_HD inline T squared_difference(const T* a, const T* b, int64_t d)
{
  T s = 0;
  TAMIS_PRAGMA_SIMD(reduction(+ : s))
  for (int64_t j = 0; j < d; ++j) {
    const T diff = a[j] - b[j];
    s += diff * diff;
  }
  return s;
}

/// min_dist[i] = Σ_j (x_ij − r_j)², r the nearest labeled row the kNN found, recomputed in the
/// difference form: the kNN's expanded form leaves ~1e-9 on rows that duplicate a labeled one.
template <typename T>
struct take_nearest_op {
  const T* x;
  int64_t d;
  const T* rows;  // the gathered labeled rows
  const int64_t* nearest;
  T* min_dist;
  TAMIS_HD void operator()(int64_t i) const
  {
    min_dist[i] = squared_difference(x + i * d, rows + nearest[i] * d, d);
  }
};

/// min_dist[i] = min(min_dist[i], Σ_j (x_ij − x_cj)²), the difference form: exact 0 for the centre.
template <typename T>
struct update_op {
  const T* x;
  int64_t d;
  int64_t centre;
  T* min_dist;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T s = squared_difference(x + i * d, x + centre * d, d);
    min_dist[i] = s < min_dist[i] ? s : min_dist[i];
  }
};

template <typename Backend, typename T>
void init(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
          vector_view<const uint8_t, typename Backend::memory_space> labeled,
          vector_view<T, typename Backend::memory_space> min_dist)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_length("min_dist", min_dist, x.rows);
  if (labeled.ptr != nullptr) tamis::detail::check_length("labeled", labeled, x.rows);
  tamis::detail::check_finite<Backend>(res, "x", x);
  const int64_t n = x.rows, d = x.cols;
  int64_t count = 0;
  auto prefix = Backend::template allocate<int64_t>(res, labeled.ptr != nullptr ? n : 0);
  if (labeled.ptr != nullptr) {
    Backend::for_each_n(res, n, tamis::detail::flag_op<tamis::detail::is_nonzero>{labeled.ptr, {}, prefix.data()});
    Backend::inclusive_scan(res, prefix.data(), prefix.data(), n);
    Backend::to_host(res, &count, prefix.data() + n - 1, 1);
  }
  if (count == 0) {
    Backend::for_each_n(res, n, tamis::detail::fill_op<T>{min_dist.ptr, std::numeric_limits<T>::infinity()});
    Backend::sync(res);
    return;
  }
  auto rows = Backend::template allocate<T>(res, count * d);
  Backend::for_each_n(res, n, tamis::detail::gather_flagged_rows_op<T>{x.ptr, nullptr, d, prefix.data(), 0, count,
                                                                       rows.data(), nullptr});
  auto nearest = Backend::template allocate<T>(res, n);
  auto nearest_idx = Backend::template allocate<int64_t>(res, n);
  neighbors::brute_force::knn(res, matrix_view<const T, space>(rows.data(), count, d), x,
                              distance_metric::sqeuclidean, false, matrix_view<T, space>(nearest.data(), n, 1),
                              matrix_view<int64_t, space>(nearest_idx.data(), n, 1));
  Backend::for_each_n(res, n, take_nearest_op<T>{x.ptr, d, rows.data(), nearest_idx.data(), min_dist.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void add_centres(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                 std::vector<int64_t> const& centres, vector_view<T, typename Backend::memory_space> min_dist)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_length("min_dist", min_dist, x.rows);
  for (int64_t c : centres) {  // all checked before min_dist changes
    TAMIS_EXPECTS(c >= 0 && c < x.rows, "centres: index %lld is outside [0, %lld)", static_cast<long long>(c),
                  static_cast<long long>(x.rows));
  }
  for (int64_t c : centres) Backend::for_each_n(res, x.rows, update_op<T>{x.ptr, x.cols, c, min_dist.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void select(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
            vector_view<T, typename Backend::memory_space> min_dist,
            vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<T, typename Backend::memory_space> out_gains)
{
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, budget = out_indices.length;
  tamis::detail::check_length("min_dist", min_dist, n);
  TAMIS_EXPECTS(budget >= 1 && budget <= n, "budget: must be in [1, %lld], got %lld", static_cast<long long>(n),
                static_cast<long long>(budget));
  tamis::detail::check_length("out_gains", out_gains, budget);
  TAMIS_EXPECTS(out_indices.ptr != nullptr, "out_indices: data pointer is null");
  tamis::detail::check_finite<Backend>(res, "x", x);
  std::vector<int64_t> picks(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  for (int64_t p = 0; p < budget; ++p) {
    const auto [pick, farthest] = tamis::detail::argmax<Backend>(res, min_dist.ptr, n);
    TAMIS_EXPECTS(farthest > T(0), "budget: only %lld picks were possible: every remaining row is a centre or "
                  "duplicates one", static_cast<long long>(p));
    picks[p] = pick;
    gains[p] = std::sqrt(farthest);
    Backend::for_each_n(res, n, update_op<T>{x.ptr, x.cols, pick, min_dist.ptr});
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

}  // namespace tamis::active::kcenter::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_KCENTER_DEFINE(T, Space, Backend)                                                          \
  void tamis::active::kcenter::init(resources const& res, matrix_view<const T, Space> x,                       \
                                    vector_view<const uint8_t, Space> labeled, vector_view<T, Space> min_dist) \
  {                                                                                                            \
    detail::init<Backend, T>(res, x, labeled, min_dist);                                                       \
  }                                                                                                            \
  void tamis::active::kcenter::add_centres(resources const& res, matrix_view<const T, Space> x,                \
                                           std::vector<int64_t> const& centres, vector_view<T, Space> min_dist) \
  {                                                                                                            \
    detail::add_centres<Backend, T>(res, x, centres, min_dist);                                                \
  }                                                                                                            \
  void tamis::active::kcenter::select(resources const& res, matrix_view<const T, Space> x,                     \
                                      vector_view<T, Space> min_dist, vector_view<int64_t, Space> out_indices, \
                                      vector_view<T, Space> out_gains)                                         \
  {                                                                                                            \
    detail::select<Backend, T>(res, x, min_dist, out_indices, out_gains);                                      \
  }
