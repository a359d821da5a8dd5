// Average-linkage (UPGMA) agglomerative clustering on squared L2, exact and without a pairwise
// matrix: the mean squared distance between groups A and B is ‖μ_A − μ_B‖² + s_A + s_B (s the mean
// squared distance of a group's rows to its centroid), so a cluster is (count, mean, s) and a merge
// updates it exactly. Merges follow the nearest-neighbour chain (average linkage is reducible):
// O(m) state beyond the m × d means, O(m² d) time, one "nearest active cluster" pass per chain step.
#pragma once
#define TAMIS_CLUSTER_AVERAGE_LINKAGE_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::cluster::average_linkage {

/// Set exactly one of n_clusters and distance_threshold (the defaults set neither, and are rejected).
struct params {
  /// Cut the tree into this many clusters (scipy fcluster's "maxclust"); 0: cut at distance_threshold.
  int64_t n_clusters = 0;
  /// Cut the tree at this group-average squared distance: rows whose clusters merge at a height
  /// ≤ threshold share a cluster (fcluster's "distance"). Used when n_clusters is 0; must be ≥ 0.
  double distance_threshold = -1;
  /// The rows are the leaves when n ≤ max_leaves (exact HAC). Above, the leaves are max_leaves
  /// k-means micro-clusters (tamis k-means, seeded) entered with their exact (count, mean, s): an
  /// approximation, as rows of one micro-cluster always end in one cluster, bought for O(max_leaves² d) time.
  int64_t max_leaves = 4096;
  int kmeans_max_iter = 20;  ///< Lloyd iterations for the micro-clusters
  uint64_t seed = 0;         ///< seeds the micro-clusters' k-means++
};

#define TAMIS_AVERAGE_LINKAGE_DECLARE(T, Space)                                                                  \
  /** Cluster id of each row of x (n × d, finite) in labels (n): 0 .. k−1, numbered in order of each       \
      cluster's lowest row. Ties in the chain go to the lowest cluster index. Returns k. */                    \
  int64_t fit(resources const& res, params const& p, matrix_view<const T, Space> x, vector_view<int64_t, Space> labels);

TAMIS_AVERAGE_LINKAGE_DECLARE(float, host_memory)
TAMIS_AVERAGE_LINKAGE_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_AVERAGE_LINKAGE_DECLARE(float, device_memory)
TAMIS_AVERAGE_LINKAGE_DECLARE(double, device_memory)
#endif
#undef TAMIS_AVERAGE_LINKAGE_DECLARE

}  // namespace tamis::cluster::average_linkage
