// Body of the logit-based OOD scores: one numerically stable pass per row (max subtracted before
// exp), written once over a backend.
#pragma once
#ifndef TAMIS_OUTLIER_OOD_HPP_INCLUDED
#error "tamis/outlier/detail/ood-inl.hpp is internal: include tamis/outlier/ood.hpp"
#endif

#include <cmath>

#include "tamis/core/detail/validate.hpp"
#include "tamis/core/math.hpp"
#include "tamis/core/macros.hpp"

namespace tamis::outlier::ood::detail {

template <typename T>
struct logit_score_op {
  const T* logits;
  int64_t classes;
  logit_score kind;
  T temperature;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::log;  // the float overload on the host; CUDA's on the device
    const T* f = logits + i * classes;
    T top = f[0];
    if (classes >= 64) {  // a vector max pays off on long rows only; short ones stay scalar
      TAMIS_PRAGMA_SIMD(reduction(max : top))
      for (int64_t c = 1; c < classes; ++c) top = f[c] > top ? f[c] : top;
    } else {
      for (int64_t c = 1; c < classes; ++c) top = f[c] > top ? f[c] : top;
    }
    if (kind == logit_score::max_logit) {
      out[i] = -top;
      return;
    }
    // With z = (f − max f) / T ≤ 0: Σ exp(z) ∈ [1, C], so nothing overflows.
    T sum = 0, weighted = 0;
    TAMIS_PRAGMA_SIMD(reduction(+ : sum, weighted))
    for (int64_t c = 0; c < classes; ++c) {
      T z = (f[c] - top) / temperature;
      T e = exp_nonpositive(z);
      sum += e;
      weighted += e * z;
    }
    T log_sum = log(sum);
    switch (kind) {
      case logit_score::msp: out[i] = -T(1) / sum; break;                         // max softmax = e⁰ / Σ
      case logit_score::energy: out[i] = -(top + temperature * log_sum); break;   // −T·lse(f/T)
      default: out[i] = log_sum - weighted / sum; break;                          // −Σ p (z − ln Σ)
    }
  }
};

template <typename Backend, typename T>
void logit_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> logits, logit_score kind,
                  T temperature, vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("logits", logits);
  tamis::detail::check_length("out", out, logits.rows);
  TAMIS_EXPECTS(temperature > T(0) && std::isfinite(static_cast<double>(temperature)),
                "temperature: must be finite and > 0, got %g", static_cast<double>(temperature));
  tamis::detail::check_finite<Backend>(res, "logits", logits);
  Backend::for_each_n(res, logits.rows, logit_score_op<T>{logits.ptr, logits.cols, kind, temperature, out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::outlier::ood::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_OOD_DEFINE(T, Space, Backend)                                                                 \
  void tamis::outlier::ood::logit_scores(resources const& res, matrix_view<const T, Space> logits,          \
                                         logit_score kind, T temperature, vector_view<T, Space> out)        \
  {                                                                                                         \
    detail::logit_scores<Backend, T>(res, logits, kind, temperature, out);                                  \
  }
