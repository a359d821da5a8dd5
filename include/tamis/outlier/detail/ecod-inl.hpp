// Body of the sorted-column state and of ECOD / COPOD, written once over a backend. Every ECDF value
// is a search in a sorted column, so scoring is O(m·d·log n). Scoring runs column-major: one call
// searches one feature's column for a group of rows (through small fence arrays, the group's searches
// in lockstep so their loads overlap, the column in cache across consecutive calls) and writes the
// tail terms to a workspace; a second pass sums them per row in feature order, as a per-row loop
// would. Moments for the skewness sign are fixed-block sums combined in order on the host, so every
// result is independent of thread count and backend scheduling.
#pragma once
#ifndef TAMIS_OUTLIER_ECOD_HPP_INCLUDED
#error "tamis/outlier/detail/ecod-inl.hpp is internal: include tamis/outlier/ecod.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/transpose.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"

namespace tamis::outlier::detail {

/// #{a[0..n) < v} in an ascending run (std::lower_bound). Branch-free: the comparison selects the
/// next base, so searches for unrelated values do not stall on mispredicted branches.
template <typename T>
TAMIS_HD inline int64_t count_less(const T* a, int64_t n, T v)
{
  if (n == 0) return 0;
  const T* base = a;
  for (int64_t len = n; len > 1;) {
    const int64_t half = len / 2;
    base = base[half] < v ? base + half : base;
    len -= half;
  }
  return (base - a) + (*base < v ? 1 : 0);
}

/// #{a[0..n) ≤ v} in an ascending run (std::upper_bound), branch-free like count_less.
template <typename T>
TAMIS_HD inline int64_t count_not_greater(const T* a, int64_t n, T v)
{
  if (n == 0) return 0;
  const T* base = a;
  for (int64_t len = n; len > 1;) {
    const int64_t half = len / 2;
    base = base[half] <= v ? base + half : base;
    len -= half;
  }
  return (base - a) + (*base <= v ? 1 : 0);
}

/// #{a[0..n) ≤ v} given less = #{a[0..n) < v}: gallops over the run of values equal to v, so a value
/// without ties costs one comparison next to the one count_less made last.
template <typename T>
TAMIS_HD inline int64_t count_not_greater_from(const T* a, int64_t n, int64_t less, T v)
{
  int64_t lo = less, step = 1;  // a[0..lo) ≤ v
  while (lo < n && a[lo] <= v) {
    const int64_t far = n - lo > step ? lo + step : n;
    if (!(a[far - 1] <= v)) return lo + 1 + count_not_greater(a + lo + 1, far - 2 - lo, v);
    lo = far;
    step *= 2;
  }
  return lo;
}

/// Per block: entries of a rows × cols matrix that are NaN/Inf or larger than their right neighbour.
template <typename T>
struct block_count_unsorted_op {
  const T* x;
  int64_t cols;
  int64_t size;
  int64_t* out;
  TAMIS_HD void operator()(int64_t b) const
  {
    using tamis::detail::reduction_block;
    int64_t end = (b + 1) * reduction_block < size ? (b + 1) * reduction_block : size;
    int64_t count = 0;
    int64_t col = (b * reduction_block) % cols;
    for (int64_t e = b * reduction_block; e < end; ++e) {
      bool bad = x[e] - x[e] != T(0);
      if (!bad && col + 1 < cols) bad = !(x[e] <= x[e + 1]);
      count += bad ? 1 : 0;
      col = col + 1 < cols ? col + 1 : 0;
    }
    out[b] = count;
  }
};

inline void expect_sorted_columns(const char* name, int64_t unsorted)
{
  TAMIS_EXPECTS(unsorted == 0, "%s: %lld entries are NaN/Inf or break ascending order (expected sort_columns' output)",
                name, static_cast<long long>(unsorted));
}

/// A fitted state argument: d × n, finite, each row ascending.
template <typename Backend, typename T>
void check_sorted_columns(resources const& res, const char* name, matrix_view<const T, typename Backend::memory_space> s)
{
  tamis::detail::check_matrix(name, s);
  const int64_t bad = tamis::detail::reduce_blocks<Backend, int64_t>(res, s.size(), [=](int64_t* out) {
    return block_count_unsorted_op<T>{s.ptr, s.cols, s.size(), out};
  });
  expect_sorted_columns(name, bad);
}

/// Scatters each element of two sorted rows to its merged position: an element of `a` lands after
/// the elements of `b` smaller than it, one of `b` after the elements of `a` not larger (a stable
/// merge), so the positions form a permutation without any coordination between calls.
template <typename T>
struct merge_columns_op {
  const T* a;
  int64_t na;
  const T* b;
  int64_t nb;
  T* out;
  TAMIS_HD void operator()(int64_t e) const
  {
    const int64_t total = na + nb;
    const int64_t j = e / total, p = e - j * total;
    if (p < na) {
      T v = a[j * na + p];
      out[j * total + p + count_less(b + j * nb, nb, v)] = v;
    } else {
      T v = b[j * nb + (p - na)];
      out[j * total + (p - na) + count_not_greater(a + j * na, na, v)] = v;
    }
  }
};

/// Per (row, block) of a d × length matrix: Σx (mean == nullptr), else Σδ² and Σδ³ with δ = x − mean[row].
/// The Σx pass also counts, in the second slot, the entries that are NaN/Inf or exceed their right
/// neighbour in the row, so validating a fitted state costs no pass of its own.
template <typename T>
struct column_block_moments_op {
  const T* cols;
  int64_t length;
  int64_t blocks;
  const double* mean;
  double* out;
  TAMIS_HD void operator()(int64_t item) const
  {
    using tamis::detail::reduction_block;
    const int64_t j = item / blocks, b = item - j * blocks;
    const int64_t end = (b + 1) * reduction_block < length ? (b + 1) * reduction_block : length;
    const T* c = cols + j * length;
    double s1 = 0, s2 = 0;
    if (mean == nullptr) {
      int64_t unsorted = 0;
      for (int64_t i = b * reduction_block; i < end; ++i) {
        s1 += static_cast<double>(c[i]);
        const bool bad = c[i] - c[i] != T(0) || (i + 1 < length && !(c[i] <= c[i + 1]));
        unsorted += bad ? 1 : 0;
      }
      s2 = static_cast<double>(unsorted);
    } else {
      const double mu = mean[j];
      for (int64_t i = b * reduction_block; i < end; ++i) {
        double delta = static_cast<double>(c[i]) - mu, sq = delta * delta;
        s1 += sq;
        s2 += sq * delta;
      }
    }
    out[2 * item] = s1;
    out[2 * item + 1] = s2;
  }
};

/// Skewness sign per feature of the union of the sorted columns a (d × na) and b (d × nb; nb may be 0),
/// as PyOD sees it: sign(nan_to_num(scipy.stats.skew)). SciPy returns NaN (so 0) where
/// m2 ≤ (ε·mean)², ε the data type's epsilon; otherwise the sign of m3. Returned in backend memory.
/// First validates a as the fitted state `name` (finite, rows ascending), throwing otherwise.
template <typename Backend, typename T>
typename Backend::template buffer<int32_t> skew_signs(resources const& res, const char* name, const T* a, int64_t na,
                                                       const T* b, int64_t nb, int64_t d)
{
  using tamis::detail::reduction_block;
  const int64_t blocks_a = (na + reduction_block - 1) / reduction_block;
  const int64_t blocks_b = (nb + reduction_block - 1) / reduction_block;
  const int64_t items = d * (blocks_a + blocks_b);
  auto partial = Backend::template allocate<double>(res, 2 * items);
  auto mean = Backend::template allocate<double>(res, d);
  std::vector<double> host(static_cast<size_t>(2 * items));
  std::vector<double> s1(static_cast<size_t>(d)), s2(static_cast<size_t>(d));
  // One pass over both sources; block partials are combined per feature in a fixed order.
  auto pass = [&](const double* centre) {
    Backend::for_each_n(res, d * blocks_a, column_block_moments_op<T>{a, na, blocks_a, centre, partial.data()});
    if (nb > 0) {
      Backend::for_each_n(res, d * blocks_b,
                          column_block_moments_op<T>{b, nb, blocks_b, centre, partial.data() + 2 * d * blocks_a});
    }
    Backend::to_host(res, host.data(), partial.data(), 2 * items);
    for (int64_t j = 0; j < d; ++j) {
      double x1 = 0, x2 = 0;
      for (int64_t k = 0; k < blocks_a; ++k) {
        x1 += host[2 * (j * blocks_a + k)];
        x2 += host[2 * (j * blocks_a + k) + 1];
      }
      for (int64_t k = 0; k < blocks_b; ++k) {
        x1 += host[2 * (d * blocks_a + j * blocks_b + k)];
        x2 += host[2 * (d * blocks_a + j * blocks_b + k) + 1];
      }
      s1[j] = x1;
      s2[j] = x2;
    }
  };
  const double count = static_cast<double>(na + nb);
  pass(nullptr);
  int64_t unsorted = 0;
  for (int64_t item = 0; item < d * blocks_a; ++item) unsorted += static_cast<int64_t>(host[2 * item + 1]);
  expect_sorted_columns(name, unsorted);
  std::vector<double> mu(static_cast<size_t>(d));
  for (int64_t j = 0; j < d; ++j) mu[j] = s1[j] / count;
  Backend::from_host(res, mean.data(), mu.data(), d);
  pass(mean.data());
  const double eps = std::numeric_limits<T>::epsilon();
  std::vector<int32_t> sign(static_cast<size_t>(d));
  for (int64_t j = 0; j < d; ++j) {
    const double m2 = s1[j] / count, m3 = s2[j] / count;
    const bool constant = m2 <= (eps * mu[j]) * (eps * mu[j]);
    sign[j] = constant ? 0 : (m3 > 0) - (m3 < 0);
  }
  auto out = Backend::template allocate<int32_t>(res, d);
  Backend::from_host(res, out.data(), sign.data(), d);
  return out;
}

/// How the reference sample of the ECDFs relates to the scored rows.
enum class reference_kind {
  train,         ///< the scored rows are the training set: N = n, counts as they are
  inductive,     ///< N = n + 1, the sample counts itself
  transductive,  ///< N = n + m, counts in the training and the (sorted) batch columns
};

/// table[k] = −ln(k / total) for k in [0, total]: the tail term of a count, shared by all features
/// (the same expression as computing it in place, so the same bits).
struct neg_log_ratio_op {
  double total;
  double* table;
  TAMIS_HD void operator()(int64_t k) const
  {
    using std::log;
    table[k] = -log(static_cast<double>(k) / total);
  }
};

/// Searches in a long sorted run go through a hierarchy of fences: level 1 holds the last value of
/// each block of fence_width values of the run, level l + 1 the same of level l, up to a level of at
/// most fence_width values. Each level narrows the search to one block of the level below by counting
/// the values under v in fence_width contiguous values, so a search is a few short, vectorisable
/// counts in small arrays rather than a chain of log2(n) dependent loads spread over the run.
inline constexpr int64_t fence_width = 16;
inline constexpr int max_fence_levels = 16;  // fence_width^16 > 2^63

/// Lengths and offsets of the fence levels of d runs of the same length; level l is a d × length[l]
/// block at offset[l] of one buffer (level 0 is the runs themselves).
struct fence_layout {
  int levels = 0;
  int64_t length[max_fence_levels + 1] = {};
  int64_t offset[max_fence_levels + 1] = {};
  int64_t size = 0;  // fences in all levels

