// KNN outlier detector (Ramaswamy et al. 2000; PyOD's KNN): a row's score is the distance to its
// k-th nearest training row ('largest'), or the mean or median of its k nearest distances.
// Euclidean distances. Nothing but the training rows is fitted: streaming = appending rows.
#pragma once
#define TAMIS_OUTLIER_KNN_HPP_INCLUDED

#include <cstdint>
#include <string>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier {

enum class knn_method {
  largest,  ///< distance to the k-th neighbour (PyOD's default)
  mean,     ///< mean of the k distances
  median,   ///< median of the k distances (mean of the middle two for even k, as numpy)
};

inline knn_method parse_knn_method(std::string const& name)
{
  if (name == "largest") return knn_method::largest;
  if (name == "mean") return knn_method::mean;
  if (name == "median") return knn_method::median;
  TAMIS_FAIL("method: unknown KNN aggregation '%s' (expected largest, mean or median)", name.c_str());
}

#define TAMIS_OUTLIER_KNN_DECLARE(T, Space)                                                                  \
  /** Scores of the training rows, each against the others (itself excluded, as PyOD's fit; a duplicate     \
      row is still a neighbour at distance 0). 1 ≤ n_neighbors ≤ n − 1. */                                    \
  void knn_train_scores(resources const& res, matrix_view<const T, Space> train, int64_t n_neighbors,         \
                        knn_method method, vector_view<T, Space> out);                                        \
  /** Scores of new rows against the training rows (nothing excluded: a query equal to a training row has a  \
      neighbour at distance 0, as PyOD's decision_function). 1 ≤ n_neighbors ≤ n. */                          \
  void knn_scores(resources const& res, matrix_view<const T, Space> train, matrix_view<const T, Space> queries, \
                  int64_t n_neighbors, knn_method method, vector_view<T, Space> out);

TAMIS_OUTLIER_KNN_DECLARE(float, host_memory)
TAMIS_OUTLIER_KNN_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_OUTLIER_KNN_DECLARE(float, device_memory)
TAMIS_OUTLIER_KNN_DECLARE(double, device_memory)
#endif
#undef TAMIS_OUTLIER_KNN_DECLARE

}  // namespace tamis::outlier
