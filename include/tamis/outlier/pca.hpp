// PCA outlier scores (PyOD's PCA, pyod/models/pca.py, over scikit-learn's PCA). Fit: standardise each
// feature with the training mean and standard deviation (ddof 0, scale 1 for (near-)constant features,
// as StandardScaler), then take the principal components of the standardised data: eigenvectors of
// its covariance (ddof 1), eigenvalues descending, each component's sign flipped so that its
// largest-magnitude entry is positive (scikit-learn's svd_flip(u_based_decision=False), first entry
// on ties); explained_variance = the eigenvalues, explained_variance_ratio = explained_variance / their
// sum over all d eigenvalues. Eigenvalues below d · ε_T · λ_max are numerically zero and raised to that
// floor (scikit-learn clips them to 0 or keeps rounding noise, so PyOD divides by 0 or by noise on
// rank-deficient data): the ratios stay > 0 and PyOD-style scores finite. With z = (x − mean) / scale:
//   - pyod:           Σ_j ‖z − v_j‖₂ / w_j, the distance to each component *as a point*, over the
//                     selected components (PyOD: the last n_selected_components) with weights w
//                     (PyOD: their explained_variance_ratio when weighted, else 1);
//   - reconstruction: ‖z − Σ_j (z·v_j) v_j‖², the squared residual after projection on the given
//                     components (normally the leading k).
// Eigenvectors of repeated or (near-)zero eigenvalues are arbitrary, here as in scikit-learn (whose
// LAPACK picks others): with fewer training rows than features, the trailing components span part
// of the null space and their pyod terms differ from PyOD's.
//
// Fitted state (caller-owned): mean (d), scale (d), components (k × d, rows orthonormal),
// explained_variance (k), explained_variance_ratio (k), for 1 ≤ k ≤ min(n, d) chosen by the caller
// through the shape of components (PyOD's default: k = min(n, d)). fit_from_stats fits from
// column_stats (mahalanobis.hpp), so merged statistics give an exact partial fit.
// PyOD's standardization=False scores the raw x: pass a zero mean and unit scale to scores.
#pragma once
#define TAMIS_OUTLIER_PCA_HPP_INCLUDED

#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/outlier/mahalanobis.hpp"

namespace tamis::outlier::pca {

enum class score_kind {
  pyod,            ///< Σ_j ‖z − v_j‖ / w_j (PyOD's decision_function)
  reconstruction,  ///< squared residual of z after projection on the components
};

inline score_kind parse_score_kind(std::string const& name)
{
  if (name == "pyod") return score_kind::pyod;
  if (name == "reconstruction") return score_kind::reconstruction;
  TAMIS_FAIL("kind: unknown PCA score '%s' (expected pyod or reconstruction)", name.c_str());
}

#define TAMIS_PCA_DECLARE(T, Space)                                                                           \
  /** Fits on x (n × d, n ≥ 2, finite): writes mean (d), scale (d; all 1 unless standardize),                \
      components (k × d), explained_variance (k) and explained_variance_ratio (k), 1 ≤ k ≤ min(n, d). */     \
  void fit(resources const& res, matrix_view<const T, Space> x, bool standardize, vector_view<T, Space> mean,  \
           vector_view<T, Space> scale, matrix_view<T, Space> components,                                     \
           vector_view<T, Space> explained_variance, vector_view<T, Space> explained_variance_ratio);         \
  /** The same fit from column statistics (count ≥ 2, mean (d), m2 (d × d) as column_stats writes them); the  \
      mean is the statistics' own. k ≤ min(count, d). */                                                      \
  void fit_from_stats(resources const& res, int64_t count, vector_view<const T, Space> mean,                  \
                      matrix_view<const T, Space> m2, bool standardize, vector_view<T, Space> scale,          \
                      matrix_view<T, Space> components, vector_view<T, Space> explained_variance,             \
                      vector_view<T, Space> explained_variance_ratio);                                        \
  /** out[i] = the chosen score of row i of x (m × d) with z = (x − mean) / scale (scale > 0), components      \
      (k × d) and, for pyod, weights (k, finite, > 0; unused by reconstruction, any length). Computed in row  \
      tiles, a GEMM each. */                                                                                  \
  void scores(resources const& res, vector_view<const T, Space> mean, vector_view<const T, Space> scale,      \
              matrix_view<const T, Space> components, vector_view<const T, Space> weights,                    \
              matrix_view<const T, Space> x, score_kind kind, vector_view<T, Space> out);

TAMIS_PCA_DECLARE(float, host_memory)
TAMIS_PCA_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_PCA_DECLARE(float, device_memory)
TAMIS_PCA_DECLARE(double, device_memory)
#endif
#undef TAMIS_PCA_DECLARE

}  // namespace tamis::outlier::pca
