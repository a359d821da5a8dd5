// Bodies of ProbCover, written once over a backend. Every pass is one primitive, ball_counts: per
// (pool tile, row-set tile) one GEMM into the workspace, then one worker per pool row counting the
// set's rows inside its ball. The pool is never compared with more than the rows that matter: the
// labeled rows and the uncovered rows once each at init, a pick's own row and the rows it covers.
#pragma once
#ifndef TAMIS_ACTIVE_PROBCOVER_HPP_INCLUDED
#error "tamis/active/detail/probcover-inl.hpp is internal: include tamis/active/probcover.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tamis/active/kcenter.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/math.hpp"
#include "tamis/linalg/linalg.hpp"
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/linalg/detail/linalg-inl.hpp"
#include "tamis/neighbors/detail/brute_force-inl.hpp"

namespace tamis::active::probcover::detail {

using neighbors::detail::tile_shape;

/// The GEMM form ‖q‖² + ‖r‖² − 2 q·r is off the difference form by at most about
/// 2 (d + 2) ε (‖q‖² + ‖r‖²) (Higham's first-order bounds on both sums, whatever their order); pairs
/// within twice that of δ² are decided by the difference form.
template <typename T>
TAMIS_HD inline T band_slack(int64_t d)
{
  return T(4) * static_cast<T>(d + 2) * std::numeric_limits<T>::epsilon();
}

/// Entry (r, c) of a rows × cols GEMM tile stored row-major, or column-major on a backend whose
/// workers read best side by side (a GPU warp, one worker per row).
template <bool ColumnMajor>
TAMIS_HD inline int64_t tile_at(int64_t r, int64_t c, int64_t rows, int64_t cols)
{
  return ColumnMajor ? c * rows + r : r * cols + c;
}

/// counts[r] += sign · #{c : ‖q_r − s_c‖² ≤ radius2} over one GEMM tile (holding −2 q·s). Blocks of
/// 16 columns are counted branch-free (vectorised on the host); only a block with a pair inside the
/// rounding band goes back over it with the difference form.
template <typename T, bool ColumnMajor>
struct ball_count_op {
  const T* tile;
  int64_t rows;
  int64_t cols;
  const T* q;  // the tile's first query row
  const T* s;  // the tile's first set row
  int64_t d;
  const T* q_norms;  // squared, offset like q
  const T* s_norms;  // squared, offset like s
  T radius2;
  T slack;
  int64_t sign;
  int64_t* counts;  // offset like q
  TAMIS_HD void operator()(int64_t r) const
  {
    constexpr int64_t block = 16;
    const T qn = q_norms[r];
    int64_t inside = 0;
    for (int64_t c0 = 0; c0 < cols; c0 += block) {
      const int64_t end = c0 + block < cols ? c0 + block : cols;
      int64_t sure = 0, near = 0;
      for (int64_t c = c0; c < end; ++c) {
        const T v = tile[tile_at<ColumnMajor>(r, c, rows, cols)] + qn + s_norms[c];
        const T band = slack * (qn + s_norms[c]);
        sure += v <= radius2 - band ? 1 : 0;
        near += v <= radius2 + band ? 1 : 0;
      }
      inside += sure;
      if (near == sure) continue;
      for (int64_t c = c0; c < end; ++c) {
        const T v = tile[tile_at<ColumnMajor>(r, c, rows, cols)] + qn + s_norms[c];
        const T band = slack * (qn + s_norms[c]);
        if (v > radius2 - band && v <= radius2 + band) {
          inside += squared_distance(q + r * d, s + c * d, d) <= radius2 ? 1 : 0;
        }
      }
    }
    counts[r] += sign * inside;
  }
};

/// For each (tile of q's n rows, tile of s's m rows): −2 q·sᵀ into `tile` (tile_at's layout), then
/// fold(r0, rows, c0, cols).
template <typename Backend, typename T, typename Fold>
void gemm_tiles(resources const& res, const T* q, int64_t n, const T* s, int64_t m, int64_t d, T* tile,
                tile_shape shape, Fold&& fold)
{
  const int64_t max_cols = std::min(shape.cols, m);
  for (int64_t r0 = 0; r0 < n; r0 += shape.rows) {
    const int64_t rows = std::min(shape.rows, n - r0);
    for (int64_t c0 = 0; c0 < m; c0 += max_cols) {
      const int64_t cols = std::min(max_cols, m - c0);
      if (Backend::column_major_tiles) {
        Backend::gemm_nt(res, cols, rows, d, T(-2), s + c0 * d, d, q + r0 * d, d, T(0), tile, rows);
      } else {
        Backend::gemm_nt(res, rows, cols, d, T(-2), q + r0 * d, d, s + c0 * d, d, T(0), tile, cols);
      }
      fold(r0, rows, c0, cols);
    }
  }
}

/// counts[i] += sign · (rows of s, m × d, within the ball of row i of q, n × d), tile by tile.
template <typename Backend, typename T>
void ball_counts(resources const& res, const T* q, const T* q_norms, int64_t n, const T* s, const T* s_norms,
                 int64_t m, int64_t d, T radius2, int64_t sign, int64_t* counts, T* tile, tile_shape shape)
{
  const T slack = band_slack<T>(d);
  gemm_tiles<Backend>(res, q, n, s, m, d, tile, shape,
                      [&](int64_t r0, int64_t rows, int64_t c0, int64_t cols) {
                        Backend::for_each_n(res, rows,
                                            ball_count_op<T, Backend::column_major_tiles>{
                                              tile, rows, cols, q + r0 * d, s + c0 * d, d, q_norms + r0,
                                              s_norms + c0, radius2, slack, sign, counts + r0});
                      });
}

struct is_uncovered {
  TAMIS_HD bool operator()(uint8_t s) const { return s == uncovered; }
};
struct is_centre {
  TAMIS_HD bool operator()(uint8_t s) const { return s == centre; }
};
struct is_not_centre {
  TAMIS_HD bool operator()(uint8_t s) const { return s != centre; }
};

/// Calls use(rows, norms, m) on the rows i of x (n × d) where pred(v[i]), gathered in index order with
/// their squared norms, at most `width` rows per call (the copy stays a tile wide, never the whole
/// pool); which rows are taken is fixed at the start. Returns how many there were in all.
template <typename Backend, typename T, typename Pred, typename Use>
int64_t for_each_gathered(resources const& res, const T* x, const T* norms, int64_t n, int64_t d, const uint8_t* v,
                          Pred pred, int64_t width, Use&& use)
{
  auto prefix = Backend::template allocate<int64_t>(res, n);
  Backend::for_each_n(res, n, tamis::detail::flag_op<Pred>{v, pred, prefix.data()});
  Backend::inclusive_scan(res, prefix.data(), prefix.data(), n);
  int64_t total = 0;
  Backend::to_host(res, &total, prefix.data() + n - 1, 1);
  width = std::min(width, total);
  auto rows = Backend::template allocate<T>(res, width * d);
  auto row_norms = Backend::template allocate<T>(res, width);
  for (int64_t first = 0; first < total; first += width) {
    const int64_t m = std::min(width, total - first);
    Backend::for_each_n(res, n, tamis::detail::gather_flagged_rows_op<T>{x, norms, d, prefix.data(), first, m,
                                                                         rows.data(), row_norms.data()});
    use(static_cast<const T*>(rows.data()), static_cast<const T*>(row_norms.data()), m);
  }
  return total;
}

/// status[i] = covered where it was uncovered and counts[i] > 0.
struct cover_op {
  const int64_t* counts;
  uint8_t* status;
  TAMIS_HD void operator()(int64_t i) const
  {
    if (status[i] == uncovered && counts[i] > 0) status[i] = covered;
  }
};

/// fresh[i] = 1 for the uncovered rows inside the pick's ball (counts[i] > 0), which become covered.
struct take_ball_op {
  const int64_t* counts;
  uint8_t* status;
  uint8_t* fresh;
  TAMIS_HD void operator()(int64_t i) const
  {
    const bool take = status[i] == uncovered && counts[i] > 0;
    fresh[i] = take ? 1 : 0;
    if (take) status[i] = covered;
  }
};

/// status[rows[j]] = centre.
struct mark_centres_op {
  const int64_t* rows;
  uint8_t* status;
  TAMIS_HD void operator()(int64_t j) const { status[rows[j]] = centre; }
};

struct centre_mask_op {
  const uint8_t* status;
  uint8_t* mask;
  TAMIS_HD void operator()(int64_t i) const { mask[i] = status[i] == centre ? 1 : 0; }
};

struct labeled_status_op {
  const uint8_t* labeled;  // null: none
  uint8_t* status;
  TAMIS_HD void operator()(int64_t i) const { status[i] = labeled != nullptr && labeled[i] != 0 ? centre : uncovered; }
};

template <typename T>
void check_delta(T delta)
{
  TAMIS_EXPECTS(std::isfinite(delta) && delta > T(0), "delta: must be finite and > 0, got %g",
                static_cast<double>(delta));
}

/// The inputs every pass needs: squared row norms and a distance tile under the workspace limit.
template <typename Backend, typename T>
struct pool {
  typename Backend::template buffer<T> norms;
  tile_shape shape;
  typename Backend::template buffer<T> tile;
  pool(resources const& res, matrix_view<const T, typename Backend::memory_space> x)
    : norms(Backend::template allocate<T>(res, x.rows)),
      shape(plan(res, x.rows)),
      tile(Backend::template allocate<T>(res, shape.rows * shape.cols))
  {
    linalg::detail::row_norms_unchecked<Backend>(res, x.ptr, x.rows, x.cols, norms.data(),
                                                 linalg::norm_kind::squared_l2);
  }
  static tile_shape plan(resources const& res, int64_t n)
  {
    const size_t limit = resource::get_workspace_limit(res);
    const size_t norm_bytes = static_cast<size_t>(n) * sizeof(T);
    return neighbors::detail::plan_tiles(n, n, Backend::tile_rows, Backend::tile_cols_cap,
                                         limit > norm_bytes ? limit - norm_bytes : 0, sizeof(T));
  }
};

template <typename Backend, typename T>
void init(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
          vector_view<const uint8_t, typename Backend::memory_space> labeled, T delta,
          vector_view<uint8_t, typename Backend::memory_space> status,
          vector_view<int64_t, typename Backend::memory_space> degree)
{
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols;
  tamis::detail::check_length("status", status, n);
  tamis::detail::check_length("degree", degree, n);
  if (labeled.ptr != nullptr) tamis::detail::check_length("labeled", labeled, n);
  check_delta(delta);
  tamis::detail::check_finite<Backend>(res, "x", x);
  const T radius2 = delta * delta;
  pool<Backend, T> p(res, x);
  Backend::for_each_n(res, n, labeled_status_op{labeled.ptr, status.ptr});
  Backend::for_each_n(res, n, tamis::detail::fill_op<int64_t>{degree.ptr, 0});
  if (labeled.ptr != nullptr) {  // degree doubles as the count of labeled rows in each ball
    for_each_gathered<Backend>(res, x.ptr, p.norms.data(), n, d, status.ptr, is_centre{}, p.shape.cols,
                               [&](const T* rows, const T* norms, int64_t m) {
                                 ball_counts<Backend>(res, x.ptr, p.norms.data(), n, rows, norms, m, d, radius2, 1,
                                                      degree.ptr, p.tile.data(), p.shape);
                               });
    Backend::for_each_n(res, n, cover_op{degree.ptr, status.ptr});
    Backend::for_each_n(res, n, tamis::detail::fill_op<int64_t>{degree.ptr, 0});
  }
  for_each_gathered<Backend>(res, x.ptr, p.norms.data(), n, d, status.ptr, is_uncovered{}, p.shape.cols,
                             [&](const T* rows, const T* norms, int64_t m) {
                               ball_counts<Backend>(res, x.ptr, p.norms.data(), n, rows, norms, m, d, radius2, 1,
                                                    degree.ptr, p.tile.data(), p.shape);
                             });
  Backend::sync(res);
}

template <typename Backend, typename T>
void select(resources const& res, matrix_view<const T, typename Backend::memory_space> x, T delta,
            vector_view<uint8_t, typename Backend::memory_space> status,
            vector_view<int64_t, typename Backend::memory_space> degree,
            vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<int64_t, typename Backend::memory_space> out_gains)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols, budget = out_indices.length;
  tamis::detail::check_length("status", status, n);
  tamis::detail::check_length("degree", degree, n);
  check_delta(delta);
  const int64_t open = tamis::detail::count_if<Backend>(res, status.ptr, n, is_not_centre{});
  TAMIS_EXPECTS(budget >= 1 && budget <= open, "budget: must be in [1, %lld] (rows that are not centres), got %lld",
                static_cast<long long>(open), static_cast<long long>(budget));
  tamis::detail::check_length("out_gains", out_gains, budget);
  TAMIS_EXPECTS(out_indices.ptr != nullptr, "out_indices: data pointer is null");
  tamis::detail::check_finite<Backend>(res, "x", x);
  const T radius2 = delta * delta;
  pool<Backend, T> p(res, x);
  auto counts = Backend::template allocate<int64_t>(res, n);
  auto fresh = Backend::template allocate<uint8_t>(res, n);
  std::vector<int64_t> picks(static_cast<size_t>(budget));
  std::vector<int64_t> gains(static_cast<size_t>(budget), 0);
  int64_t made = 0;
  for (; made < budget; ++made) {
    const auto found = tamis::detail::argmax<Backend>(res, degree.ptr, n);
    const int64_t pick = found.first, best = found.second;
    if (best == 0) break;  // every row covered
    picks[made] = pick;
    gains[made] = best;
    // The pick's ball, found as the pool rows whose ball holds the pick (the same pairs, both orders).
    Backend::for_each_n(res, n, tamis::detail::fill_op<int64_t>{counts.data(), 0});
    ball_counts<Backend>(res, x.ptr, p.norms.data(), n, x.ptr + pick * d, p.norms.data() + pick, 1, d, radius2, 1,
                         counts.data(), p.tile.data(), p.shape);
    Backend::for_each_n(res, n, take_ball_op{counts.data(), status.ptr, fresh.data()});
    const uint8_t mark = centre;
    Backend::from_host(res, status.ptr + pick, &mark, 1);
    const int64_t taken =
      for_each_gathered<Backend>(res, x.ptr, p.norms.data(), n, d, fresh.data(), tamis::detail::is_nonzero{},
                                 p.shape.cols, [&](const T* rows, const T* norms, int64_t m) {
                                   ball_counts<Backend>(res, x.ptr, p.norms.data(), n, rows, norms, m, d, radius2,
                                                        -1, degree.ptr, p.tile.data(), p.shape);
                                 });
    TAMIS_EXPECTS(taken == best, "degree: row %lld counts %lld uncovered rows in its ball but %lld are; status and "
                  "degree must come from init and select on the same x and delta", static_cast<long long>(pick),
                  static_cast<long long>(best), static_cast<long long>(taken));
  }
  if (made < budget) {  // farthest-first from every centre: the k-center picks, gain 0
    const int64_t rest = budget - made;
    Backend::for_each_n(res, n, centre_mask_op{status.ptr, fresh.data()});
    auto min_dist = Backend::template allocate<T>(res, n);
    auto far = Backend::template allocate<int64_t>(res, rest);
    auto radii = Backend::template allocate<T>(res, rest);
    kcenter::init(res, x, vector_view<const uint8_t, space>(fresh.data(), n),
                  vector_view<T, space>(min_dist.data(), n));
    kcenter::select(res, x, vector_view<T, space>(min_dist.data(), n), vector_view<int64_t, space>(far.data(), rest),
                    vector_view<T, space>(radii.data(), rest));
    Backend::to_host(res, picks.data() + made, far.data(), rest);
    Backend::for_each_n(res, rest, mark_centres_op{far.data(), status.ptr});
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

/// Folds one GEMM tile (−2 x·y) into each row's nearest row of another label: key = ‖y‖² − 2 x·y
/// (the row's own ‖x‖² is common to its candidates), the lowest index on ties (columns come in order).
template <typename T, bool ColumnMajor>
struct nearest_other_op {
  const T* tile;
  int64_t rows;
  int64_t cols;
  int64_t col_offset;
  const int64_t* row_labels;  // offset to the tile's first row
  const int64_t* col_labels;  // offset to the tile's first column
  const T* col_norms;         // squared, offset like col_labels
  T* best_key;                // offset like row_labels
  int64_t* best_idx;
  TAMIS_HD T key(int64_t r, int64_t c, int64_t own) const
  {
    return col_labels[c] == own ? std::numeric_limits<T>::infinity()
                                : tile[tile_at<ColumnMajor>(r, c, rows, cols)] + col_norms[c];
  }
  TAMIS_HD void operator()(int64_t r) const
  {
    // Blocks of 16 keys are screened by a branch-free minimum (vectorised on the host); a block goes
    // back over its keys only when it beats the best so far.
    constexpr int64_t block = 16;
    T best = best_key[r];
    int64_t arg = best_idx[r];
    const int64_t own = row_labels[r];
    for (int64_t c0 = 0; c0 < cols; c0 += block) {
      const int64_t end = c0 + block < cols ? c0 + block : cols;
      T low = std::numeric_limits<T>::infinity();
      for (int64_t c = c0; c < end; ++c) {
        const T k = key(r, c, own);
        low = k < low ? k : low;
      }
      if (!(low < best)) continue;
      for (int64_t c = c0; c < end; ++c) {
        const T k = key(r, c, own);
        if (k < best) {
          best = k;
          arg = col_offset + c;
        }
      }
    }
    best_key[r] = best;
    best_idx[r] = arg;
  }
};

template <typename T>
struct nearest_distance_op {
  const T* x;
  int64_t d;
  const int64_t* nearest;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;
    const int64_t j = nearest[i];
    out[i] = j < 0 ? std::numeric_limits<T>::infinity()
                                             : sqrt(squared_distance(x + i * d, x + j * d, d));
  }
};

template <typename Backend, typename T>
void nearest_other(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                   vector_view<const int64_t, typename Backend::memory_space> labels,
                   vector_view<T, typename Backend::memory_space> out_distances)
{
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols;
  tamis::detail::check_length("labels", labels, n);
  tamis::detail::check_length("out_distances", out_distances, n);
  tamis::detail::check_finite<Backend>(res, "x", x);
  pool<Backend, T> p(res, x);
  auto keys = Backend::template allocate<T>(res, n);
  auto nearest = Backend::template allocate<int64_t>(res, n);
  Backend::for_each_n(res, n, tamis::detail::fill_op<T>{keys.data(), std::numeric_limits<T>::infinity()});
  Backend::for_each_n(res, n, tamis::detail::fill_op<int64_t>{nearest.data(), -1});
  const T* norms = p.norms.data();
  T* best_key = keys.data();
  int64_t* best_idx = nearest.data();
  gemm_tiles<Backend>(res, x.ptr, n, x.ptr, n, d, p.tile.data(), p.shape,
                      [&](int64_t r0, int64_t rows, int64_t c0, int64_t cols) {
                        Backend::for_each_n(res, rows,
                                            nearest_other_op<T, Backend::column_major_tiles>{
                                              p.tile.data(), rows, cols, c0, labels.ptr + r0, labels.ptr + c0,
                                              norms + c0, best_key + r0, best_idx + r0});
                      });
  Backend::for_each_n(res, n, nearest_distance_op<T>{x.ptr, d, nearest.data(), out_distances.ptr});
  Backend::sync(res);
}

}  // namespace tamis::active::probcover::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_PROBCOVER_DEFINE(T, Space, Backend)                                                         \
  void tamis::active::probcover::init(resources const& res, matrix_view<const T, Space> x,                      \
                                      vector_view<const uint8_t, Space> labeled, T delta,                        \
                                      vector_view<uint8_t, Space> status, vector_view<int64_t, Space> degree)    \
  {                                                                                                             \
    detail::init<Backend, T>(res, x, labeled, delta, status, degree);                                            \
  }                                                                                                             \
  void tamis::active::probcover::select(resources const& res, matrix_view<const T, Space> x, T delta,           \
                                        vector_view<uint8_t, Space> status, vector_view<int64_t, Space> degree,  \
                                        vector_view<int64_t, Space> out_indices,                                 \
                                        vector_view<int64_t, Space> out_gains)                                   \
  {                                                                                                             \
    detail::select<Backend, T>(res, x, delta, status, degree, out_indices, out_gains);                           \
  }                                                                                                             \
  void tamis::active::probcover::nearest_other(resources const& res, matrix_view<const T, Space> x,             \
                                               vector_view<const int64_t, Space> labels,                         \
                                               vector_view<T, Space> out_distances)                              \
  {                                                                                                             \
    detail::nearest_other<Backend, T>(res, x, labels, out_distances);                                            \
  }
