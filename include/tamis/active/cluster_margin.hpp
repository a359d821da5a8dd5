// Cluster-Margin (Citovsky et al., "Batch Active Learning at Scale", NeurIPS 2021): the k_m most
// uncertain unlabeled rows (highest margin score), grouped by a fixed clustering of the pool
// (average-linkage HAC, tamis::cluster::average_linkage), then drawn round-robin over those groups,
// the smallest first, one seeded random member per group and visit, until the budget is met.
#pragma once
#define TAMIS_ACTIVE_CLUSTER_MARGIN_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::cluster_margin {

#define TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE(T, Space)                                                          \
  /** out_indices.length (the budget b) rows out of the `candidates` (k_m, b ≤ k_m ≤ unlabeled rows)       \
      highest-scoring unlabeled rows (top_b: scores finite, ties to the lowest index; labeled: {} for none). \
      The candidates are grouped by clusters[i] (≥ 0); groups are ordered by their candidate count, then    \
      their cluster id, ascending, and visited in that order, again and again, skipping emptied ones: each  \
      visit removes the member at position uniform_index(p, r) of Philox stream (seed, 0), p the pick       \
      number, among the r left (kept in ascending row order, a removed member's slot taken by the group's   \
      last). out_gains gets the picks' scores. The grouping and round-robin (O(k_m log k_m)) run on the     \
      host after copying the k_m candidates. */                                                             \
  void select(resources const& res, vector_view<const T, Space> scores, vector_view<const int64_t, Space> clusters, \
              vector_view<const uint8_t, Space> labeled, int64_t candidates, uint64_t seed,                  \
              vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains);

TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE(float, host_memory)
TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE(float, device_memory)
TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_CLUSTER_MARGIN_DECLARE

}  // namespace tamis::active::cluster_margin
