// Argument checks shared by the active-learning entry points: class probabilities that are
// distributions, the number of unlabeled rows a budget is drawn from, and a selection's outputs.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/active/detail/checks.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
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

/// The checks every batch selection shares: labeled is {} or one flag per row, the budget
/// (out_indices.length) is in [1, unlabeled rows], out_values holds one value per pick. Returns the
/// number of unlabeled rows.
template <typename Backend, typename V>
int64_t check_selection(resources const& res, vector_view<const uint8_t, typename Backend::memory_space> labeled,
                        int64_t n, vector_view<int64_t, typename Backend::memory_space> out_indices,
                        V out_values, const char* values_name)
{
  if (labeled.ptr != nullptr) tamis::detail::check_length("labeled", labeled, n);
  const int64_t unlabeled = unlabeled_rows<Backend>(res, labeled, n), budget = out_indices.length;
  TAMIS_EXPECTS(budget >= 1 && budget <= unlabeled,
                "budget: must be in [1, %lld] (the unlabeled rows of %lld), got %lld", static_cast<long long>(unlabeled),
                static_cast<long long>(n), static_cast<long long>(budget));
  tamis::detail::check_length(values_name, out_values, budget);
  TAMIS_EXPECTS(out_indices.ptr != nullptr, "out_indices: data pointer is null");
  return unlabeled;
}

}  // namespace tamis::active::detail
