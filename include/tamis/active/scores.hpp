// Active-learning informativeness scores of a pool: one score per row, higher = more informative,
// natural log, 0·ln 0 = 0 (the anchors disagree on every one of these; see
// ../shared/reference/active_learning.md §2). Probabilities are checked: each entry in [0, 1] and
// finite, each row (each member's row for ensembles) summing to 1 within 1e-4.
#pragma once
#define TAMIS_ACTIVE_SCORES_HPP_INCLUDED

#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active {

/// Scores of one model's class probabilities p (n × C); p(1) ≥ p(2) are the two largest.
enum class uncertainty {
  least_confidence,  ///< 1 − p(1)
  margin,            ///< 1 − (p(1) − p(2)); p(2) = 0 when C = 1 (skactiveml's convention)
  ratio,             ///< p(2) / p(1), "ratio of confidence" (Monarch 2021); 0 when C = 1
  entropy,           ///< −Σ_c p_c ln p_c
};

/// Scores of K committee members' or MC samples' probabilities p_k (n × K × C, stored n × (K·C));
/// p̄ = mean_k p_k, and a member's vote is its arg-max class (lowest class on ties).
enum class ensemble {
  consensus_entropy,     ///< H(p̄): predictive entropy (modAL's consensus entropy, MC max-entropy)
  vote_entropy,          ///< H(v), v_c = (votes for c) / K                      (Dagan & Engelson 1995)
  kl_max,                ///< max_k KL(p_k ‖ p̄)                                  (modAL)
  kl_mean,               ///< mean_k KL(p_k ‖ p̄) (McCallum & Nigam 1998; skactiveml); equals BALD
  bald,                  ///< H(p̄) − mean_k H(p_k), the mutual information      (Houlsby et al. 2011)
  variation_ratio,       ///< 1 − max_c p̄_c                                      (modAL, baal)
  vote_variation_ratio,  ///< 1 − (votes for the modal class) / K                 (Gal et al. 2017)
  mean_std,              ///< mean_c √(mean_k p_kc² − p̄_c²)                      (Kampffmeyer et al. 2016)
};

inline uncertainty parse_uncertainty(std::string const& name)
{
  if (name == "least_confidence") return uncertainty::least_confidence;
  if (name == "margin") return uncertainty::margin;
  if (name == "ratio") return uncertainty::ratio;
  if (name == "entropy") return uncertainty::entropy;
  TAMIS_FAIL("kind: unknown uncertainty score '%s' (expected least_confidence, margin, ratio or entropy)",
             name.c_str());
}

inline ensemble parse_ensemble(std::string const& name)
{
  if (name == "consensus_entropy") return ensemble::consensus_entropy;
  if (name == "vote_entropy") return ensemble::vote_entropy;
  if (name == "kl_max") return ensemble::kl_max;
  if (name == "kl_mean") return ensemble::kl_mean;
  if (name == "bald") return ensemble::bald;
  if (name == "variation_ratio") return ensemble::variation_ratio;
  if (name == "vote_variation_ratio") return ensemble::vote_variation_ratio;
  if (name == "mean_std") return ensemble::mean_std;
  TAMIS_FAIL("kind: unknown ensemble score '%s' (expected consensus_entropy, vote_entropy, kl_max, kl_mean, bald, "
             "variation_ratio, vote_variation_ratio or mean_std)",
             name.c_str());
}

#define TAMIS_ACTIVE_SCORES_DECLARE(T, Space)                                                                  \
  /** out[i] = the `kind` score of probability row i (probs n × C). */                                        \
  void uncertainty_scores(resources const& res, matrix_view<const T, Space> probs, uncertainty kind,          \
                          vector_view<T, Space> out);                                                         \
  /** out[i] = the `kind` score of row i's `members` probability vectors (probs n × (members · C)). */       \
  void ensemble_scores(resources const& res, matrix_view<const T, Space> probs, int64_t members, ensemble kind, \
                       vector_view<T, Space> out);

TAMIS_ACTIVE_SCORES_DECLARE(float, host_memory)
TAMIS_ACTIVE_SCORES_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_SCORES_DECLARE(float, device_memory)
TAMIS_ACTIVE_SCORES_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_SCORES_DECLARE

}  // namespace tamis::active
