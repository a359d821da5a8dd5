// Row-wise top-k and the merge of partial top-k lists (the step that joins shards).
#pragma once
#define TAMIS_SELECT_HPP_INCLUDED

#include <cstdint>
#include <vector>

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::select {

#define TAMIS_SELECT_DECLARE(T, Space)                                                                         \
  /** Top-k of each row of in_vals (n×m) into out_vals/out_idx (n×k), best first, 1 ≤ k ≤ m, any k.          \
      Ties break by the lower index. in_idx (n×m, optional: pass {}) supplies the index reported for each   \
      entry; by default it is the column. NaN is rejected; ±Inf is ranked. */                                  \
  void select_k(resources const& res, matrix_view<const T, Space> in_vals, matrix_view<const int64_t, Space> in_idx, \
                matrix_view<T, Space> out_vals, matrix_view<int64_t, Space> out_idx, bool select_min);             \
  /** Merges per-shard top-k lists (each n×k_p, with global indices) into the n×k best overall. Entries with  \
      index −1 are padding and ignored; rows with fewer than k real candidates end in index −1. */              \
  void merge_topk(resources const& res, std::vector<matrix_view<const T, Space>> const& part_vals,                 \
                  std::vector<matrix_view<const int64_t, Space>> const& part_idx, matrix_view<T, Space> out_vals,  \
                  matrix_view<int64_t, Space> out_idx, bool select_min);

TAMIS_SELECT_DECLARE(float, host_memory)
TAMIS_SELECT_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_SELECT_DECLARE(float, device_memory)
TAMIS_SELECT_DECLARE(double, device_memory)
#endif
#undef TAMIS_SELECT_DECLARE

}  // namespace tamis::select
