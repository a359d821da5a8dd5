// k-means: seeded greedy k-means++ (or random / given) init, Lloyd iterations streamed over row
// batches through mergeable partial sums, empty-cluster repair and a spherical (cosine) option.
#pragma once
#define TAMIS_CLUSTER_KMEANS_HPP_INCLUDED

#include <cstdint>
#include <vector>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::cluster::kmeans {

enum class init_method {
  kmeans_plus_plus,  ///< greedy k-means++ (2 + ⌊ln k⌋ trials per centre, as scikit-learn)
  random,            ///< k distinct rows drawn uniformly
  array,             ///< the centroids passed in
};

struct params {
  int64_t n_clusters = 8;
  int max_iter = 300;
  /// Stop when Σ‖Δcentre‖² ≤ tol · mean column variance of the data (scikit-learn's rule),
  /// or when no label changes.
  double tol = 1e-4;
  init_method init = init_method::kmeans_plus_plus;
  /// Rows are L2-normalised, assignment is by cosine, centres are renormalised means.
  bool spherical = false;
  uint64_t seed = 0;
  /// Rows per streamed batch; 0 takes the backend's choice (host 8,192: the distance tile stays
  /// in cache; CUDA 65,536). Fixes the summation order, so results do not depend on thread
  /// count; memory per batch is batch_rows × n_clusters scalars (shrunk to fit the workspace).
  int64_t batch_rows = 0;
};

struct fit_result {
  double inertia = 0;  ///< Σ squared distance to the assigned centre (spherical: Σ (1 − cos))
  int n_iter = 0;
};

/// Per-cluster sums of (normalised, when spherical) rows, counts and inertia of a set of batches.
/// Partial statistics of disjoint shards merge exactly; a Lloyd step is centroids_from(merged).
struct partial_sums {
  int64_t n_clusters = 0;
  int64_t n_features = 0;
  std::vector<double> sums;      // n_clusters × n_features, row-major
  std::vector<int64_t> counts;   // n_clusters
  double inertia = 0;

  partial_sums() = default;
  partial_sums(int64_t k, int64_t d)
    : n_clusters(k), n_features(d), sums(static_cast<size_t>(k * d), 0.0), counts(static_cast<size_t>(k), 0)
  {
  }
  void merge(partial_sums const& other);
};

/// New centres from merged statistics: the mean (renormalised when spherical). Clusters with no
/// member keep their previous centre from `centroids`.
void centroids_from(partial_sums const& stats, bool spherical, host_matrix_view<float> centroids);
void centroids_from(partial_sums const& stats, bool spherical, host_matrix_view<double> centroids);

#define TAMIS_KMEANS_DECLARE(T, Space)                                                                       \
  /** Fits centroids (n_clusters × d; read as the initial centres when init == array) and labels (n).      \
      Results depend only on the inputs, params and batch size, never on thread count. */                   \
  fit_result fit(resources const& res, params const& p, matrix_view<const T, Space> x,                       \
                 matrix_view<T, Space> centroids, vector_view<int64_t, Space> labels);                        \
  /** Nearest centre of each row (labels), and optionally its distance (pass {} to skip). Returns inertia. */ \
  double predict(resources const& res, params const& p, matrix_view<const T, Space> x,                       \
                 matrix_view<const T, Space> centroids, vector_view<int64_t, Space> labels,                   \
                 vector_view<T, Space> distances);                                                           \
  /** Adds one batch (or shard) of rows to `stats` under the current centroids: the shard kernel of a       \
      distributed Lloyd step. */                                                                             \
  void accumulate(resources const& res, params const& p, matrix_view<const T, Space> x,                     \
                  matrix_view<const T, Space> centroids, partial_sums& stats);

TAMIS_KMEANS_DECLARE(float, host_memory)
TAMIS_KMEANS_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_KMEANS_DECLARE(float, device_memory)
TAMIS_KMEANS_DECLARE(double, device_memory)
#endif
#undef TAMIS_KMEANS_DECLARE

}  // namespace tamis::cluster::kmeans
