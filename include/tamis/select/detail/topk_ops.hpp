// Per-row bounded heaps fed candidate by candidate: the fold step of every top-k in tamis.
// A row's k slots live in the caller's output; while folding they form a max-heap on
// (key, index) so the worst kept pair is at the root; `finish_topk_op` sorts them best first.
#pragma once
#ifndef TAMIS_SELECT_HPP_INCLUDED
#error "tamis/select/detail/topk_ops.hpp is internal: include tamis/select/select_k.hpp"
#endif

#include <cstdint>
#include <limits>

#include "tamis/core/macros.hpp"

namespace tamis::select::detail {

inline constexpr int64_t empty_slot = std::numeric_limits<int64_t>::max();

/// Strict order on (key, index): lower key first, then lower index.
template <typename T>
TAMIS_HD inline bool before(T ka, int64_t ia, T kb, int64_t ib)
{
  return ka < kb || (ka == kb && ia < ib);
}

/// Replaces the root of a max-heap with (key, idx) and restores the heap.
template <typename T>
TAMIS_HD inline void heap_replace_top(T* keys, int64_t* idx, int64_t k, T key, int64_t id)
{
  int64_t pos = 0;
  while (true) {
    int64_t child = 2 * pos + 1;
    if (child >= k) break;
    if (child + 1 < k && before(keys[child], idx[child], keys[child + 1], idx[child + 1])) ++child;
    if (!before(key, id, keys[child], idx[child])) break;
    keys[pos] = keys[child];
    idx[pos] = idx[child];
    pos = child;
  }
  keys[pos] = key;
  idx[pos] = id;
}

/// Empty heaps: every slot holds (+inf, empty_slot).
template <typename T>
struct init_topk_op {
  T* keys;
  int64_t* idx;
  TAMIS_HD void operator()(int64_t i) const
  {
    keys[i] = std::numeric_limits<T>::infinity();
    idx[i] = empty_slot;
  }
};

/// Folds row r of a candidate set into row r's heap. `Candidates` provides cols,
/// key(r, c) (smaller is better) and index(r, c) (negative: skip the entry).
template <typename T, typename Candidates>
struct fold_topk_op {
  Candidates cand;
  T* keys;
  int64_t* idx;
  int64_t k;
  TAMIS_HD void operator()(int64_t r) const
  {
    T* row_keys = keys + r * k;
    int64_t* row_idx = idx + r * k;
    T worst_key = row_keys[0];
    int64_t worst_idx = row_idx[0];
    auto offer = [&](T key, int64_t c) {
      if (key > worst_key) return;
      int64_t id = cand.index(r, c);
      if (id < 0 || !before(key, id, worst_key, worst_idx)) return;
      heap_replace_top(row_keys, row_idx, k, key, id);
      worst_key = row_keys[0];
      worst_idx = row_idx[0];
    };
    // Blocks of keys are computed and screened against the current worst with vector compares;
    // once the heap is warm almost every block is skipped without a branch per candidate.
    constexpr int block = 16;
    const int64_t full = cand.cols - cand.cols % block;
    for (int64_t c0 = 0; c0 < full; c0 += block) {
      T block_keys[block];
      int hits = 0;
      for (int j = 0; j < block; ++j) {
        block_keys[j] = cand.key(r, c0 + j);
        hits += block_keys[j] <= worst_key ? 1 : 0;
      }
      if (hits == 0) continue;
      for (int j = 0; j < block; ++j) offer(block_keys[j], c0 + j);
    }
    for (int64_t c = full; c < cand.cols; ++c) offer(cand.key(r, c), c);
  }
};

/// Heap-sorts row r best first, maps keys to reported values and empty slots to index −1.
template <typename T, typename KeyToValue>
struct finish_topk_op {
  T* keys;
  int64_t* idx;
  int64_t k;
  KeyToValue to_value;
  TAMIS_HD void operator()(int64_t r) const
  {
    T* row_keys = keys + r * k;
    int64_t* row_idx = idx + r * k;
    for (int64_t end = k - 1; end > 0; --end) {
      T key = row_keys[end];
      int64_t id = row_idx[end];
      row_keys[end] = row_keys[0];
      row_idx[end] = row_idx[0];
      heap_replace_top(row_keys, row_idx, end, key, id);
    }
    for (int64_t j = 0; j < k; ++j) {
      if (row_idx[j] == empty_slot) row_idx[j] = -1;
      row_keys[j] = to_value(r, row_keys[j]);
    }
  }
};

/// Candidates from a dense matrix, ranked by sign·value (sign = −1 selects the largest).
template <typename T>
struct matrix_candidates {
  const T* vals;
  const int64_t* in_idx;  // null: the column is the index
  int64_t cols;
  T sign;
  TAMIS_HD T key(int64_t r, int64_t c) const { return sign * vals[r * cols + c]; }
  TAMIS_HD int64_t index(int64_t r, int64_t c) const { return in_idx ? in_idx[r * cols + c] : c; }
};

template <typename T>
struct signed_value {
  T sign;
  TAMIS_HD T operator()(int64_t, T key) const { return sign * key; }
};

}  // namespace tamis::select::detail
