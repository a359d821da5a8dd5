// Bodies of the active-learning scores, written once over a backend: one worker per pool row,
// ensembles through one extra n × C pass for the mean (and the vote shares) per row.
#pragma once
#ifndef TAMIS_ACTIVE_SCORES_HPP_INCLUDED
#error "tamis/active/detail/scores-inl.hpp is internal: include tamis/active/scores.hpp"
#endif

#include <cmath>

#include "tamis/active/detail/checks.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/math.hpp"

namespace tamis::active::detail {

template <typename T>
struct uncertainty_op {
  const T* probs;
  int64_t classes;
  uncertainty kind;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* p = probs + i * classes;
    if (kind == uncertainty::entropy) {
      T h = 0;
      for (int64_t c = 0; c < classes; ++c) h += neg_x_log_x(p[c]);
      out[i] = h;
      return;
    }
    T first = p[0], second = 0;
    for (int64_t c = 1; c < classes; ++c) {
      if (p[c] > first) {
        second = first;
        first = p[c];
      } else if (p[c] > second) {
        second = p[c];
      }
    }
    switch (kind) {
      case uncertainty::least_confidence: out[i] = T(1) - first; break;
      case uncertainty::margin: out[i] = T(1) - (first - second); break;
      default: out[i] = first > T(0) ? second / first : T(0); break;  // ratio
    }
  }
};

/// Row i's mean distribution p̄ (and, for vote scores, the members' vote shares), each n × C.
template <typename T>
struct ensemble_mean_op {
  const T* probs;
  int64_t members;
  int64_t classes;
  T* mean;
  T* votes;  // null: not needed
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* row = probs + i * members * classes;
    T* m = mean + i * classes;
    for (int64_t c = 0; c < classes; ++c) m[c] = 0;
    for (int64_t k = 0; k < members; ++k) {
      for (int64_t c = 0; c < classes; ++c) m[c] += row[k * classes + c];
    }
    for (int64_t c = 0; c < classes; ++c) m[c] /= static_cast<T>(members);
    if (votes == nullptr) return;
    T* v = votes + i * classes;
    for (int64_t c = 0; c < classes; ++c) v[c] = 0;
    for (int64_t k = 0; k < members; ++k) {
      const T* p = row + k * classes;
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c) best = p[c] > p[best] ? c : best;
      v[best] += T(1) / static_cast<T>(members);
    }
  }
};

template <typename T>
struct ensemble_op {
  const T* probs;
  const T* mean;
  const T* votes;
  int64_t members;
  int64_t classes;
  ensemble kind;
  T* out;

  /// KL(p_k ‖ p̄) = Σ_c p_kc ln(p_kc / p̄_c). In exact arithmetic p̄_c ≥ p_kc / K > 0 wherever
  /// p_kc > 0; a subnormal p_kc can still leave p̄_c = 0, and its term (≤ p_kc ln K) is dropped.
  TAMIS_HD T kl_to_mean(const T* p, const T* m) const
  {
    using std::log;
    T kl = 0;
    for (int64_t c = 0; c < classes; ++c) kl += p[c] > T(0) && m[c] > T(0) ? p[c] * log(p[c] / m[c]) : T(0);
    return kl;
  }

  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;
    const T* row = probs + i * members * classes;
    const T* m = mean + i * classes;
    T result = 0;
    switch (kind) {
      case ensemble::consensus_entropy:
        for (int64_t c = 0; c < classes; ++c) result += neg_x_log_x(m[c]);
        break;
      case ensemble::vote_entropy:
        for (int64_t c = 0; c < classes; ++c) result += neg_x_log_x(votes[i * classes + c]);
        break;
      case ensemble::kl_max:
        for (int64_t k = 0; k < members; ++k) {
          T kl = kl_to_mean(row + k * classes, m);
          result = kl > result ? kl : result;
        }
        break;
      case ensemble::kl_mean:
        for (int64_t k = 0; k < members; ++k) result += kl_to_mean(row + k * classes, m);
        result /= static_cast<T>(members);
        break;
      case ensemble::bald: {
        T member_entropy = 0;
        for (int64_t j = 0; j < members * classes; ++j) member_entropy += neg_x_log_x(row[j]);
        for (int64_t c = 0; c < classes; ++c) result += neg_x_log_x(m[c]);
        result -= member_entropy / static_cast<T>(members);
        result = result > T(0) ? result : T(0);  // ≥ 0 by Jensen; rounding may dip below
        break;
      }
      case ensemble::variation_ratio: {
        T top = m[0];
        for (int64_t c = 1; c < classes; ++c) top = m[c] > top ? m[c] : top;
        result = T(1) - top;
        break;
      }
      case ensemble::vote_variation_ratio: {
        const T* v = votes + i * classes;
        T top = v[0];
        for (int64_t c = 1; c < classes; ++c) top = v[c] > top ? v[c] : top;
        result = T(1) - top;
        break;
      }
      default: {  // mean_std, the variance about the mean already at hand (no cancellation)
        for (int64_t c = 0; c < classes; ++c) {
          T var = 0;
          for (int64_t k = 0; k < members; ++k) {
            T dev = row[k * classes + c] - m[c];
            var += dev * dev;
          }
          result += sqrt(var / static_cast<T>(members));
        }
        result /= static_cast<T>(classes);
        break;
      }
    }
    out[i] = result;
  }
};

template <typename Backend, typename T>
void uncertainty_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> probs,
                        uncertainty kind, vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("probs", probs);
  tamis::detail::check_length("out", out, probs.rows);
  check_distributions<Backend>(res, probs, probs.cols);
  Backend::for_each_n(res, probs.rows, uncertainty_op<T>{probs.ptr, probs.cols, kind, out.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void ensemble_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> probs,
                     int64_t members, ensemble kind, vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("probs", probs);
  TAMIS_EXPECTS(members >= 1 && probs.cols % members == 0,
                "members: must be >= 1 and divide the %lld columns (members × classes), got %lld",
                static_cast<long long>(probs.cols), static_cast<long long>(members));
  tamis::detail::check_length("out", out, probs.rows);
  const int64_t classes = probs.cols / members;
  check_distributions<Backend>(res, probs, classes);
  const bool by_votes = kind == ensemble::vote_entropy || kind == ensemble::vote_variation_ratio;
  auto mean = Backend::template allocate<T>(res, probs.rows * classes);
  auto votes = Backend::template allocate<T>(res, by_votes ? probs.rows * classes : 0);
  T* votes_ptr = by_votes ? votes.data() : nullptr;
  Backend::for_each_n(res, probs.rows, ensemble_mean_op<T>{probs.ptr, members, classes, mean.data(), votes_ptr});
  Backend::for_each_n(res, probs.rows,
                      ensemble_op<T>{probs.ptr, mean.data(), votes_ptr, members, classes, kind, out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::active::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_SCORES_DEFINE(T, Space, Backend)                                                       \
  void tamis::active::uncertainty_scores(resources const& res, matrix_view<const T, Space> probs,           \
                                         uncertainty kind, vector_view<T, Space> out)                       \
  {                                                                                                         \
    detail::uncertainty_scores<Backend, T>(res, probs, kind, out);                                          \
  }                                                                                                         \
  void tamis::active::ensemble_scores(resources const& res, matrix_view<const T, Space> probs, int64_t members, \
                                      ensemble kind, vector_view<T, Space> out)                             \
  {                                                                                                         \
    detail::ensemble_scores<Backend, T>(res, probs, members, kind, out);                                    \
  }
