// Mahalanobis-distance outlier scores: score(x) = (x − μ)ᵀ P (x − μ), higher = more anomalous, with
//   - empirical estimates (scikit-learn's EmpiricalCovariance): μ = mean, Σ = scatter / n (ddof 0);
//   - robust estimates (scikit-learn's MinCovDet, the score of PyOD's MCD): FastMCD of Rousseeuw &
//     Van Driessen (1999) as scikit-learn implements it (see mcd_fit).
// P is the pseudo-inverse of Σ as scipy.linalg.pinvh computes it: eigen-directions with
// λ ≤ d · ε_T · max|λ| are dropped (ε_T the machine epsilon of T). Negative eigenvalues, round-off in
// a covariance, are dropped too (pinvh would keep one whose magnitude passes the cut-off).
//
// Fitted state (caller-owned): location (d) and whitening W (d × d): row k = v_k / √λ_k for the kept
// eigenpairs in descending λ order, zero rows after the rank, so P = WᵀW and score = ‖W (x − μ)‖².
// Any leading block of W's rows (at least the rank) scores the same.
//
// Running column statistics (count, mean, scatter) are shared with PCA (pca.hpp): column_stats
// computes them, merge_column_stats merges two disjoint row sets exactly, so partial fits are exact.
#pragma once
#define TAMIS_OUTLIER_MAHALANOBIS_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier {

#define TAMIS_COLUMN_STATS_DECLARE(T, Space)                                                                 \
  /** Statistics of x (n × d, finite; the count is n): mean (d) and m2 (d × d) = Σ_i (x_i − mean)(x_i −        \
      mean)ᵀ, symmetric. Rows stream in batches, each centred on its own mean before a GEMM, folded in with    \
      merge_column_stats' formula. */                                                                        \
  void column_stats(resources const& res, matrix_view<const T, Space> x, vector_view<T, Space> mean,          \
                    matrix_view<T, Space> m2);                                                                \
  /** Statistics of the union of two disjoint row sets (Chan, Golub & LeVeque's pairwise update):             \
      mean = mean_a + δ n_b / n, m2 = m2_a + m2_b + δδᵀ n_a n_b / n with δ = mean_b − mean_a, n = n_a + n_b.    \
      Counts ≥ 0 with n ≥ 1 (a side with count 0 is ignored); mean and m2 may alias either input.           \
      Returns n. */                                                                                          \
  int64_t merge_column_stats(resources const& res, int64_t count_a, vector_view<const T, Space> mean_a,       \
                             matrix_view<const T, Space> m2_a, int64_t count_b,                               \
                             vector_view<const T, Space> mean_b, matrix_view<const T, Space> m2_b,            \
                             vector_view<T, Space> mean, matrix_view<T, Space> m2);

TAMIS_COLUMN_STATS_DECLARE(float, host_memory)
TAMIS_COLUMN_STATS_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_COLUMN_STATS_DECLARE(float, device_memory)
TAMIS_COLUMN_STATS_DECLARE(double, device_memory)
#endif
#undef TAMIS_COLUMN_STATS_DECLARE

namespace mahalanobis {

/// FastMCD settings (scikit-learn's MinCovDet).
struct mcd_params {
  /// Raw support size h = ⌊support_fraction · n⌋ for a value in (0, 1]; 0 selects scikit-learn's
  /// default h = min(⌈(n + d + 1) / 2⌉, n).
  double support_fraction = 0;
  uint64_t seed = 0;
};

struct mcd_result {
  int64_t rank = 0;              ///< kept eigen-directions of the final covariance (nonzero rows of W)
  int64_t raw_support_size = 0;  ///< rows of the raw (minimum-determinant) support
  int64_t support_size = 0;      ///< rows kept by the reweighting step (the support output)
  double raw_log_det = 0;        ///< log det of the raw support's covariance (−inf when singular)
};

#define TAMIS_MAHALANOBIS_DECLARE(T, Space)                                                                  \
  /** whitening (d × d) of covariance (d × d, symmetric, finite) as described above; returns the rank. */    \
  int64_t covariance_whitening(resources const& res, matrix_view<const T, Space> covariance,                  \
                               matrix_view<T, Space> whitening);                                              \
  /** EmpiricalCovariance from column statistics (count ≥ 1, m2 (d × d) from column_stats): covariance =      \
      m2 / count (ddof 0) and its whitening (d × d); returns the rank. The location is the mean. */          \
  int64_t empirical_fit(resources const& res, int64_t count, matrix_view<const T, Space> m2,                  \
                        matrix_view<T, Space> covariance, matrix_view<T, Space> whitening);                   \
  /** MinCovDet on x (n × d, n ≥ 2, finite), scikit-learn's algorithm step for step: FastMCD's random          \
      h-subsets (scikit-learn draws h rows, not the paper's p + 1) and C-steps, in subsets of 300 rows then     \
      a merged set of ≤ 1500 for n > 500, an exact search for d = 1; the consistency correction α /            \
      F_{χ²(d+2)}(χ²_α(d)), α = h / n; the reweighting on the rows with corrected distance < χ²_0.975(d).     \
      Draws come from Philox streams of p.seed, so the estimate differs from scikit-learn's in the random      \
      subsets it starts from. Writes the reweighted location (d), covariance (d × d), its whitening (d × d)     \
      and support (n; 1 = kept by the reweighting). PyOD's decision_scores_ are scores(location, whitening,    \
      x). */                                                                                                  \
  mcd_result mcd_fit(resources const& res, mcd_params const& p, matrix_view<const T, Space> x,                \
                     vector_view<T, Space> location, matrix_view<T, Space> covariance,                        \
                     matrix_view<T, Space> whitening, vector_view<uint8_t, Space> support);                   \
  /** out[i] = ‖W (x_i − location)‖² for x (m × d), location (d) and whitening W (k × d, k ≥ 1), all finite:    \
      the squared Mahalanobis distance, computed in row tiles as one GEMM each. */                            \
  void scores(resources const& res, vector_view<const T, Space> location, matrix_view<const T, Space> whitening, \
              matrix_view<const T, Space> x, vector_view<T, Space> out);

TAMIS_MAHALANOBIS_DECLARE(float, host_memory)
TAMIS_MAHALANOBIS_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_MAHALANOBIS_DECLARE(float, device_memory)
TAMIS_MAHALANOBIS_DECLARE(double, device_memory)
#endif
#undef TAMIS_MAHALANOBIS_DECLARE

}  // namespace mahalanobis
}  // namespace tamis::outlier
