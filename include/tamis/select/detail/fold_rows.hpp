// Folding candidate rows into per-row top-k heaps, with enough parallel work for the backend.
// A backend that runs one worker per row starves when rows are few and long (a GPU wants ~10⁵
// threads): each row's columns are then dealt round-robin to `splits` partial heaps, folded in
// parallel, and the partial heaps merged by the same fold. (key, index) is a strict total order,
// so the kept set, and every result, is the same for any split.
#pragma once
#ifndef TAMIS_SELECT_HPP_INCLUDED
#error "tamis/select/detail/fold_rows.hpp is internal: include tamis/select/select_k.hpp"
#endif

#include <algorithm>
#include <cstdint>
#include <limits>

#include "tamis/core/macros.hpp"
#include "tamis/select/detail/topk_ops.hpp"

namespace tamis::select::detail {

/// Partial heaps as candidates: row r's `cols` (key, index) slots, empty ones included (an empty
/// slot, (+inf, empty_slot), never enters a heap).
template <typename T>
struct heap_candidates {
  const T* keys;
  const int64_t* idx;
  int64_t cols;
  TAMIS_HD T key(int64_t r, int64_t c) const { return keys[r * cols + c]; }
  TAMIS_HD int64_t index(int64_t r, int64_t c) const { return idx[r * cols + c]; }
};

/// Row r's columns j, j + splits, j + 2·splits, … as virtual row r·splits + j, so that adjacent
/// workers read adjacent columns (coalesced on a GPU). Positions past the row's end are skipped.
template <typename T, typename Candidates>
struct strided_candidates {
  Candidates cand;
  int64_t splits;
  int64_t cols;  // ⌈cand.cols / splits⌉
  TAMIS_HD T key(int64_t v, int64_t c) const
  {
    int64_t col = v % splits + c * splits;
    return col < cand.cols ? cand.key(v / splits, col) : std::numeric_limits<T>::infinity();
  }
  TAMIS_HD int64_t index(int64_t v, int64_t c) const
  {
    int64_t col = v % splits + c * splits;
    return col < cand.cols ? cand.index(v / splits, col) : -1;
  }
};

/// Partial heaps per row: enough workers (rows × splits) for `threads` (0: never split), each
/// seeing ≥ max(4k, 64) columns so its heap fills and the screening pays, and at most 2²² scratch
/// slots in all. Rows ≥ threads / 16 are left whole: every split adds heap insertions (k·ln per
/// partial heap), and on an H100 splitting 32,768-row tiles 8 ways made the kNN graph 1.6× slower.
inline int64_t fold_splits(int64_t rows, int64_t cols, int64_t k, int64_t threads)
{
  constexpr int64_t max_scratch = int64_t{1} << 22;
  if (threads <= 0 || rows <= 0 || rows * 16 >= threads) return 1;
  const int64_t by_threads = threads / rows;
  const int64_t by_width = cols / std::max<int64_t>(4 * k, 64);
  const int64_t by_scratch = max_scratch / (rows * k);
  return std::max<int64_t>(1, std::min({by_threads, by_width, by_scratch}));
}

/// Folds every candidate column of rows [0, rows) into the rows' heaps (keys/idx, rows × k).
template <typename Backend, typename T, typename Candidates>
void fold_rows(resources const& res, int64_t rows, Candidates cand, T* keys, int64_t* idx, int64_t k)
{
  const int64_t splits = fold_splits(rows, cand.cols, k, Backend::fold_threads);
  if (splits <= 1) {
    Backend::for_each_n(res, rows, fold_topk_op<T, Candidates>{cand, keys, idx, k});
    return;
  }
  const int64_t width = splits * k;
  auto part_keys = Backend::template allocate<T>(res, rows * width);
  auto part_idx = Backend::template allocate<int64_t>(res, rows * width);
  Backend::for_each_n(res, rows * width, init_topk_op<T>{part_keys.data(), part_idx.data()});
  strided_candidates<T, Candidates> dealt{cand, splits, (cand.cols + splits - 1) / splits};
  Backend::for_each_n(res, rows * splits,
                      fold_topk_op<T, strided_candidates<T, Candidates>>{dealt, part_keys.data(), part_idx.data(), k});
  fold_rows<Backend, T>(res, rows, heap_candidates<T>{part_keys.data(), part_idx.data(), width}, keys, idx, k);
}

}  // namespace tamis::select::detail
