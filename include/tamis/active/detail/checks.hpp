// Argument checks shared by the active-learning entry points: class probabilities that are
// distributions, and the number of unlabeled rows a budget is drawn from.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/active/detail/checks.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::detail {

/// Counts the probability vectors (runs of `classes` entries) that are not distributions: an
/// entry outside [0, 1] or not finite, or a sum off 1 by more than 1e-4. One worker per vector.
template <typename T>
struct bad_distribution_op {
  const T* probs;
  int64_t classes;
  int64_t* bad;  // one flag per vector
  TAMIS_HD void operator()(int64_t v) const
  {
    const T* p = probs + v * classes;
    double sum = 0;
    bool ok = true;
    for (int64_t c = 0; c < classes; ++c) {
      ok = ok && p[c] >= T(0) && p[c] <= T(1);  // false for NaN
      sum += static_cast<double>(p[c]);
    }
    bad[v] = ok && sum >= 1.0 - 1e-4 && sum <= 1.0 + 1e-4 ? 0 : 1;
  }
};

template <typename Backend, typename T>
void check_distributions(resources const& res, matrix_view<const T, typename Backend::memory_space> probs,
                         int64_t classes)
{
  const int64_t vectors = probs.size() / classes;
  auto flags = Backend::template allocate<int64_t>(res, vectors);
  Backend::for_each_n(res, vectors, bad_distribution_op<T>{probs.ptr, classes, flags.data()});
  const int64_t bad = tamis::detail::sum<Backend>(res, flags.data(), vectors);
  TAMIS_EXPECTS(bad == 0,
                "probs: %lld of %lld probability vectors are not distributions (entries in [0, 1], finite, summing "
                "to 1 within 1e-4)",
                static_cast<long long>(bad), static_cast<long long>(vectors));
}

/// Rows with labeled[i] == 0 (all n when labeled is {}).
template <typename Backend>
int64_t unlabeled_rows(resources const& res, vector_view<const uint8_t, typename Backend::memory_space> labeled,
                       int64_t n)
{
  if (labeled.ptr == nullptr) return n;
  return n - tamis::detail::count_if<Backend>(res, labeled.ptr, n, tamis::detail::is_nonzero{});
}

}  // namespace tamis::active::detail