  fence_layout(int64_t run_length, int64_t d)
  {
    length[0] = run_length;
    while (length[levels] > fence_width) {
      ++levels;
      length[levels] = (length[levels - 1] + fence_width - 1) / fence_width;
      offset[levels] = size;
      size += d * length[levels];
    }
  }
};

/// All fences of one layout, item = offset[l] + j · length[l] + t: fence t of level l of run j is the
/// last value of its block of fence_width^l run values, so every level is read off the runs at once.
template <typename T>
struct fences_op {
  const T* runs;  // d × length[0]
  fence_layout layout;
  T* fences;
  TAMIS_HD void operator()(int64_t item) const
  {
    int l = 1;
    while (l < layout.levels && item >= layout.offset[l + 1]) ++l;
    const int64_t within = item - layout.offset[l], j = within / layout.length[l], t = within - j * layout.length[l];
    int64_t span = 1;
    for (int k = 0; k < l; ++k) span *= fence_width;
    const int64_t n = layout.length[0], end = (t + 1) * span < n ? (t + 1) * span : n;
    fences[item] = runs[j * n + end - 1];
  }
};

template <typename Backend, typename T>
void build_fences(resources const& res, const T* runs, fence_layout const& layout, T* fences)
{
  if (layout.size > 0) Backend::for_each_n(res, layout.size, fences_op<T>{runs, layout, fences});
}

/// Values searched together by one tails call: their searches advance level by level in lockstep,
/// so their memory loads are independent and overlap.
inline constexpr int64_t search_group = 16;

/// less[k] = #{run j < v[k]} (std::lower_bound) through the fences, for a group of values. The blocks
/// whose fence is below v lie wholly below it, so at each level the answer is in the next block: the
/// window of fence_width values starting there (the last such window when that block is partial or
/// past the end).
template <typename T>
TAMIS_HD inline void fenced_count_less(const T* runs, const T* fences, fence_layout const& layout, int64_t j,
                                       const T* v, int64_t* less)
{
  for (int64_t k = 0; k < search_group; ++k) less[k] = 0;
  for (int l = layout.levels; l >= 0; --l) {
    const int64_t length = layout.length[l];
    const T* run = (l == 0 ? runs : fences + layout.offset[l]) + j * length;
    const int64_t window = length < fence_width ? length : fence_width;
    for (int64_t k = 0; k < search_group; ++k) {
      const int64_t start = less[k] * fence_width < length - window ? less[k] * fence_width : length - window;
      int64_t count = 0;
      for (int64_t e = 0; e < window; ++e) count += run[start + e] < v[k] ? 1 : 0;
      less[k] = start + count;
    }
  }
}

/// Tail terms U_l, U_r of feature j for rows [g · search_group, …) of a chunk of `rows` rows starting
/// at row0 of x, item = j · groups + g; written to tails[2 (j · rows + i)] and the slot after. Items
/// of one feature are consecutive, so its column and fences stay in cache. In the train reference a
/// value absent from its column gets U_l = NaN.
template <typename T>
struct ecdf_tails_op {
  const T* sorted;  // d × n
  const T* fences;  // of sorted
  fence_layout layout;
  const T* batch;   // d × m, sorted; transductive only
  const T* batch_fences;
  fence_layout batch_layout;
  const T* x;       // rows × d
  int64_t d;
  int64_t row0;
  int64_t rows;
  int64_t groups;
  reference_kind reference;
  const double* table;  // neg_log_ratio_op's table over the reference size, or nullptr: computed in place
  double* tails;
  TAMIS_HD void operator()(int64_t item) const
  {
    using std::log;
    const int64_t j = item / groups, first = (item - j * groups) * search_group;
    const int64_t count = rows - first < search_group ? rows - first : search_group;
    const int64_t n = layout.length[0], m = batch_layout.length[0];
    T v[search_group];
    for (int64_t k = 0; k < search_group; ++k) v[k] = x[(row0 + first + (k < count ? k : count - 1)) * d + j];
    int64_t less[search_group], batch_less[search_group];
    fenced_count_less(sorted, fences, layout, j, v, less);
    if (reference == reference_kind::transductive) fenced_count_less(batch, batch_fences, batch_layout, j, v, batch_less);
    const int64_t self = reference == reference_kind::inductive ? 1 : 0;
    for (int64_t k = 0; k < count; ++k) {
      const int64_t not_greater = count_not_greater_from(sorted + j * n, n, less[k], v[k]);
      int64_t left = not_greater + self, right = n - less[k] + self;
      if (reference == reference_kind::transductive) {
        left += count_not_greater_from(batch + j * m, m, batch_less[k], v[k]);
        right += m - batch_less[k];
      }
      double u_left, u_right;
      if (table != nullptr) {
        u_left = table[left];
        u_right = table[right];
      } else {
        const double total = static_cast<double>(n + (reference == reference_kind::transductive ? m : 0) + self);
        u_left = -log(static_cast<double>(left) / total);
        u_right = -log(static_cast<double>(right) / total);
      }
      if (reference == reference_kind::train && not_greater == less[k]) u_left = static_cast<double>(NAN);
      double* out = tails + 2 * (j * rows + first + k);
      out[0] = u_left;
      out[1] = u_right;
    }
  }
};

/// One row's score from its tail terms, features summed in order in double.
template <typename T>
struct tail_sum_op {
  const double* tails;  // 2 × (d × rows), see ecdf_tails_op
  int64_t rows;
  int64_t d;
  const int32_t* skew_sign;
  ecod::detector kind;
  ecod::aggregation agg;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    double sum_left = 0, sum_right = 0, sum_skew = 0, sum_term = 0;
    bool absent = false;
    for (int64_t j = 0; j < d; ++j) {
      const double u_left = tails[2 * (j * rows + i)], u_right = tails[2 * (j * rows + i) + 1];
      absent = absent || u_left != u_left;
      const int32_t s = skew_sign[j];
      const double u_skew = s < 0 ? u_left : s > 0 ? u_right : u_left + u_right;
      double term;
      if (kind == ecod::detector::ecod) {
        term = u_left > u_right ? u_left : u_right;
        term = u_skew > term ? u_skew : term;
      } else {
        const double mid = (u_left + u_right) / 2;
        term = u_skew > mid ? u_skew : mid;
      }
      sum_left += u_left;
      sum_right += u_right;
      sum_skew += u_skew;
      sum_term += term;
    }
    double score = sum_term;
    if (agg == ecod::aggregation::paper) {
      score = sum_left > sum_right ? sum_left : sum_right;
      score = sum_skew > score ? sum_skew : score;
    }
    // A training row must find each of its values in the columns; NaN flags one that does not.
    out[i] = absent ? static_cast<T>(NAN) : static_cast<T>(score);
  }
};

