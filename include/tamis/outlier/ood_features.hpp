// Post-hoc OOD scores on a classifier's penultimate features z (n × D) and its last layer
// f = z Wᵀ + b (W: C × D, b: C), as OpenOOD defines them (Jingkang50/OpenOOD postprocessors):
// ReAct, ASH, class-conditional Mahalanobis (`mds`), ViM and KNN. tamis's convention holds:
// higher = more likely out of distribution, i.e. OpenOOD's confidence negated.
//
// Fitted state is caller-owned arrays (see each *_fit); the *_scores functions take it back as
// const views, so saving a scorer is saving its arrays. Inputs are never modified; NaN/Inf in any
// input is rejected.
#pragma once
#define TAMIS_OUTLIER_OOD_FEATURES_HPP_INCLUDED

#include <cmath>
#include <cstdint>
#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier::ood {

/// ASH's three ways of shaping the activations that survive pruning (Djurisic et al., ICLR 2023).
enum class ash_variant {
  prune,     ///< ASH-P: survivors keep their values
  binarize,  ///< ASH-B: survivors become s1 / k, s1 = the row's sum before pruning (OpenOOD's ASHNet)
  scale,     ///< ASH-S: survivors are multiplied by exp(s1 / s2), s2 = the sum after pruning
};

inline ash_variant parse_ash_variant(std::string const& name)
{
  if (name == "p") return ash_variant::prune;
  if (name == "b") return ash_variant::binarize;
  if (name == "s") return ash_variant::scale;
  TAMIS_FAIL("variant: unknown ASH variant '%s' (expected p, b or s)", name.c_str());
}

/// Activations ASH keeps per row of `features` columns: k = D − round(D · percentile / 100), numpy's
/// round (half to even) as OpenOOD's ash_* functions compute it. percentile ∈ [0, 100] and k ≥ 1.
inline int64_t ash_kept(int64_t features, double percentile)
{
  TAMIS_EXPECTS(percentile >= 0 && percentile <= 100, "percentile: must be in [0, 100], got %g", percentile);
  const int64_t k = features - static_cast<int64_t>(std::nearbyint(static_cast<double>(features) * percentile / 100.0));
  TAMIS_EXPECTS(k >= 1, "percentile: %g keeps no activation of %lld (lower it)", percentile,
                static_cast<long long>(features));
  return k;
}

/// ViM's principal dimension for D features, the rule of the ViM authors' code (haoqiwang/vim):
/// 1000 for D ≥ 2048, 512 for D ≥ 768, else D / 2. OpenOOD's configs fix dim = 256 for its
/// ResNet-18 (D = 512, the same value) and sweep {256, 1000} on ImageNet.
inline int64_t vim_default_dim(int64_t features)
{
  if (features >= 2048) return 1000;
  if (features >= 768) return 512;
  return features / 2;
}

