// Per-element functors shared by several algorithms: a constant, row ids, gathers by index, segment starts of
// sorted labels, rows minus a centre, a sign test.
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