/// out (rows) = scores of the rows of x (rows × d) against the reference columns, in chunks of rows
/// whose tail terms (2 × chunk × d doubles) fit a bounded workspace.
template <typename Backend, typename T>
void ecdf_scores(resources const& res, const T* sorted, int64_t n, const T* batch, int64_t m, const T* x, int64_t rows,
                 int64_t d, const int32_t* skew_sign, reference_kind reference, ecod::detector kind,
                 ecod::aggregation agg, T* out)
{
  constexpr int64_t chunk_values = int64_t{1} << 20;  // 16 MiB of tail terms
  const int64_t total = n + (reference == reference_kind::transductive ? m : 0) +
                        (reference == reference_kind::inductive ? 1 : 0);
  // The tail terms take few distinct values: tabulate them once when that costs fewer logarithms.
  const bool tabulate = 2 * rows * d > total + 1;
  auto table = Backend::template allocate<double>(res, tabulate ? total + 1 : 0);
  if (tabulate) Backend::for_each_n(res, total + 1, neg_log_ratio_op{static_cast<double>(total), table.data()});
  const int64_t chunk = rows < chunk_values / d ? rows : (chunk_values / d > 0 ? chunk_values / d : 1);
  auto tails = Backend::template allocate<double>(res, 2 * chunk * d);
  const fence_layout layout(n, d), batch_layout(m, d);
  auto fences = Backend::template allocate<T>(res, layout.size);
  auto batch_fences = Backend::template allocate<T>(res, batch_layout.size);
  build_fences<Backend, T>(res, sorted, layout, fences.data());
  build_fences<Backend, T>(res, batch, batch_layout, batch_fences.data());
  for (int64_t row0 = 0; row0 < rows; row0 += chunk) {
    const int64_t count = rows - row0 < chunk ? rows - row0 : chunk;
    const int64_t groups = (count + search_group - 1) / search_group;
    Backend::for_each_n(res, d * groups,
                        ecdf_tails_op<T>{sorted, fences.data(), layout, batch, batch_fences.data(), batch_layout, x, d,
                                         row0, count, groups, reference, tabulate ? table.data() : nullptr,
                                         tails.data()});
    Backend::for_each_n(res, count, tail_sum_op<T>{tails.data(), count, d, skew_sign, kind, agg, out + row0});
  }
}

