// Bodies of the batch selections, written once over a backend: one key per row (the score, or
// ln w + Gumbel noise), then the row-wise top-k of select_k over the 1 × n keys.
#pragma once
#ifndef TAMIS_ACTIVE_SELECT_HPP_INCLUDED
#error "tamis/active/detail/select-inl.hpp is internal: include tamis/active/select.hpp"
#endif

#include <cmath>
#include <limits>

#include "tamis/active/detail/checks.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/rng.hpp"
#include "tamis/select/select_k.hpp"

namespace tamis::active::detail {

/// Row i's selection key, in double whatever T: a float key would overflow for large β·s and round
/// the Gumbel noise away next to a large ln w. Labeled rows get −inf and unlabeled ones at least the
/// lowest finite double, so no labeled row can tie an unlabeled one (ln 0 = −inf under `power`).
template <typename T>
struct selection_key_op {
  const T* scores;
  const uint8_t* labeled;  // null: no row is labeled
  const int64_t* rank;     // softrank: 1-based rank of each row by decreasing score
  bool random;
  sampling mode;
  double beta;
  philox_stream rng;
  double* keys;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::log;
    if (labeled != nullptr && labeled[i] != 0) {
      keys[i] = -std::numeric_limits<double>::infinity();
      return;
    }
    double key = static_cast<double>(scores[i]);
    if (random) {
      const double ln_weight = mode == sampling::power     ? beta * log(key)
                               : mode == sampling::softmax ? beta * key
                                                           : -beta * log(static_cast<double>(rank[i]));
      const double u = rng.uniform(static_cast<uint64_t>(i)) + 0x1p-54;  // in (0, 1)
      key = ln_weight - log(-log(u));                                    // + a standard Gumbel draw
    }
    constexpr double lowest = std::numeric_limits<double>::lowest();
    keys[i] = key > lowest ? key : lowest;
  }
};

/// Row i's key for a uniform batch: u_i in (0, 1), the same draw stochastic_top_b perturbs; −inf if labeled.
struct uniform_key_op {
  const uint8_t* labeled;  // null: no row is labeled
  philox_stream rng;
  double* keys;
  TAMIS_HD void operator()(int64_t i) const
  {
    keys[i] = labeled != nullptr && labeled[i] != 0 ? -std::numeric_limits<double>::infinity()
                                                    : rng.uniform(static_cast<uint64_t>(i)) + 0x1p-54;
  }
};

/// Sort keys for the soft ranks: −score, labeled rows last.
template <typename T>
struct rank_sort_key_op {
  const T* scores;
  const uint8_t* labeled;
  T* keys;
  TAMIS_HD void operator()(int64_t i) const
  {
    keys[i] = labeled != nullptr && labeled[i] != 0 ? std::numeric_limits<T>::infinity() : -scores[i];
  }
};

struct scatter_rank_op {
  const int64_t* order;  // rows by decreasing score
  int64_t* rank;
  TAMIS_HD void operator()(int64_t p) const { rank[order[p]] = p + 1; }
};

/// The out_indices.length rows of largest keys (ties: lowest index), best first; their keys into best_keys.
template <typename Backend>
void top_keys(resources const& res, const double* keys, int64_t n,
              vector_view<int64_t, typename Backend::memory_space> out_indices, double* best_keys)
{
  using space = typename Backend::memory_space;
  const int64_t budget = out_indices.length;
  select::select_k(res, matrix_view<const double, space>(keys, 1, n), matrix_view<const int64_t, space>{},
                   matrix_view<double, space>(best_keys, 1, budget),
                   matrix_view<int64_t, space>(out_indices.ptr, 1, budget), false);
}

template <typename Backend>
void select_uniform(resources const& res, int64_t n, vector_view<const uint8_t, typename Backend::memory_space> labeled,
                    uint64_t seed, vector_view<int64_t, typename Backend::memory_space> out_indices,
                    vector_view<double, typename Backend::memory_space> out_keys)
{
  TAMIS_EXPECTS(n >= 1, "n: the pool needs at least one row (got %lld)", static_cast<long long>(n));
  check_selection<Backend>(res, labeled, n, out_indices, out_keys, "out_keys");
  auto keys = Backend::template allocate<double>(res, n);
  Backend::for_each_n(res, n, uniform_key_op{labeled.ptr, philox_stream(seed, 0), keys.data()});
  top_keys<Backend>(res, keys.data(), n, out_indices, out_keys.ptr);
  Backend::sync(res);
}

