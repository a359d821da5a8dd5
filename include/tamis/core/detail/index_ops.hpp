// Per-element functors shared by several algorithms: a constant, row ids, gathers by index or flag,
// segment starts of sorted labels (and the grouping of rows by label built on them), rows minus a
// centre, a sign test.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/index_ops.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>

#include "tamis/core/macros.hpp"

namespace tamis::detail {

template <typename T>
struct fill_op {
  T* out;
  T value;
  TAMIS_HD void operator()(int64_t i) const { out[i] = value; }
};

struct iota_op {
  int64_t* out;
  TAMIS_HD void operator()(int64_t i) const { out[i] = i; }
};

/// out[j] = values[idx[j]].
template <typename T>
struct gather_op {
  const T* values;
  const int64_t* idx;
  T* out;
  TAMIS_HD void operator()(int64_t j) const { out[j] = values[idx[j]]; }
};

/// out (rows × d) = the listed rows of x, one element per worker.
template <typename T>
struct gather_rows_op {
  const T* x;
  const int64_t* rows;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t e) const
  {
    const int64_t r = e / d;
    out[e] = x[rows[r] * d + (e - r * d)];
  }
};

/// out[i] = 1 where pred(v[i]), else 0: flags an inclusive scan turns into positions of a compaction.
template <typename Pred>
struct flag_op {
  const uint8_t* v;
  Pred pred;
  int64_t* out;
  TAMIS_HD void operator()(int64_t i) const { out[i] = pred(v[i]) ? 1 : 0; }
};

/// Copies each flagged row i of x (n × d; flagged where its inclusive count rose at i) whose position
/// count[i] − 1 falls in [first, first + width) to that position minus first, with its norm when norms
/// is not null: one window of a compaction, in index order.
template <typename T>
struct gather_flagged_rows_op {
  const T* x;
  const T* norms;        // null: rows only
  int64_t d;
  const int64_t* count;  // inclusive prefix count of the flags
  int64_t first;
  int64_t width;
  T* rows;
  T* row_norms;
  TAMIS_HD void operator()(int64_t i) const
  {
    const int64_t before = i > 0 ? count[i - 1] : 0, at = count[i] - 1 - first;
    if (count[i] == before || at < 0 || at >= width) return;
    for (int64_t k = 0; k < d; ++k) rows[at * d + k] = x[i * d + k];
    if (norms != nullptr) row_norms[at] = norms[i];
  }
};

template <typename T>
struct is_negative {
  TAMIS_HD bool operator()(T v) const { return v < T(0); }
};

/// start[c] = first position of label c in the sorted labels (start[k] = n).
struct segment_start_op {
  const int64_t* sorted_labels;
  int64_t n;
  int64_t* start;
  TAMIS_HD void operator()(int64_t c) const
  {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (sorted_labels[mid] < c) lo = mid + 1; else hi = mid;
    }
    start[c] = lo;
  }
};

/// Groups n rows by their labels in [0, k): rows (n) = the row ids sorted by label, stably, keys (n) the
/// sorted labels, start (k + 1) each label's first position in them (start[k] = n).
template <typename Backend>
void sort_rows_by_label(resources const& res, const int64_t* labels, int64_t n, int64_t k, int64_t* keys,
                        int64_t* rows, int64_t* start)
{
  Backend::copy(res, keys, labels, n);
  Backend::for_each_n(res, n, iota_op{rows});
  Backend::stable_sort_by_key(res, keys, rows, n);
  Backend::for_each_n(res, k + 1, segment_start_op{keys, n, start});
}

/// out = x − centre, row by row (x and out are rows × d, centre d).
template <typename T>
struct centre_rows_op {
  const T* x;
  const T* centre;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t e) const { out[e] = x[e] - centre[e % d]; }
};

}  // namespace tamis::detail
