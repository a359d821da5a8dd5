// TypiClust (Hacohen, Dekel & Weinshall, ICML 2022; reference avihu111/TypiClust pycls/al/typiclust.py):
// cluster the pool into |L| + b clusters, visit the clusters with the fewest labeled rows first (the
// largest first among those), and take from each the most typical unlabeled row: typicality =
// 1 / (mean squared L2 distance to its K nearest unlabeled neighbours in the cluster + 1e-5). The kNN
// runs per cluster on its gathered rows, so memory is O(largest cluster · (d + K)), never n × n.
#pragma once
#define TAMIS_ACTIVE_TYPICLUST_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::typiclust {

struct params {
  /// Clusters of at most this many rows, labeled ones included, are never visited (reference: 5).
  int64_t min_cluster_size = 5;
  /// Neighbours of a typicality: K = min(k, r / 2), r the cluster's unlabeled rows left (reference: 20).
  int64_t k = 20;
  /// k-means overload only: the number of clusters, 0 for min(|L| + budget, max_clusters) (reference: 500).
  int64_t n_clusters = 0;
  int64_t max_clusters = 500;
  /// k-means overload only: seed of the k-means++ initialisation.
  uint64_t seed = 0;
};

#define TAMIS_ACTIVE_TYPICLUST_DECLARE(T, Space)                                                               \
  /** out_indices.length unlabeled rows of x (n × d, finite; labeled[i] ≠ 0 excluded, {} for none) given     \
      cluster ids (n, each in [0, n)). Clusters of more than min_cluster_size rows are ordered once by       \
      (labeled rows ascending, rows descending, id ascending); pick p visits the next cluster in that cycle    \
      that still has an unlabeled row (the p-th while none is exhausted) and takes its unlabeled row r of     \
      largest typicality 1 / (mean of the K = min(k, r / 2) smallest ‖x_r − x_j‖² + 1e-5), j over the         \
      cluster's other unlabeled, not yet picked rows (lowest index on ties; the last row left has no          \
      neighbour: gain 0). out_gains gets each pick's typicality. Running out of such rows is an error. */     \
  void select(resources const& res, params const& p, matrix_view<const T, Space> x,                           \
              vector_view<const int64_t, Space> clusters, vector_view<const uint8_t, Space> labeled,           \
              vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains);                        \
  /** select() on the labels of seeded k-means (k-means++ init) of x into p.n_clusters clusters. */            \
  void cluster_and_select(resources const& res, params const& p, matrix_view<const T, Space> x,               \
                          vector_view<const uint8_t, Space> labeled, vector_view<int64_t, Space> out_indices,  \
                          vector_view<T, Space> out_gains);

TAMIS_ACTIVE_TYPICLUST_DECLARE(float, host_memory)
TAMIS_ACTIVE_TYPICLUST_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_TYPICLUST_DECLARE(float, device_memory)
TAMIS_ACTIVE_TYPICLUST_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_TYPICLUST_DECLARE

}  // namespace tamis::active::typiclust