template <typename Backend, typename T>
void sort_columns(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                  matrix_view<T, typename Backend::memory_space> sorted)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_shape("sorted", sorted, x.cols, x.rows);
  tamis::detail::check_finite<Backend>(res, "x", x);
  tamis::detail::transpose<Backend>(res, x.ptr, x.rows, x.cols, sorted.ptr);
  Backend::sort_segments(res, sorted.ptr, x.cols, x.rows);
  Backend::sync(res);
}

template <typename Backend, typename T>
void merge_sorted_columns(resources const& res, matrix_view<const T, typename Backend::memory_space> a,
                          matrix_view<const T, typename Backend::memory_space> b,
                          matrix_view<T, typename Backend::memory_space> merged)
{
  check_sorted_columns<Backend, T>(res, "a", a);
  check_sorted_columns<Backend, T>(res, "b", b);
  TAMIS_EXPECTS(a.rows == b.rows, "b: has %lld feature rows, a has %lld", static_cast<long long>(b.rows),
                static_cast<long long>(a.rows));
  tamis::detail::check_shape("merged", merged, a.rows, a.cols + b.cols);
  Backend::for_each_n(res, merged.size(), merge_columns_op<T>{a.ptr, a.cols, b.ptr, b.cols, merged.ptr});
  Backend::sync(res);
}

