// Batch selection on informativeness scores: the budget best unlabeled rows, or a seeded random
// batch that favours high scores (stochastic acquisition, Kirsch et al., "Stochastic Batch
// Acquisition", TMLR 2023: PowerBALD and its softmax / soft-rank variants).
#pragma once
#define TAMIS_ACTIVE_SELECT_HPP_INCLUDED

#include <cstdint>
#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active {

/// How stochastic_top_b weighs an unlabeled row with score s: rows are drawn one after another
/// without replacement, each with probability ∝ its weight w among those left.
enum class sampling {
  power,     ///< w = s^β, s ≥ 0 required (PowerBALD, baal's PowerSampling)
  softmax,   ///< w = exp(β · s)
  softrank,  ///< w = rank^−β, rank 1 = the highest score (ties: lowest index ranks first)
};

inline sampling parse_sampling(std::string const& name)
{
  if (name == "power") return sampling::power;
  if (name == "softmax") return sampling::softmax;
  if (name == "softrank") return sampling::softrank;
  TAMIS_FAIL("mode: unknown sampling '%s' (expected power, softmax or softrank)", name.c_str());
}

#define TAMIS_ACTIVE_SELECT_DECLARE(T, Space)                                                                  \
  /** The out_indices.length (the budget) highest-scoring rows with labeled[i] == 0 (labeled: {} for none),   \
      best first, ties to the lowest index; out_scores gets their scores. Scores must be finite and the       \
      budget in [1, unlabeled rows]. */                                                                       \
  void top_b(resources const& res, vector_view<const T, Space> scores, vector_view<const uint8_t, Space> labeled, \
             vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_scores);                      \
  /** A random batch of unlabeled rows drawn as `mode` says (β = beta > 0), by Gumbel-top-k: the budget       \
      largest ln w_i + G_i, G_i standard Gumbel, draw i of Philox stream (seed, 0): repeatable for a seed,  \
      and host and device agree up to the last bit of their log functions. Order: decreasing perturbed key,   \
      i.e. the order of the sequential draws; out_scores gets the rows' scores. */                            \
  void stochastic_top_b(resources const& res, vector_view<const T, Space> scores,                              \
                        vector_view<const uint8_t, Space> labeled, sampling mode, double beta, uint64_t seed,  \
                        vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_scores);

#define TAMIS_ACTIVE_RANDOM_DECLARE(Space)                                                                     \
  /** A uniformly random batch of out_indices.length unlabeled rows of an n-row pool (labeled: {} for none):     \
      the rows of the largest keys u_i, u_i draw i of Philox stream (seed, 0), so the batch is what             \
      stochastic_top_b gives equal scores under softmax. out_keys gets the u_i, decreasing. */                    \
  void random_b(resources const& res, int64_t n, vector_view<const uint8_t, Space> labeled, uint64_t seed,      \
                vector_view<int64_t, Space> out_indices, vector_view<double, Space> out_keys);

TAMIS_ACTIVE_RANDOM_DECLARE(host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_RANDOM_DECLARE(device_memory)
#endif
#undef TAMIS_ACTIVE_RANDOM_DECLARE

TAMIS_ACTIVE_SELECT_DECLARE(float, host_memory)
TAMIS_ACTIVE_SELECT_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_SELECT_DECLARE(float, device_memory)
TAMIS_ACTIVE_SELECT_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_SELECT_DECLARE

}  // namespace tamis::active
