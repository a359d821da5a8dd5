// Body of HBOS, written once over a backend. Fitting works on the sorted training columns: a bin's
// count is the difference of two binary searches, so the automatic rule's ~n/2 candidate bins per
// feature cost O(n log n), like the sort. Edges replay numpy.linspace's arithmetic in T.
#pragma once
#ifndef TAMIS_OUTLIER_HBOS_HPP_INCLUDED
#error "tamis/outlier/detail/hbos-inl.hpp is internal: include tamis/outlier/hbos.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <vector>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/outlier/detail/ecod-inl.hpp"

namespace tamis::outlier::hbos::detail {

using outlier::detail::count_less;

/// a · b rounded to T and never fused with a following addition (numpy rounds the product first).
template <typename T>
TAMIS_HD inline T product_rounded(T a, T b)
{
#if defined(__CUDA_ARCH__)
  if constexpr (sizeof(T) == sizeof(float)) {
    return __fmul_rn(a, b);
  } else {
    return __dmul_rn(a, b);
  }
#else
  volatile T p = a * b;  // GCC contracts across statements into an FMA under -march=native, even in ISO mode
  return p;
#endif
}

/// numpy.histogram's outer edges of a sorted column: [min, max], widened by ±0.5 when they coincide.
template <typename T>
struct histogram_range {
  T lo;
  T hi;
  TAMIS_HD histogram_range(const T* col, int64_t n) : lo(col[0]), hi(col[n - 1])
  {
    if (lo == hi) {
      lo = lo - T(0.5);
      hi = hi + T(0.5);
    }
  }
  /// Edge k of b equal-width bins: numpy.linspace(lo, hi, b + 1)[k] computed as numpy does, in T.
  TAMIS_HD T edge(int64_t b, int64_t k) const
  {
    if (k == b) return hi;
    const T delta = hi - lo, div = static_cast<T>(b), step = delta / div;
    const T y = step == T(0) ? product_rounded(static_cast<T>(k) / div, delta) : product_rounded(static_cast<T>(k), step);
    return y + lo;
  }
};

/// PyOD's get_optimal_n_bins objective for b = 1 + (item mod candidates) bins of feature item / candidates:
/// Σ_k [h_k · ln(b·h_k/n + 1) − (b − 1 + ln(b)^2.5)], h_k numpy.histogram's counts ([e_k, e_k+1), last closed).
template <typename T>
struct bin_likelihood_op {
  const T* sorted;
  int64_t n;
  int64_t candidates;
  double* out;
  TAMIS_HD void operator()(int64_t item) const
  {
    using std::log;
    using std::pow;
    const int64_t j = item / candidates, b = item - j * candidates + 1;
    const T* col = sorted + j * n;
    const histogram_range<T> range(col, n);
    const double penalty = static_cast<double>(b - 1) + pow(log(static_cast<double>(b)), 2.5);
    double total = 0;
    int64_t below = count_less(col, n, range.edge(b, 0));
    for (int64_t k = 0; k < b; ++k) {
      const int64_t upto = k + 1 < b ? count_less(col, n, range.edge(b, k + 1)) : n;
      const int64_t h = upto - below;
      below = upto;
      total += static_cast<double>(h) * log(static_cast<double>(b * h) / static_cast<double>(n) + 1.0) - penalty;
    }
    out[item] = total;
  }
};

/// bins[j] = 1 + the first argmax of feature j's candidate objectives (numpy.argmax).
struct best_bins_op {
  const double* likelihood;
  int64_t candidates;
  int64_t* bins;
  TAMIS_HD void operator()(int64_t j) const
  {
    const double* l = likelihood + j * candidates;
    int64_t best = 0;
    for (int64_t c = 1; c < candidates; ++c) best = l[c] > l[best] ? c : best;
    bins[j] = best + 1;
  }
};

/// Edge k (of B + 1) and density k (of B) of feature j, item = j · (B + 1) + k; past bins[j], padding.
template <typename T>
struct histogram_fill_op {
  const T* sorted;
  int64_t n;
  int64_t max_bins;
  const int64_t* bins;
  T* edges;
  T* density;
  TAMIS_HD void operator()(int64_t item) const
  {
    const int64_t j = item / (max_bins + 1), k = item - j * (max_bins + 1), b = bins[j];
    const T* col = sorted + j * n;
    const histogram_range<T> range(col, n);
    edges[item] = k <= b ? range.edge(b, k) : range.hi;
    if (k == max_bins) return;
    double dens = 0;
    if (k < b) {
      const T left = range.edge(b, k), right = range.edge(b, k + 1);
      const int64_t count = (k + 1 < b ? count_less(col, n, right) : n) - count_less(col, n, left);
      // numpy: count / width / n, the width taken in T and then widened.
      dens = static_cast<double>(count) / static_cast<double>(static_cast<T>(right - left)) / static_cast<double>(n);
    }
    density[j * max_bins + k] = static_cast<T>(dens);
  }
};

/// Per feature: log2(density + alpha) of its used bins, and their minimum (the far-outside score).
template <typename T>
struct log_density_op {
  const T* density;
  const int64_t* bins;
  int64_t max_bins;
  double alpha;
  double* log_density;
  double* lowest;
  TAMIS_HD void operator()(int64_t j) const
  {
    using std::log2;
    double low = 0;
    for (int64_t k = 0; k < bins[j]; ++k) {
      const double v = log2(static_cast<double>(density[j * max_bins + k]) + alpha);
      log_density[j * max_bins + k] = v;
      low = k == 0 || v < low ? v : low;
    }
    lowest[j] = low;
  }
};

template <typename T>
struct hbos_score_op {
  const T* edges;
  const double* log_density;
  const double* lowest;
  const int64_t* bins;
  int64_t max_bins;
  const T* x;
  int64_t d;
  double tol;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    double sum = 0;
    for (int64_t j = 0; j < d; ++j) {
      const int64_t b = bins[j];
      const T* e = edges + j * (max_bins + 1);
      const double* ls = log_density + j * max_bins;
      const T v = x[i * d + j];
      const int64_t slot = count_less(e, b + 1, v);  // numpy.digitize(v, e, right=True)
      double s;
      if (slot == 0) {
        const double dist = static_cast<double>(e[0]) - static_cast<double>(v);
        const double width = static_cast<double>(e[1]) - static_cast<double>(e[0]);
        s = dist <= width * tol ? ls[0] : lowest[j];
      } else if (slot == b + 1) {
        const double dist = static_cast<double>(v) - static_cast<double>(e[b]);
        const double width = static_cast<double>(e[b]) - static_cast<double>(e[b - 1]);
        s = dist <= width * tol ? ls[b - 1] : lowest[j];
      } else {
        s = ls[slot - 1];
      }
      sum += s;
    }
    out[i] = static_cast<T>(-sum);
  }
};

