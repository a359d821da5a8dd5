// Per-element pieces of k-means shared by the host and CUDA backends.
#pragma once
#ifndef TAMIS_CLUSTER_KMEANS_HPP_INCLUDED
#error "tamis/cluster/detail/kmeans_ops.hpp is internal: include tamis/cluster/kmeans.hpp"
#endif

#include <cstdint>

#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/macros.hpp"

namespace tamis::cluster::kmeans::detail {

template <typename From, typename To>
struct convert_op {
  const From* in;
  To* out;
  TAMIS_HD void operator()(int64_t i) const { out[i] = static_cast<To>(in[i]); }
};

/// Sums of cluster c's member rows (scaled by row_scale when given) over one chunk of `chunk`
/// columns, in row order: deterministic for any chunk. Item t is (cluster t / chunks, chunk t % chunks).
template <typename T>
struct cluster_sum_op {
  const T* x;
  int64_t d;
  int64_t chunk;
  const int64_t* order;  // row ids sorted by label
  const int64_t* start;
  const T* row_scale;    // null: 1
  double* sums;          // k × d
  int64_t* counts;
  TAMIS_HD void operator()(int64_t t) const
  {
    const int64_t chunks = (d + chunk - 1) / chunk;
    const int64_t c = t / chunks, j0 = t % chunks * chunk, j1 = j0 + chunk < d ? j0 + chunk : d;
    double* out = sums + c * d;
    for (int64_t j = j0; j < j1; ++j) out[j] = 0;
    for (int64_t p = start[c]; p < start[c + 1]; ++p) {
      int64_t row = order[p];
      double s = row_scale ? static_cast<double>(row_scale[row]) : 1.0;
      const T* xr = x + row * d;
      for (int64_t j = j0; j < j1; ++j) out[j] += static_cast<double>(xr[j]) * s;
    }
    if (j0 == 0) counts[c] = start[c + 1] - start[c];
  }
};

/// Σ v and Σ v² of column j over one block of `block_rows` rows (v = x·row_scale), for the
/// tolerance's mean variance. Item t is (block t / d, column t % d); blocks are combined in order.
template <typename T>
struct column_moments_op {
  const T* x;
  int64_t rows;
  int64_t d;
  int64_t block_rows;
  const T* row_scale;
  double* out;  // per block: [sum_0..sum_{d-1}, sumsq_0..sumsq_{d-1}]
  TAMIS_HD void operator()(int64_t t) const
  {
    const int64_t b = t / d, j = t % d;
    const int64_t end = (b + 1) * block_rows < rows ? (b + 1) * block_rows : rows;
    double s = 0, ss = 0;
    for (int64_t r = b * block_rows; r < end; ++r) {
      double v = static_cast<double>(x[r * d + j]) * (row_scale ? static_cast<double>(row_scale[r]) : 1.0);
      s += v;
      ss += v * v;
    }
    out[b * 2 * d + j] = s;
    out[b * 2 * d + d + j] = ss;
  }
};

/// k-means++ potential of candidate t over a batch: Σ_r min(closest[r], dist[r][t]).
template <typename T>
struct candidate_potential_op {
  const T* closest;
  const T* dist;  // rows × trials
  int64_t rows;
  int64_t trials;
  double* out;
  TAMIS_HD void operator()(int64_t t) const
  {
    double acc = 0;
    for (int64_t r = 0; r < rows; ++r) {
      T v = dist[r * trials + t];
      acc += static_cast<double>(closest[r] < v ? closest[r] : v);
    }
    out[t] = acc;
  }
};

/// closest[r] = min(closest[r], dist[r][best]) once candidate `best` is chosen.
template <typename T>
struct take_candidate_op {
  T* closest;
  const T* dist;
  int64_t trials;
  int64_t best;
  TAMIS_HD void operator()(int64_t r) const
  {
    T v = dist[r * trials + best];
    if (v < closest[r]) closest[r] = v;
  }
};

/// out[t] = first i with cumsum[i] ≥ target[t] (clipped to n − 1), as numpy.searchsorted.
struct search_sorted_op {
  const double* cumsum;
  int64_t n;
  const double* targets;
  int64_t* out;
  TAMIS_HD void operator()(int64_t t) const
  {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo) / 2;
      if (cumsum[mid] < targets[t]) lo = mid + 1; else hi = mid;
    }
    out[t] = lo < n ? lo : n - 1;
  }
};

}  // namespace tamis::cluster::kmeans::detail
