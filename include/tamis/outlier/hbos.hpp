// HBOS, the histogram-based outlier score (Goldstein & Dengel 2012), with PyOD's exact semantics
// (pyod/models/hbos.py): per feature an equal-width histogram as numpy.histogram(bins=b) builds it,
// and score = −Σ_j log2(density_j(x_j) + alpha). It is fitted from the sorted training columns of
// tamis/outlier/ecod.hpp (sort_columns), so partial_fit is merge_sorted_columns + fit, exactly.
#pragma once
#define TAMIS_OUTLIER_HBOS_HPP_INCLUDED

#include <cmath>
#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/outlier/ecod.hpp"

namespace tamis::outlier::hbos {

/// Bins per feature the fitted arrays are sized for (B): n_bins itself, or for the automatic rule
/// (n_bins == 0) its largest candidate, max(2, ⌊√n⌋) − 1, n = training rows.
inline int64_t max_bins(int64_t n, int64_t n_bins)
{
  TAMIS_EXPECTS(n >= 1, "n: needs at least one training row (got %lld)", static_cast<long long>(n));
  TAMIS_EXPECTS(n_bins >= 0, "n_bins: must be >= 1, or 0 for the automatic rule (got %lld)",
                static_cast<long long>(n_bins));
  if (n_bins > 0) return n_bins;
  const int64_t root = static_cast<int64_t>(std::sqrt(static_cast<double>(n)));
  return (root > 2 ? root : 2) - 1;
}

#define TAMIS_HBOS_DECLARE(T, Space)                                                                          \
  /** Fits the histograms from sorted (d × n) = sort_columns(x_train). n_bins ≥ 1 bins per feature, or 0:   \
      per feature the Birgé–Rozenblac choice among 1 .. max(2, ⌊√n⌋) − 1 bins (PyOD's get_optimal_n_bins). \
      With B = max_bins(n, n_bins), writes edges (d × (B + 1)): feature j's bins[j] + 1 edges         \
      (numpy.histogram's, range [min, max], or [v − 0.5, v + 0.5] for a constant feature), then its last edge   \
      repeated; density (d × B): count / (n · width) per bin (PyOD's hist_), then zeros; bins (d): bins used. */ \
  void fit(resources const& res, matrix_view<const T, Space> sorted, int64_t n_bins, matrix_view<T, Space> edges, \
           matrix_view<T, Space> density, vector_view<int64_t, Space> bins);                                 \
  /** out[i] (length m) = −Σ_j log2(density_j(x_ij) + alpha) for x (m × d), PyOD's decision_function        \
      (and decision_scores_ when x is the training set). A value is binned as numpy.digitize(right=True):   \
      (e_{k−1}, e_k] → bin k; one at or below the first edge, or above the last, takes the edge bin's       \
      density if within tol · (that bin's width) of the edge, else the feature's lowest log-density.        \
      alpha > 0, tol ≥ 0 (PyOD: 0.1 and 0.5). */                                                            \
  void scores(resources const& res, matrix_view<const T, Space> edges, matrix_view<const T, Space> density,  \
              vector_view<const int64_t, Space> bins, matrix_view<const T, Space> x, double alpha, double tol, \
              vector_view<T, Space> out);

TAMIS_HBOS_DECLARE(float, host_memory)
TAMIS_HBOS_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_HBOS_DECLARE(float, device_memory)
TAMIS_HBOS_DECLARE(double, device_memory)
#endif
#undef TAMIS_HBOS_DECLARE

}  // namespace tamis::outlier::hbos
