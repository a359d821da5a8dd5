// Body of BADGE's seeding, written once over a backend: per row ŷ, ‖a‖² and ‖h‖² once, then per
// pick one O(C + d) factorised-distance pass, a deterministic prefix sum of D² and one search.
#pragma once
#ifndef TAMIS_ACTIVE_BADGE_HPP_INCLUDED
#error "tamis/active/detail/badge-inl.hpp is internal: include tamis/active/badge.hpp"
#endif

#include <cstdint>
#include <limits>
#include <vector>

#include "tamis/active/detail/checks.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/rng.hpp"

namespace tamis::active::badge::detail {

/// Per row: ŷ (arg-max class, lowest on ties), ‖a‖² = (1 − p_ŷ)² + Σ_{c≠ŷ} p_c² (not 1 − 2p_ŷ + ‖p‖²,
/// which cancels to noise on confident rows), ‖h‖²; and the state D²
/// (+inf to start, 0 for labeled rows so they are never drawn) and ‖g‖² (−1 for labeled rows).
template <typename T>
struct row_terms_op {
  const T* probs;
  int64_t classes;
  const T* features;
  int64_t d;
  const uint8_t* labeled;
  int64_t* yhat;
  double* a_norm2;
  double* h_norm2;
  double* dist2;
  double* g_norm2;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* p = probs + i * classes;
    int64_t top = 0;
    for (int64_t c = 1; c < classes; ++c) top = p[c] > p[top] ? c : top;
    double aa = 0;
    for (int64_t c = 0; c < classes; ++c) {
      const double a = (c == top ? 1.0 : 0.0) - static_cast<double>(p[c]);
      aa += a * a;
    }
    const T* h = features + i * d;
    double hh = 0;
    for (int64_t j = 0; j < d; ++j) hh += static_cast<double>(h[j]) * h[j];
    yhat[i] = top;
    a_norm2[i] = aa;
    h_norm2[i] = hh;
    const bool known = labeled != nullptr && labeled[i] != 0;
    dist2[i] = known ? 0.0 : std::numeric_limits<double>::infinity();
    g_norm2[i] = known ? -1.0 : a_norm2[i] * hh;
  }
};

/// D²[i] = min(D²[i], ‖g_i − g_c‖²) by the factorisation, a_i·a_c summed entry by entry (a = e_ŷ − p).
template <typename T>
struct update_op {
  const T* probs;
  int64_t classes;
  const T* features;
  int64_t d;
  const int64_t* yhat;
  const double* a_norm2;
  const double* h_norm2;
  int64_t centre;
  double* dist2;
  TAMIS_HD void operator()(int64_t i) const
  {
    if (dist2[i] == 0.0) return;  // labeled, picked, or a duplicate of a pick
    const T* pi = probs + i * classes;
    const T* pc = probs + centre * classes;
    double adot = 0;
    for (int64_t c = 0; c < classes; ++c) {
      adot += ((c == yhat[i] ? 1.0 : 0.0) - static_cast<double>(pi[c])) *
              ((c == yhat[centre] ? 1.0 : 0.0) - static_cast<double>(pc[c]));
    }
    const T* hi = features + i * d;
    const T* hc = features + centre * d;
    double hdot = 0;
    for (int64_t j = 0; j < d; ++j) hdot += static_cast<double>(hi[j]) * hc[j];
    const double scale = a_norm2[i] * h_norm2[i] + a_norm2[centre] * h_norm2[centre];
    double g = scale - 2 * adot * hdot;
    // The expanded form leaves rounding of order 1e-16 · scale: a duplicate of the centre must read 0,
    // or it would be drawn once every distinct row is taken.
    g = i == centre || g <= 1e-12 * scale ? 0.0 : g;
    dist2[i] = g < dist2[i] ? g : dist2[i];
  }
};

/// One D² draw, read back in a single copy: the total Σ D², the row drawn and its D².
struct draw {
  double total;
  int64_t pick;
  double gain;
};

