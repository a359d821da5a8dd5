// ProbCover (Yehuda et al., NeurIPS 2022): greedy max coverage of the δ-ball graph, x → y iff
// ‖x − y‖ ≤ δ (the closed ball, as scikit-activeml; the reference repo's strict < differs only for
// pairs at exactly δ). The graph is never stored: the state is one status byte and one degree per
// row (degree = uncovered rows in the row's ball), built by one tiled pass over the pool, and a pick
// costs one pass over the pool plus one tiled pass of the pool against the rows it newly covers, so
// a whole run costs about one n × n pass. Memory stays O(n + tile): the rows a pass compares against
// are copied a tile's width at a time.
// Ball membership is Σ_k (x_k − y_k)² ≤ δ² in the difference form, exactly the same for every pass
// and both orders of a pair: GEMM tiles decide every pair farther than their rounding bound from
// the boundary and the difference form the rest, so degrees never drift from the covered set.
#pragma once
#define TAMIS_ACTIVE_PROBCOVER_HPP_INCLUDED

#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::probcover {

/// Row status in the coverage state: not in any centre's ball, in one, or a centre itself (labeled
/// or picked; its ball is covered).
inline constexpr uint8_t uncovered = 0;
inline constexpr uint8_t covered = 1;
inline constexpr uint8_t centre = 2;

#define TAMIS_ACTIVE_PROBCOVER_DECLARE(T, Space)                                                              \
  /** The state with the labeled rows (labeled[i] ≠ 0; {} for none) as centres: status (n) = centre,       \
      covered (within delta of a centre) or uncovered, degree (n) = number of uncovered rows within delta  \
      of each row. x (n × d) finite, delta > 0 finite. */                                                  \
  void init(resources const& res, matrix_view<const T, Space> x, vector_view<const uint8_t, Space> labeled,  \
            T delta, vector_view<uint8_t, Space> status, vector_view<int64_t, Space> degree);                \
  /** Greedy picks, out_indices.length of them, continuing from the state init (or an earlier select) left \
      for the same x and delta: each takes the row of largest degree (it covers the most uncovered rows;  \
      ties: lowest index), records that degree in out_gains (non-increasing) and covers its ball. Once     \
      every row is covered (largest degree 0) the picks go on farthest-first, k-center style: the          \
      non-centre row farthest from every centre (ties: lowest index), gain 0. Budget must be in [1,        \
      non-centre rows]; a fallback pick that finds every row at distance 0 from a centre is an error.       \
      After an error, status and degree are unspecified (tamis.active.ProbCoverState restores its own). */ \
  void select(resources const& res, matrix_view<const T, Space> x, T delta, vector_view<uint8_t, Space> status, \
              vector_view<int64_t, Space> degree, vector_view<int64_t, Space> out_indices,                   \
              vector_view<int64_t, Space> out_gains);                                                       \
  /** out_distances[i] = L2 distance of row i to its nearest row j with labels[j] ≠ labels[i] (+inf when   \
      every row shares its label), the quantity behind δ's purity: row i's ball is pure iff it exceeds δ. \
      Nearest found on GEMM tiles, its distance recomputed in the difference form. */                      \
  void nearest_other(resources const& res, matrix_view<const T, Space> x, vector_view<const int64_t, Space> labels, \
                     vector_view<T, Space> out_distances);

TAMIS_ACTIVE_PROBCOVER_DECLARE(float, host_memory)
TAMIS_ACTIVE_PROBCOVER_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_PROBCOVER_DECLARE(float, device_memory)
TAMIS_ACTIVE_PROBCOVER_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_PROBCOVER_DECLARE

}  // namespace tamis::active::probcover