/// Shapes and finiteness; `sorted` itself is validated by skew_signs, fused with its first pass.
template <typename Backend, typename T>
void check_score_arguments(resources const& res, matrix_view<const T, typename Backend::memory_space> sorted,
                           matrix_view<const T, typename Backend::memory_space> x,
                           vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("sorted", sorted);
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == sorted.rows, "x: has %lld features, the fitted columns have %lld",
                static_cast<long long>(x.cols), static_cast<long long>(sorted.rows));
  tamis::detail::check_length("out", out, x.rows);
  tamis::detail::check_finite<Backend>(res, "x", x);
}

template <typename Backend, typename T>
void train_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> sorted,
                  matrix_view<const T, typename Backend::memory_space> x_train, ecod::detector kind,
                  ecod::aggregation agg, vector_view<T, typename Backend::memory_space> out)
{
  check_score_arguments<Backend, T>(res, sorted, x_train, out);
  TAMIS_EXPECTS(x_train.rows == sorted.cols, "x_train: has %lld rows, the fitted columns hold %lld",
                static_cast<long long>(x_train.rows), static_cast<long long>(sorted.cols));
  const int64_t d = sorted.rows, n = sorted.cols;
  auto sign = skew_signs<Backend, T>(res, "sorted", sorted.ptr, n, static_cast<const T*>(nullptr), 0, d);
  ecdf_scores<Backend, T>(res, sorted.ptr, n, nullptr, 0, x_train.ptr, n, d, sign.data(), reference_kind::train, kind,
                          agg, out.ptr);
  const int64_t absent = tamis::detail::count_if<Backend>(res, out.ptr, out.length, tamis::detail::is_nan{});
  TAMIS_EXPECTS(absent == 0, "x_train: %lld rows hold values missing from the sorted columns (not the training set)",
                static_cast<long long>(absent));
}