template <typename Backend, typename T>
void select_by_key(resources const& res, vector_view<const T, typename Backend::memory_space> scores,
                   vector_view<const uint8_t, typename Backend::memory_space> labeled, bool random, sampling mode,
                   double beta, uint64_t seed, vector_view<int64_t, typename Backend::memory_space> out_indices,
                   vector_view<T, typename Backend::memory_space> out_scores)
{
  const int64_t n = scores.length, budget = out_indices.length;
  TAMIS_EXPECTS(n >= 1 && scores.ptr != nullptr, "scores: needs at least one row (got %lld)",
                static_cast<long long>(n));
  check_selection<Backend>(res, labeled, n, out_indices, out_scores, "out_scores");
  tamis::detail::check_finite<Backend>(res, "scores", scores);
  if (random) {
    TAMIS_EXPECTS(beta > 0 && std::isfinite(beta), "beta: must be finite and > 0, got %g", beta);
    const bool power_ok = mode != sampling::power ||
                          tamis::detail::count_if<Backend>(res, scores.ptr, n, tamis::detail::is_negative<T>{}) == 0;
    TAMIS_EXPECTS(power_ok, "scores: power sampling draws ∝ score^beta, so scores must be >= 0");
  }

  auto rank = Backend::template allocate<int64_t>(res, random && mode == sampling::softrank ? n : 0);
  if (random && mode == sampling::softrank) {
    auto order = Backend::template allocate<int64_t>(res, n);
    auto sort_keys = Backend::template allocate<T>(res, n);
    Backend::for_each_n(res, n, rank_sort_key_op<T>{scores.ptr, labeled.ptr, sort_keys.data()});
    Backend::for_each_n(res, n, tamis::detail::iota_op{order.data()});
    Backend::stable_sort_by_key(res, sort_keys.data(), order.data(), n);
    Backend::for_each_n(res, n, scatter_rank_op{order.data(), rank.data()});
  }
  auto keys = Backend::template allocate<double>(res, n);
  Backend::for_each_n(res, n, selection_key_op<T>{scores.ptr, labeled.ptr, rank.data(), random, mode, beta,
                                                  philox_stream(seed, 0), keys.data()});
  auto best_keys = Backend::template allocate<double>(res, budget);
  top_keys<Backend>(res, keys.data(), n, out_indices, best_keys.data());
  Backend::for_each_n(res, budget, tamis::detail::gather_op<T>{scores.ptr, out_indices.ptr, out_scores.ptr});
  Backend::sync(res);
}

}  // namespace tamis::active::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_SELECT_DEFINE(T, Space, Backend)                                                            \
  void tamis::active::top_b(resources const& res, vector_view<const T, Space> scores,                            \
                            vector_view<const uint8_t, Space> labeled, vector_view<int64_t, Space> out_indices, \
                            vector_view<T, Space> out_scores)                                                    \
  {                                                                                                              \
    detail::select_by_key<Backend, T>(res, scores, labeled, false, sampling::power, 1.0, 0, out_indices,         \
                                      out_scores);                                                               \
  }                                                                                                              \
  void tamis::active::stochastic_top_b(resources const& res, vector_view<const T, Space> scores,                 \
                                       vector_view<const uint8_t, Space> labeled, sampling mode, double beta,    \
                                       uint64_t seed, vector_view<int64_t, Space> out_indices,                   \
                                       vector_view<T, Space> out_scores)                                         \
  {                                                                                                              \
    detail::select_by_key<Backend, T>(res, scores, labeled, true, mode, beta, seed, out_indices, out_scores);    \
  }

/// Defines random_b for one Space.
#define TAMIS_ACTIVE_RANDOM_DEFINE(Space, Backend)                                                               \
  void tamis::active::random_b(resources const& res, int64_t n, vector_view<const uint8_t, Space> labeled,       \
                               uint64_t seed, vector_view<int64_t, Space> out_indices,                           \
                               vector_view<double, Space> out_keys)                                              \
  {                                                                                                              \
    detail::select_uniform<Backend>(res, n, labeled, seed, out_indices, out_keys);                               \
  }
