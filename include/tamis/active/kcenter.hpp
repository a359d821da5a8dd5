// Core-set selection by greedy k-center (Sener & Savarese, ICLR 2018; Gonzalez 1985): repeatedly
// take the unlabeled row farthest from every centre (labeled or already picked). The state is one
// squared distance per row, min_dist[i] = min over centres ‖x_i − c‖², so a pick costs one pass over
// the pool and memory stays O(n): no n × n or n × labeled matrix, and rounds continue from the state.
#pragma once
#define TAMIS_ACTIVE_KCENTER_HPP_INCLUDED

#include <cstdint>
#include <vector>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::active::kcenter {

#define TAMIS_ACTIVE_KCENTER_DECLARE(T, Space)                                                                 \
  /** min_dist (n) = squared L2 distance of each row of x (n × d) to its nearest labeled row (labeled[i] ≠ 0, \
      found by exact kNN, the distance then recomputed as Σ (x − r)², so duplicates of labeled rows get 0),    \
      +inf for every row when none is labeled ({} or all zero). Finite x required. */                         \
  void init(resources const& res, matrix_view<const T, Space> x, vector_view<const uint8_t, Space> labeled,   \
            vector_view<T, Space> min_dist);                                                                  \
  /** Makes rows `centres` (host indices, all checked first) centres too: min_dist = min(min_dist,          \
      ‖x − x_c‖²), one pass each. */                                                                          \
  void add_centres(resources const& res, matrix_view<const T, Space> x, std::vector<int64_t> const& centres,  \
                   vector_view<T, Space> min_dist);                                                           \
  /** Greedy picks, out_indices.length of them: each takes the row of largest min_dist (ties: lowest index;  \
      with no centre yet, row 0), records √min_dist of it in out_gains (the covering radius just before the  \
      pick, non-increasing) and updates min_dist. A pick that finds every min_dist at 0 (each row a centre   \
      or a duplicate of one) is an error; min_dist then holds the picks made before it. */                    \
  void select(resources const& res, matrix_view<const T, Space> x, vector_view<T, Space> min_dist,            \
              vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains);

TAMIS_ACTIVE_KCENTER_DECLARE(float, host_memory)
TAMIS_ACTIVE_KCENTER_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ACTIVE_KCENTER_DECLARE(float, device_memory)
TAMIS_ACTIVE_KCENTER_DECLARE(double, device_memory)
#endif
#undef TAMIS_ACTIVE_KCENTER_DECLARE

}  // namespace tamis::active::kcenter
