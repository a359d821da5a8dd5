// Local Outlier Factor (Breunig et al. 2000) with scikit-learn's semantics, which PyOD wraps:
// exactly k neighbours (ties at the k-distance are not expanded), lrd(p) = 1 / (mean reach + 1e-10),
// reach(p, o) = max(d(p, o), k-distance(o)), LOF(p) = mean over neighbours o of lrd(o) / lrd(p).
// Euclidean distances. Higher = more anomalous (sklearn's −negative_outlier_factor_).
#pragma once
#define TAMIS_OUTLIER_LOF_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier {

#define TAMIS_OUTLIER_LOF_DECLARE(T, Space)                                                                   \
  /** Fits LOF on the training rows (each row's neighbours exclude itself; 1 ≤ n_neighbors ≤ n − 1):         \
      the fitted state is each row's k-distance and local reachability density (length n each), and         \
      out_scores the training rows' LOF. */                                                                   \
  void lof_fit(resources const& res, matrix_view<const T, Space> train, int64_t n_neighbors,                   \
               vector_view<T, Space> out_k_distance, vector_view<T, Space> out_lrd,                           \
               vector_view<T, Space> out_scores);                                                             \
  /** LOF of new rows against the fitted training rows (sklearn's novelty mode: queries are never each        \
      other's neighbours; a query equal to a training row counts it). n_neighbors as at fit. */                \
  void lof_scores(resources const& res, matrix_view<const T, Space> train,                                     \
                  vector_view<const T, Space> k_distance, vector_view<const T, Space> lrd,                     \
                  matrix_view<const T, Space> queries, int64_t n_neighbors, vector_view<T, Space> out);

TAMIS_OUTLIER_LOF_DECLARE(float, host_memory)
TAMIS_OUTLIER_LOF_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_OUTLIER_LOF_DECLARE(float, device_memory)
TAMIS_OUTLIER_LOF_DECLARE(double, device_memory)
#endif
#undef TAMIS_OUTLIER_LOF_DECLARE

}  // namespace tamis::outlier
