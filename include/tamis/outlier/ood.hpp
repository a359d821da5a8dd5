// Post-hoc out-of-distribution scores on a classifier's logits (OpenOOD's MSP, MaxLogit, Energy,
// and predictive entropy). tamis's convention: higher = more likely out of distribution, i.e.
// OpenOOD's confidence negated, so AUROC with OOD as the positive class reads the same.
#pragma once
#define TAMIS_OUTLIER_OOD_HPP_INCLUDED

#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier::ood {

enum class logit_score {
  msp,        ///< −max_c softmax(f / T)_c            (Hendrycks & Gimpel 2017)
  max_logit,  ///< −max_c f_c                        (Hendrycks et al. 2022); T is not used
  energy,     ///< −T · logsumexp(f / T), the energy  (Liu et al. 2020)
  entropy,    ///< −Σ_c p_c ln p_c with p = softmax(f / T), 0·ln 0 = 0
};

inline logit_score parse_logit_score(std::string const& name)
{
  if (name == "msp") return logit_score::msp;
  if (name == "max_logit") return logit_score::max_logit;
  if (name == "energy") return logit_score::energy;
  if (name == "entropy") return logit_score::entropy;
  TAMIS_FAIL("kind: unknown logit score '%s' (expected msp, max_logit, energy or entropy)", name.c_str());
}

#define TAMIS_OOD_DECLARE(T, Space)                                                                     \
  /** out[i] = the chosen score of logits row i (n × C, C ≥ 1); temperature > 0. NaN/Inf rejected. */   \
  void logit_scores(resources const& res, matrix_view<const T, Space> logits, logit_score kind, T temperature, \
                    vector_view<T, Space> out);

TAMIS_OOD_DECLARE(float, host_memory)
TAMIS_OOD_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_OOD_DECLARE(float, device_memory)
TAMIS_OOD_DECLARE(double, device_memory)
#endif
#undef TAMIS_OOD_DECLARE

}  // namespace tamis::outlier::ood