/// The draw at u · Σ D²: the first i with cumsum[i] > u · cumsum[n − 1], moved on past zero-weight rows
/// (a blocked scan can round a block's first sum one ulp above the previous block's last, so a zero
/// weight could still win).
struct first_above_op {
  const double* cumsum;
  const double* weight;
  int64_t n;
  double u;
  draw* out;
  TAMIS_HD void operator()(int64_t) const
  {
    const double total = cumsum[n - 1], target = u * total;
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (cumsum[mid] > target) hi = mid; else lo = mid + 1;
    }
    while (weight[lo] == 0.0 && lo + 1 < n) ++lo;
    while (weight[lo] == 0.0 && lo > 0) --lo;  // past the last positive weight: the one before it
    *out = {total, lo, weight[lo]};
  }
};

template <typename Backend, typename T>
void select(resources const& res, matrix_view<const T, typename Backend::memory_space> probs,
            matrix_view<const T, typename Backend::memory_space> features,
            vector_view<const uint8_t, typename Backend::memory_space> labeled, uint64_t seed,
            vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<T, typename Backend::memory_space> out_gains)
{
  tamis::detail::check_matrix("probs", probs);
  tamis::detail::check_matrix("features", features);
  const int64_t n = probs.rows, classes = probs.cols, d = features.cols, budget = out_indices.length;
  TAMIS_EXPECTS(features.rows == n, "features: %lld rows, but probs has %lld", static_cast<long long>(features.rows),
                static_cast<long long>(n));
  active::detail::check_selection<Backend>(res, labeled, n, out_indices, out_gains, "out_gains");
  active::detail::check_distributions<Backend>(res, probs, classes);
  tamis::detail::check_finite<Backend>(res, "features", features);

  auto yhat = Backend::template allocate<int64_t>(res, n);
  auto a_norm2 = Backend::template allocate<double>(res, n);
  auto h_norm2 = Backend::template allocate<double>(res, n);
  auto dist2 = Backend::template allocate<double>(res, n);
  auto cumsum = Backend::template allocate<double>(res, n);
  auto found = Backend::template allocate<draw>(res, 1);
  auto g_norm2 = Backend::template allocate<double>(res, n);
  Backend::for_each_n(res, n, row_terms_op<T>{probs.ptr, classes, features.ptr, d, labeled.ptr, yhat.data(),
                                              a_norm2.data(), h_norm2.data(), dist2.data(), g_norm2.data()});
  const auto [first, first_gain] = tamis::detail::argmax<Backend>(res, g_norm2.data(), n);
  std::vector<int64_t> picks{first};
  std::vector<T> gains{static_cast<T>(first_gain)};
  philox_stream rng(seed, 0);
  for (int64_t p = 1;; ++p) {
    Backend::for_each_n(res, n, update_op<T>{probs.ptr, classes, features.ptr, d, yhat.data(), a_norm2.data(),
                                             h_norm2.data(), picks.back(), dist2.data()});
    if (p == budget) break;
    Backend::inclusive_scan(res, dist2.data(), cumsum.data(), n);
    Backend::for_each_n(res, 1, first_above_op{cumsum.data(), dist2.data(), n,
                                               rng.uniform(static_cast<uint64_t>(p)), found.data()});
    draw drawn{};
    Backend::to_host(res, &drawn, found.data(), 1);
    TAMIS_EXPECTS(drawn.total > 0, "budget: only %lld picks were possible: every remaining row duplicates a pick",
                  static_cast<long long>(p));
    picks.push_back(drawn.pick);
    gains.push_back(static_cast<T>(drawn.gain));
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

}  // namespace tamis::active::badge::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_BADGE_DEFINE(T, Space, Backend)                                                          \
  void tamis::active::badge::select(resources const& res, matrix_view<const T, Space> probs,                 \
                                    matrix_view<const T, Space> features, vector_view<const uint8_t, Space> labeled, \
                                    uint64_t seed, vector_view<int64_t, Space> out_indices,                  \
                                    vector_view<T, Space> out_gains)                                         \
  {                                                                                                          \
    detail::select<Backend, T>(res, probs, features, labeled, seed, out_indices, out_gains);                 \
  }
