// Per-element distance math, shared by the host and CUDA backends.
#pragma once
#ifndef TAMIS_LINALG_HPP_INCLUDED
#error "tamis/linalg/detail/distance_ops.hpp is internal: include tamis/linalg/linalg.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "tamis/core/macros.hpp"
#include "tamis/linalg/linalg.hpp"

namespace tamis::linalg::detail {

template <typename T>
struct row_norm_op {
  const T* x;
  int64_t d;
  T* out;
  norm_kind kind;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;  // the float overload on the host; CUDA's on the device
    const T* row = x + i * d;
    T acc = 0;
    for (int64_t j = 0; j < d; ++j) acc += row[j] * row[j];
    if (kind == norm_kind::squared_l2) {
      out[i] = acc;
    } else if (kind == norm_kind::l2) {
      out[i] = sqrt(acc);
    } else {
      out[i] = acc > T(0) ? T(1) / sqrt(acc) : T(0);
    }
  }
};

/// The GEMM factor a metric's tile starts from: −2·x·y for L2 forms, −x·y otherwise.
template <typename T>
TAMIS_HD constexpr T gemm_alpha(distance_metric m)
{
  return (m == distance_metric::sqeuclidean || m == distance_metric::euclidean) ? T(-2) : T(-1);
}

/// The norm a metric needs per row (squared norms for L2 forms, inverse norms for cosine).
inline norm_kind needed_norm(distance_metric m)
{
  return m == distance_metric::cosine ? norm_kind::inverse_l2 : norm_kind::squared_l2;
}
inline bool needs_norms(distance_metric m) { return m != distance_metric::inner_product; }

/// Ranking key of a pair from its GEMM entry: smaller is nearer for every metric.
/// L2 leaves out the row's own ‖x‖² (constant per row, added to the k survivors only).
template <typename T>
TAMIS_HD inline T ranking_key(distance_metric m, T gemm_value, T row_norm, T col_norm)
{
  switch (m) {
    case distance_metric::sqeuclidean:
    case distance_metric::euclidean: return gemm_value + col_norm;
    case distance_metric::cosine: return gemm_value * row_norm * col_norm;
    default: return gemm_value;
  }
}

/// The reported distance (or similarity for inner_product) of a ranking key.
template <typename T>
TAMIS_HD inline T key_to_distance(distance_metric m, T key, T row_norm)
{
  switch (m) {
    case distance_metric::sqeuclidean: {
      T v = key + row_norm;
      return v > T(0) ? v : T(0);
    }
    case distance_metric::euclidean: {
      using std::sqrt;
      T v = key + row_norm;
      return v > T(0) ? sqrt(v) : T(0);
    }
    case distance_metric::cosine: return T(1) + key;
    default: return -key;
  }
}

/// Calls f(std::integral_constant<distance_metric, m>{}) so hot loops get the metric at compile time.
template <typename F>
void visit_metric(distance_metric m, F&& f)
{
  switch (m) {
    case distance_metric::sqeuclidean: f(std::integral_constant<distance_metric, distance_metric::sqeuclidean>{}); break;
    case distance_metric::euclidean: f(std::integral_constant<distance_metric, distance_metric::euclidean>{}); break;
    case distance_metric::inner_product:
      f(std::integral_constant<distance_metric, distance_metric::inner_product>{});
      break;
    case distance_metric::cosine: f(std::integral_constant<distance_metric, distance_metric::cosine>{}); break;
  }
}

/// Turns a GEMM tile (alpha already applied) into distances in place.
template <typename T>
struct distance_epilogue_op {
  T* tile;
  int64_t cols;
  const T* row_norms;  // null for inner_product
  const T* col_norms;
  distance_metric metric;
  TAMIS_HD void operator()(int64_t r) const
  {
    T rn = row_norms ? row_norms[r] : T(0);
    for (int64_t c = 0; c < cols; ++c) {
      T cn = col_norms ? col_norms[c] : T(0);
      T& v = tile[r * cols + c];
      v = key_to_distance(metric, ranking_key(metric, v, rn, cn), rn);
    }
  }
};

}  // namespace tamis::linalg::detail