template <typename Backend, typename T>
void scores(resources const& res, matrix_view<const T, typename Backend::memory_space> sorted,
            matrix_view<const T, typename Backend::memory_space> x, ecod::detector kind, ecod::aggregation agg,
            ecod::ecdf_mode mode, vector_view<T, typename Backend::memory_space> out)
{
  check_score_arguments<Backend, T>(res, sorted, x, out);
  const int64_t d = sorted.rows, n = sorted.cols, m = x.rows;
  if (mode == ecod::ecdf_mode::inductive) {
    auto sign = skew_signs<Backend, T>(res, "sorted", sorted.ptr, n, static_cast<const T*>(nullptr), 0, d);
    ecdf_scores<Backend, T>(res, sorted.ptr, n, nullptr, 0, x.ptr, m, d, sign.data(), reference_kind::inductive, kind,
                            agg, out.ptr);
  } else {
    auto batch = Backend::template allocate<T>(res, d * m);
    tamis::detail::transpose<Backend>(res, x.ptr, m, d, batch.data());
    Backend::sort_segments(res, batch.data(), d, m);
    auto sign = skew_signs<Backend, T>(res, "sorted", sorted.ptr, n, batch.data(), m, d);
    ecdf_scores<Backend, T>(res, sorted.ptr, n, batch.data(), m, x.ptr, m, d, sign.data(),
                            reference_kind::transductive, kind, agg, out.ptr);
  }
  Backend::sync(res);
}

}  // namespace tamis::outlier::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ECOD_DEFINE(T, Space, Backend)                                                                       \
  void tamis::outlier::sort_columns(resources const& res, matrix_view<const T, Space> x,                           \
                                    matrix_view<T, Space> sorted)                                                  \
  {                                                                                                                \
    outlier::detail::sort_columns<Backend, T>(res, x, sorted);                                                     \
  }                                                                                                                \
  void tamis::outlier::merge_sorted_columns(resources const& res, matrix_view<const T, Space> a,                   \
                                            matrix_view<const T, Space> b, matrix_view<T, Space> merged)           \
  {                                                                                                                \
    outlier::detail::merge_sorted_columns<Backend, T>(res, a, b, merged);                                          \
  }                                                                                                                \
  void tamis::outlier::ecod::train_scores(resources const& res, matrix_view<const T, Space> sorted,                \
                                          matrix_view<const T, Space> x_train, detector kind, aggregation agg,     \
                                          vector_view<T, Space> out)                                               \
  {                                                                                                                \
    outlier::detail::train_scores<Backend, T>(res, sorted, x_train, kind, agg, out);                               \
  }                                                                                                                \
  void tamis::outlier::ecod::scores(resources const& res, matrix_view<const T, Space> sorted,                      \
                                    matrix_view<const T, Space> x, detector kind, aggregation agg, ecdf_mode mode, \
                                    vector_view<T, Space> out)                                                     \
  {                                                                                                                \
    outlier::detail::scores<Backend, T>(res, sorted, x, kind, agg, mode, out);                                     \
  }