struct is_negative_or_nonfinite {
  template <typename T>
  TAMIS_HD bool operator()(T v) const { return !(v >= T(0)) || v - v != T(0); }
};

template <typename Backend, typename T>
void fit(resources const& res, matrix_view<const T, typename Backend::memory_space> sorted, int64_t n_bins,
         matrix_view<T, typename Backend::memory_space> edges, matrix_view<T, typename Backend::memory_space> density,
         vector_view<int64_t, typename Backend::memory_space> bins)
{
  outlier::detail::check_sorted_columns<Backend, T>(res, "sorted", sorted);
  const int64_t d = sorted.rows, n = sorted.cols, max_bins = hbos::max_bins(n, n_bins);
  tamis::detail::check_shape("edges", edges, d, max_bins + 1);
  tamis::detail::check_shape("density", density, d, max_bins);
  tamis::detail::check_length("bins", bins, d);
  if (n_bins > 0) {
    std::vector<int64_t> fixed(static_cast<size_t>(d), n_bins);
    Backend::from_host(res, bins.ptr, fixed.data(), d);
  } else {
    auto likelihood = Backend::template allocate<double>(res, d * max_bins);
    Backend::for_each_n(res, d * max_bins, bin_likelihood_op<T>{sorted.ptr, n, max_bins, likelihood.data()});
    Backend::for_each_n(res, d, best_bins_op{likelihood.data(), max_bins, bins.ptr});
  }
  Backend::for_each_n(res, d * (max_bins + 1),
                      histogram_fill_op<T>{sorted.ptr, n, max_bins, bins.ptr, edges.ptr, density.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void scores(resources const& res, matrix_view<const T, typename Backend::memory_space> edges,
            matrix_view<const T, typename Backend::memory_space> density,
            vector_view<const int64_t, typename Backend::memory_space> bins,
            matrix_view<const T, typename Backend::memory_space> x, double alpha, double tol,
            vector_view<T, typename Backend::memory_space> out)
{
  // Edges: finite and ascending per feature (the padding repeats the last edge).
  outlier::detail::check_sorted_columns<Backend, T>(res, "edges", edges);
  const int64_t d = edges.rows, max_bins = edges.cols - 1;
  TAMIS_EXPECTS(max_bins >= 1, "edges: needs at least 2 columns (got %lld)", static_cast<long long>(edges.cols));
  tamis::detail::check_shape("density", density, d, max_bins);
  tamis::detail::check_length("bins", bins, d);
  const int64_t bad_density =
    tamis::detail::count_if<Backend>(res, density.ptr, density.size(), is_negative_or_nonfinite{});
  TAMIS_EXPECTS(bad_density == 0, "density: %lld entries are negative, NaN or infinite",
                static_cast<long long>(bad_density));
  std::vector<int64_t> host_bins(static_cast<size_t>(d));
  Backend::to_host(res, host_bins.data(), bins.ptr, d);
  for (int64_t j = 0; j < d; ++j) {
    TAMIS_EXPECTS(host_bins[j] >= 1 && host_bins[j] <= max_bins, "bins: feature %lld uses %lld bins, outside [1, %lld]",
                  static_cast<long long>(j), static_cast<long long>(host_bins[j]), static_cast<long long>(max_bins));
  }
  TAMIS_EXPECTS(alpha > 0 && std::isfinite(alpha), "alpha: must be finite and > 0, got %g", alpha);
  TAMIS_EXPECTS(tol >= 0 && std::isfinite(tol), "tol: must be finite and >= 0, got %g", tol);
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == d, "x: has %lld features, the histograms have %lld", static_cast<long long>(x.cols),
                static_cast<long long>(d));
  tamis::detail::check_length("out", out, x.rows);
  tamis::detail::check_finite<Backend>(res, "x", x);

  auto log_density = Backend::template allocate<double>(res, d * max_bins);
  auto lowest = Backend::template allocate<double>(res, d);
  Backend::for_each_n(res, d,
                      log_density_op<T>{density.ptr, bins.ptr, max_bins, alpha, log_density.data(), lowest.data()});
  Backend::for_each_n(res, x.rows, hbos_score_op<T>{edges.ptr, log_density.data(), lowest.data(), bins.ptr, max_bins,
                                                    x.ptr, d, tol, out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::outlier::hbos::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_HBOS_DEFINE(T, Space, Backend)                                                                   \
  void tamis::outlier::hbos::fit(resources const& res, matrix_view<const T, Space> sorted, int64_t n_bins,     \
                                 matrix_view<T, Space> edges, matrix_view<T, Space> density,                   \
                                 vector_view<int64_t, Space> bins)                                             \
  {                                                                                                            \
    detail::fit<Backend, T>(res, sorted, n_bins, edges, density, bins);                                        \
  }                                                                                                            \
  void tamis::outlier::hbos::scores(resources const& res, matrix_view<const T, Space> edges,                   \
                                    matrix_view<const T, Space> density, vector_view<const int64_t, Space> bins, \
                                    matrix_view<const T, Space> x, double alpha, double tol,                   \
                                    vector_view<T, Space> out)                                                 \
  {                                                                                                            \
    detail::scores<Backend, T>(res, edges, density, bins, x, alpha, tol, out);                                 \
  }