#define TAMIS_OOD_FEATURES_DECLARE(T, Space)                                                                   \
  /** ReAct's clipping threshold: the `percentile` ∈ [0, 100] of every entry of train_features (n × D), with   \
      numpy's default linear interpolation (np.percentile of the flattened array, same rounding in T). */     \
  T react_threshold(resources const& res, matrix_view<const T, Space> train_features, double percentile);      \
  /** ReAct (Sun et al. 2021): out[i] = −T·logsumexp((min(z_i, threshold) Wᵀ + b) / T), the energy of the     \
      clipped features. weight: C × D, bias: C; temperature > 0. */                                           \
  void react_scores(resources const& res, matrix_view<const T, Space> features, matrix_view<const T, Space> weight, \
                    vector_view<const T, Space> bias, T threshold, T temperature, vector_view<T, Space> out);  \
  /** ASH: per row keep the k = ash_kept(D, percentile) largest activations (ties at the k-th value go to the \
      lowest column index), zero the rest, shape the survivors by `variant`, then out[i] = the energy          \
      −T·logsumexp((a_i Wᵀ + b) / T). ASH-S uses scale 1 where the survivors sum to 0 (torch gives NaN). */   \
  void ash_scores(resources const& res, matrix_view<const T, Space> features, matrix_view<const T, Space> weight, \
                  vector_view<const T, Space> bias, ash_variant variant, double percentile, T temperature,     \
                  vector_view<T, Space> out);                                                                  \
  /** Class-conditional Gaussian with tied covariance (Lee et al. 2018; OpenOOD's mds): class_means (C × D)   \
      = the mean of each class's rows (labels ∈ [0, C), C = class_means.rows, every class non-empty);         \
      Σ = Σ_i (z_i − μ_{y_i})(z_i − μ_{y_i})ᵀ / n (ddof 0, sklearn's EmpiricalCovariance of the class-centred  \
      rows), accumulated in double; whitening (D × D): row k = v_k / √λ_k for Σ's eigenpairs in descending    \
      order with λ_k > D·ε_double·λ_max (scipy's pinvh cut-off; sklearn's np.cov is double), zero rows after  \
      the rank, so the precision pinv(Σ) = whiteningᵀ·whitening. Returns the rank. */                         \
  int64_t mahalanobis_fit(resources const& res, matrix_view<const T, Space> train_features,                   \
                          vector_view<const int64_t, Space> labels, matrix_view<T, Space> class_means,        \
                          matrix_view<T, Space> whitening);                                                   \
  /** out[i] = min_c (z_i − μ_c)ᵀ P (z_i − μ_c) = min_c ‖W z_i − W μ_c‖² with W = whitening (r × D, r ≥ 1:     \
      any leading block of mahalanobis_fit's rows holding the rank scores the same): one GEMM, then the       \
      nearest whitened class mean by the exact kNN, its distance recomputed directly. */                      \
  void mahalanobis_scores(resources const& res, matrix_view<const T, Space> features,                         \
                          matrix_view<const T, Space> class_means, matrix_view<const T, Space> whitening,     \
                          vector_view<T, Space> out);                                                          \
  /** ViM (Wang et al. CVPR 2022), OpenOOD's vim: origin (D) u = −pinv(W) b (through the eigendecomposition   \
      of the smaller Gram matrix of W in double; singular values ≤ √(max(C, D)·ε_double)·σ_max count as 0);  \
      Σ = Σ_i (z_i − u)(z_i − u)ᵀ / n (assume_centered); residual_basis ((D − dim) × D, 0 ≤ dim < D) = the    \
      unit eigenvectors of Σ after the top `dim` in descending eigenvalue order, as rows (dim = D −            \
      residual_basis.rows). Returns α = mean_i max_c f_ic / mean_i ‖R (z_i − u)‖, R = residual_basis. */     \
  T vim_fit(resources const& res, matrix_view<const T, Space> train_features, matrix_view<const T, Space> weight, \
            vector_view<const T, Space> bias, vector_view<T, Space> origin, matrix_view<T, Space> residual_basis); \
  /** out[i] = α‖R (z_i − u)‖ − logsumexp(z_i Wᵀ + b), ViM's score negated. R: r × D with r ≥ 1. */            \
  void vim_scores(resources const& res, matrix_view<const T, Space> features, matrix_view<const T, Space> weight, \
                  vector_view<const T, Space> bias, vector_view<const T, Space> origin,                       \
                  matrix_view<const T, Space> residual_basis, T alpha, vector_view<T, Space> out);            \
  /** KNN-OOD's bank rows (Sun et al. ICML 2022): out_i = z_i / (‖z_i‖ + 1e-10). OpenOOD's normaliser          \
      z/‖z‖ + 1e-10 shifts every row by the same vector, which no distance sees; this form also maps a zero   \
      row to 0 instead of NaN. The bank is these rows of the ID-train features; appending rows is exact. */   \
  void knn_ood_normalize(resources const& res, matrix_view<const T, Space> features, matrix_view<T, Space> out); \
  /** out[i] = the Euclidean distance of the normalised z_i to its k-th nearest bank row, 1 ≤ k ≤ bank rows   \
      (OpenOOD reports −(that distance)² from faiss's IndexFlatL2: the same ranking). Recomputed exactly      \
      for the k neighbours the tiled search finds. */                                                          \
  void knn_ood_scores(resources const& res, matrix_view<const T, Space> bank, matrix_view<const T, Space> features, \
                      int64_t k, vector_view<T, Space> out);

TAMIS_OOD_FEATURES_DECLARE(float, host_memory)
TAMIS_OOD_FEATURES_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_OOD_FEATURES_DECLARE(float, device_memory)
TAMIS_OOD_FEATURES_DECLARE(double, device_memory)
#endif
#undef TAMIS_OOD_FEATURES_DECLARE

}  // namespace tamis::outlier::ood
