// Body of the column statistics and of the Mahalanobis detectors, written once over a backend. Every
// n-sized pass (batch statistics, distances, support selection) runs on the backend; the d × d
// decompositions run on the host in double (linalg::symmetric_eigen), on statistics copied there.
#pragma once
#ifndef TAMIS_OUTLIER_MAHALANOBIS_HPP_INCLUDED
#error "tamis/outlier/detail/mahalanobis-inl.hpp is internal: include tamis/outlier/mahalanobis.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/transpose.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/rng.hpp"
#include "tamis/outlier/detail/whitening.hpp"

namespace tamis::outlier::detail {

// ---- element-wise steps ------------------------------------------------------------------------

inline constexpr int64_t stats_block = 1024;

/// partial[j, b] = Σ of block b of column j of a d × rows matrix (columns contiguous), in double.
template <typename T>
struct column_block_sum_op {
  const T* cols;
  int64_t rows;
  int64_t blocks;
  double* partial;
  TAMIS_HD void operator()(int64_t item) const
  {
    const int64_t j = item / blocks, b = item - j * blocks;
    const int64_t end = (b + 1) * stats_block < rows ? (b + 1) * stats_block : rows;
    const T* c = cols + j * rows;
    double s = 0;
    for (int64_t i = b * stats_block; i < end; ++i) s += static_cast<double>(c[i]);
    partial[item] = s;
  }
};

/// mean[j] = the block sums of column j, added in order, over rows.
template <typename T>
struct column_mean_op {
  const double* partial;
  int64_t blocks;
  int64_t rows;
  T* mean;
  TAMIS_HD void operator()(int64_t j) const
  {
    double s = 0;
    for (int64_t b = 0; b < blocks; ++b) s += partial[j * blocks + b];
    mean[j] = static_cast<T>(s / static_cast<double>(rows));
  }
};

/// Subtracts mean[j] from every entry of column j of a d × rows matrix.
template <typename T>
struct centre_columns_op {
  T* cols;
  int64_t rows;
  const T* mean;
  TAMIS_HD void operator()(int64_t e) const { cols[e] -= mean[e / rows]; }
};

/// One entry of the pairwise scatter update (see merge_column_stats); the b side may be symmetrised
/// (a GEMM's Aᵀ-A product need not be bit-symmetric). m2 may alias m2_a or, unsymmetrised, m2_b.
template <typename T>
struct merge_scatter_op {
  double count_a;
  const T* mean_a;
  const T* m2_a;
  double count_b;
  const T* mean_b;
  const T* m2_b;
  int64_t d;
  bool symmetrise_b;
  T* m2;
  TAMIS_HD void operator()(int64_t e) const
  {
    const int64_t i = e / d, j = e - i * d;
    double v = 0;
    if (count_a > 0) v += static_cast<double>(m2_a[e]);
    if (count_b > 0) {
      v += symmetrise_b ? 0.5 * (static_cast<double>(m2_b[e]) + static_cast<double>(m2_b[j * d + i]))
                        : static_cast<double>(m2_b[e]);
    }
    if (count_a > 0 && count_b > 0) {
      const double di = static_cast<double>(mean_b[i]) - static_cast<double>(mean_a[i]);
      const double dj = static_cast<double>(mean_b[j]) - static_cast<double>(mean_a[j]);
      v += di * dj * (count_a * count_b / (count_a + count_b));
    }
    m2[e] = static_cast<T>(v);
  }
};

/// The pairwise mean update; runs after merge_scatter_op, which reads both input means.
template <typename T>
struct merge_mean_op {
  double count_a;
  const T* mean_a;
  double count_b;
  const T* mean_b;
  T* mean;
  TAMIS_HD void operator()(int64_t j) const
  {
    if (count_a == 0) {
      mean[j] = mean_b[j];
    } else if (count_b > 0) {
      const double a = static_cast<double>(mean_a[j]);
      mean[j] = static_cast<T>(a + (static_cast<double>(mean_b[j]) - a) * (count_b / (count_a + count_b)));
    }  // count_b == 0: mean_a stands; mean may alias it, so it is copied by the caller if not
  }
};

/// out[i] = Σ_j y[i, j]², accumulated in double.
template <typename T>
struct row_sum_squares_op {
  const T* y;
  int64_t k;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    double s = 0;
    for (int64_t j = 0; j < k; ++j) {
      const double v = static_cast<double>(y[i * k + j]);
      s += v * v;
    }
    out[i] = static_cast<T>(s);
  }
};

/// dst[idx[i]] = src[i].
template <typename T>
struct scatter_op {
  const T* src;
  const int64_t* idx;
  T* dst;
  TAMIS_HD void operator()(int64_t i) const { dst[idx[i]] = src[i]; }
};

/// The reweighting mask: keep[i] = 1 where dist[i] / correction < threshold; order_key is its
/// complement, so a stable sort puts the kept rows first, in index order.
template <typename T>
struct reweight_mask_op {
  const T* dist;
  double correction;
  double threshold;
  uint8_t* keep;
  uint8_t* order_key;
  TAMIS_HD void operator()(int64_t i) const
  {
    const bool kept = static_cast<double>(dist[i]) / correction < threshold;
    keep[i] = kept ? 1 : 0;
    order_key[i] = kept ? 0 : 1;
  }
};

struct is_one {
  TAMIS_HD bool operator()(uint8_t v) const { return v == 1; }
};

// ---- shared drivers ----------------------------------------------------------------------------

/// Rows per tile when each row needs `row_elems` scratch values of T: within the workspace limit
/// and the backend's streaming batch.
template <typename Backend, typename T>
int64_t tile_rows(resources const& res, int64_t n, int64_t row_elems)
{
  const auto budget = static_cast<int64_t>(resource::get_workspace_limit(res) / sizeof(T));
  int64_t rows = budget / (row_elems > 0 ? row_elems : 1);
  rows = rows < Backend::stream_batch_rows ? rows : Backend::stream_batch_rows;
  rows = rows < n ? rows : n;
  return rows > 1 ? rows : 1;
}

template <typename Backend, typename T>
typename Backend::template buffer<T> upload(resources const& res, std::vector<double> const& host, int64_t n)
{
  std::vector<T> cast(host.begin(), host.begin() + n);
  auto out = Backend::template allocate<T>(res, n);
  Backend::from_host(res, out.data(), cast.data(), n);
  return out;
}

template <typename Backend, typename T>
std::vector<double> download(resources const& res, const T* src, int64_t n)
{
  std::vector<T> host(static_cast<size_t>(n));
  Backend::to_host(res, host.data(), src, n);
  return std::vector<double>(host.begin(), host.end());
}

/// mean (d) and scatter m2 (d × d) of x (n × d), in batches: each batch is transposed (features
/// contiguous), centred on its own mean, multiplied by its transpose, and merged into the running state.
template <typename Backend, typename T>
void accumulate_column_stats(resources const& res, const T* x, int64_t n, int64_t d, T* mean, T* m2)
{
  const int64_t batch = tile_rows<Backend, T>(res, n, 2 * d);
  const int64_t max_blocks = (batch + stats_block - 1) / stats_block;
  auto cols = Backend::template allocate<T>(res, batch * d);
  auto partial = Backend::template allocate<double>(res, max_blocks * d);
  auto batch_mean = Backend::template allocate<T>(res, d);
  auto batch_m2 = Backend::template allocate<T>(res, d * d);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t b = batch < n - r0 ? batch : n - r0;
    const int64_t blocks = (b + stats_block - 1) / stats_block;
    tamis::detail::transpose<Backend>(res, x + r0 * d, b, d, cols.data());
    Backend::for_each_n(res, d * blocks, column_block_sum_op<T>{cols.data(), b, blocks, partial.data()});
    Backend::for_each_n(res, d, column_mean_op<T>{partial.data(), blocks, b, batch_mean.data()});
    Backend::for_each_n(res, d * b, centre_columns_op<T>{cols.data(), b, batch_mean.data()});
    Backend::gemm_nt(res, d, d, b, T(1), cols.data(), b, cols.data(), b, T(0), batch_m2.data(), d);
    const auto seen = static_cast<double>(r0), added = static_cast<double>(b);
    Backend::for_each_n(res, d * d,
                        merge_scatter_op<T>{seen, mean, m2, added, batch_mean.data(), batch_m2.data(), d, true, m2});
    Backend::for_each_n(res, d, merge_mean_op<T>{seen, mean, added, batch_mean.data(), mean});
  }
}

/// out[i] = ‖W (x_i − location)‖² for the n × d rows of x, W k × d, in row tiles.
template <typename Backend, typename T>
void squared_distances(resources const& res, const T* x, int64_t n, int64_t d, const T* location, const T* w,
                       int64_t k, T* out)
{
  const int64_t batch = tile_rows<Backend, T>(res, n, d + k);
  auto centred = Backend::template allocate<T>(res, batch * d);
  auto projected = Backend::template allocate<T>(res, batch * k);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t b = batch < n - r0 ? batch : n - r0;
    Backend::for_each_n(res, b * d, tamis::detail::centre_rows_op<T>{x + r0 * d, location, d, centred.data()});
    Backend::gemm_nt(res, b, k, d, T(1), centred.data(), d, w, d, T(0), projected.data(), k);
    Backend::for_each_n(res, b, row_sum_squares_op<T>{projected.data(), k, out + r0});
  }
}

// ---- pseudo-inverse and determinant (host, double) ----------------------------------------------

struct whitening_factor {
  std::vector<double> rows;  ///< d × d, row k = v_k / √λ_k for the kept eigenpairs, then zeros
  int64_t rank = 0;
  double log_det = 0;        ///< Σ ln λ, −inf unless every eigenvalue is > 0 (as slogdet's sign test)
};

/// pinvh's cut-off (d · eps · max|λ|, eps of the data type) applied to a symmetric d × d matrix.
inline whitening_factor whiten(std::vector<double> const& covariance, int64_t d, double eps)
{
  const auto [lambda, v] = symmetric_eigen(covariance, d);
  double top = 0;
  for (double l : lambda) top = std::max(top, std::fabs(l));
  const double cutoff = static_cast<double>(d) * eps * top;
  whitening_factor f{std::vector<double>(static_cast<size_t>(d * d), 0.0), 0, 0.0};
  for (int64_t k = 0; k < d; ++k) {
    if (lambda[k] > cutoff) {  // descending: the kept eigenpairs are a prefix
      const double s = 1.0 / std::sqrt(lambda[k]);
      for (int64_t j = 0; j < d; ++j) f.rows[k * d + j] = v[k * d + j] * s;
      ++f.rank;
    }
    f.log_det += std::log(lambda[k] > 0 ? lambda[k] : 0.0);
  }
  if (!(lambda[d - 1] > 0)) f.log_det = -std::numeric_limits<double>::infinity();
  return f;
}

// ---- χ² distribution, for the MCD consistency factors -------------------------------------------

/// P(a, x), the regularised lower incomplete gamma function: its series below x = a + 1, Lentz's
/// continued fraction for the complement above.
inline double regularized_gamma_p(double a, double x)
{
  if (!(x > 0)) return 0;
  if (std::isinf(x)) return 1;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10000 && std::fabs(term) > std::fabs(sum) * 1e-17; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * std::exp(log_prefix);
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, dd = 1 / b, h = dd;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    dd = an * dd + b;
    dd = std::fabs(dd) < tiny ? tiny : dd;
    c = b + an / c;
    c = std::fabs(c) < tiny ? tiny : c;
    dd = 1 / dd;
    const double delta = dd * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-16) break;
  }
  return 1 - std::exp(log_prefix) * h;
}

inline double chi2_cdf(double x, double dof) { return regularized_gamma_p(dof / 2, x / 2); }

/// The q-quantile of χ²(dof), q in (0, 1), by bisection to double resolution.
inline double chi2_ppf(double q, double dof)
{
  double lo = 0, hi = dof + 10 * std::sqrt(2 * dof) + 10;
  while (chi2_cdf(hi, dof) < q) hi *= 2;
  for (int i = 0; i < 2000 && hi - lo > 4 * std::numeric_limits<double>::epsilon() * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (chi2_cdf(mid, dof) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

/// scikit-learn's _consistency_factor: α / F_{χ²(d+2)}(χ²_α(d)), 1 when α = 1 (nothing trimmed).
inline double mcd_consistency_factor(int64_t d, double alpha)
{
  if (alpha >= 1) return 1.0;
  const auto dof = static_cast<double>(d);
  return alpha / chi2_cdf(chi2_ppf(alpha, dof), dof + 2);
}

// ---- FastMCD -----------------------------------------------------------------------------------

struct mcd_estimate {
  std::vector<double> location;    ///< d
  std::vector<double> covariance;  ///< d × d, ddof 0
  double log_det = 0;
};

/// scikit-learn's fast_mcd / _c_step / select_candidates over one backend. The working matrices are
/// x or row subsets of it gathered on the backend; each random h-subset draws from its own Philox
/// stream (numbered in the order scikit-learn draws them), so results never depend on thread count.
template <typename Backend, typename T>
class fast_mcd {
 public:
  using values = typename Backend::template buffer<T>;
  using indices = typename Backend::template buffer<int64_t>;

  struct raw_result {
    mcd_estimate estimate;
    int64_t support_size = 0;
    values dist;  ///< n: squared distances under the raw estimate (uncorrected)
  };

  fast_mcd(resources const& res, int64_t d, uint64_t seed)
    : res_(res), d_(d), seed_(seed), eps_(std::numeric_limits<T>::epsilon())
  {
  }

  /// The raw (minimum-determinant) estimate of x (n × d, backend memory) with support size h.
  raw_result raw_fit(const T* x, int64_t n, int64_t h)
  {
    if (d_ == 1) return one_dimensional(x, n, h);
    if (n > 500) return subsampled(x, n, h);
    auto best = select_candidates(x, n, h, 30, {}, 10, 2);
    auto full = select_candidates(x, n, h, 0, best.estimates, 1, 30);
    return {std::move(full.estimates[0]), h, std::move(full.dist)};
  }

  /// Location and covariance (ddof 0) of rows idx[0..count) of x.
  mcd_estimate support_estimate(const T* x, const int64_t* idx, int64_t count)
  {
    auto rows = Backend::template allocate<T>(res_, count * d_);
    Backend::for_each_n(res_, count * d_, tamis::detail::gather_rows_op<T>{x, idx, d_, rows.data()});
    auto mean = Backend::template allocate<T>(res_, d_);
    auto m2 = Backend::template allocate<T>(res_, d_ * d_);
    accumulate_column_stats<Backend, T>(res_, rows.data(), count, d_, mean.data(), m2.data());
    mcd_estimate e{download<Backend>(res_, mean.data(), d_), download<Backend>(res_, m2.data(), d_ * d_), 0.0};
    for (double& v : e.covariance) v /= static_cast<double>(count);
    return e;
  }

 private:
  struct step_state {
    mcd_estimate estimate;
    whitening_factor factor;
    indices support;
  };
  struct candidates {
    std::vector<mcd_estimate> estimates;  ///< the `select` best, lowest log det first
    indices support;                      ///< of the best
    values dist;                          ///< of the best
  };

  whitening_factor whiten(std::vector<double> const& covariance) const
  {
    return detail::whiten(covariance, d_, eps_);
  }

  /// Squared distances of the n_w rows of x under (location, whitening).
  values distances(const T* x, int64_t n_w, std::vector<double> const& location, whitening_factor const& w)
  {
    const int64_t k = w.rank > 0 ? w.rank : 1;  // a zero row when nothing is kept: every distance 0
    auto loc = upload<Backend, T>(res_, location, d_);
    auto rows = upload<Backend, T>(res_, w.rows, k * d_);
    auto out = Backend::template allocate<T>(res_, n_w);
    squared_distances<Backend, T>(res_, x, n_w, d_, loc.data(), rows.data(), k, out.data());
    return out;
  }

  step_state estimate_on(const T* x, indices support, int64_t h)
  {
    step_state s{support_estimate(x, support.data(), h), {}, std::move(support)};
    s.factor = whiten(s.estimate.covariance);
    s.estimate.log_det = s.factor.log_det;
    return s;
  }

  /// Indices of the h smallest distances, ties to the lower index.
  indices smallest(values const& dist, int64_t n_w, int64_t h)
  {
    auto keys = Backend::template allocate<T>(res_, n_w);
    auto order = Backend::template allocate<int64_t>(res_, n_w);
    Backend::copy(res_, keys.data(), dist.data(), n_w);
    Backend::for_each_n(res_, n_w, tamis::detail::iota_op{order.data()});
    Backend::stable_sort_by_key(res_, keys.data(), order.data(), n_w);
    auto out = Backend::template allocate<int64_t>(res_, h);
    Backend::copy(res_, out.data(), order.data(), h);
    return out;
  }

  /// The first k entries of a uniformly random permutation of [0, n) (partial Fisher–Yates on one stream).
  std::vector<int64_t> random_prefix(uint64_t stream, int64_t n, int64_t k) const
  {
    const philox_stream rng(seed_, stream);
    std::vector<int64_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), int64_t{0});
    for (int64_t i = 0; i < k; ++i) {
      const auto j = i + static_cast<int64_t>(rng.uniform_index(static_cast<uint64_t>(i), static_cast<uint64_t>(n - i)));
      std::swap(p[i], p[j]);
    }
    p.resize(static_cast<size_t>(k));
    return p;
  }

  indices upload_indices(std::vector<int64_t> const& host)
  {
    const auto n = static_cast<int64_t>(host.size());
    auto out = Backend::template allocate<int64_t>(res_, n);
    Backend::from_host(res_, out.data(), host.data(), n);
    return out;
  }

  /// scikit-learn's _c_step on the n_w rows of x: from a random h-subset (initial == nullptr) or from
  /// the h rows closest under an initial estimate, alternate support → estimate → support while the
  /// log determinant decreases, for at most `iterations` steps. Returns what _c_step returns,
  /// including its final distances (the last step's location under the previous step's precision).
  candidates c_step(const T* x, int64_t n_w, int64_t h, int iterations, mcd_estimate const* initial)
  {
    indices support;
    if (initial != nullptr) {
      support = smallest(distances(x, n_w, initial->location, whiten(initial->covariance)), n_w, h);
    } else {
      auto sample = random_prefix(next_stream_++, n_w, h);
      std::sort(sample.begin(), sample.end());
      support = upload_indices(sample);
    }
    step_state current = estimate_on(x, std::move(support), h);
    step_state previous;
    whitening_factor precision = current.factor;
    double previous_det = std::numeric_limits<double>::infinity();
    values dist, previous_dist;
    int remaining = iterations;
    while (current.estimate.log_det < previous_det && remaining > 0 && std::isfinite(current.estimate.log_det)) {
      previous = std::move(current);
      previous_det = previous.estimate.log_det;
      precision = previous.factor;
      dist = distances(x, n_w, previous.estimate.location, precision);
      current = estimate_on(x, smallest(dist, n_w, h), h);
      --remaining;
    }
    previous_dist = std::move(dist);
    dist = distances(x, n_w, current.estimate.location, precision);
    const double det = current.estimate.log_det;
    const bool close = std::fabs(det - previous_det) <= 1e-8 + 1e-5 * std::fabs(previous_det);
    if (std::isfinite(det) && !close && det > previous_det && remaining > 0) {
      return {{std::move(previous.estimate)}, std::move(previous.support), std::move(previous_dist)};
    }
    return {{std::move(current.estimate)}, std::move(current.support), std::move(dist)};
  }

  /// scikit-learn's select_candidates: `trials` C-step runs from random subsets, or one per initial
  /// estimate; keeps the `select` lowest determinants (ties to the earlier run) and the best's support.
  candidates select_candidates(const T* x, int64_t n_w, int64_t h, int64_t trials,
                               std::vector<mcd_estimate> const& initial, int64_t select, int iterations)
  {
    const int64_t runs = initial.empty() ? trials : static_cast<int64_t>(initial.size());
    std::vector<mcd_estimate> all;
    candidates best;
    double best_det = 0;
    for (int64_t t = 0; t < runs; ++t) {
      auto c = c_step(x, n_w, h, iterations, initial.empty() ? nullptr : &initial[static_cast<size_t>(t)]);
      if (t == 0 || c.estimates[0].log_det < best_det) {
        best_det = c.estimates[0].log_det;
        best.support = std::move(c.support);
        best.dist = std::move(c.dist);
      }
      all.push_back(std::move(c.estimates[0]));
    }
    std::vector<int64_t> order(static_cast<size_t>(runs));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return all[static_cast<size_t>(a)].log_det < all[static_cast<size_t>(b)].log_det; });
    const int64_t kept = select < runs ? select : runs;
    for (int64_t i = 0; i < kept; ++i) best.estimates.push_back(all[static_cast<size_t>(order[static_cast<size_t>(i)])]);
    return best;
  }

  /// fast_mcd for n > 500: candidates from disjoint subsets of ~300 rows, refined on a merged set of
  /// min(n, 1500) rows, then (n ≥ 1500) on all rows.
  raw_result subsampled(const T* x, int64_t n, int64_t h)
  {
    const int64_t subsets = n / 300, per_subset = n / subsets;
    const double fraction = static_cast<double>(h) / static_cast<double>(n);
    const auto h_subset = static_cast<int64_t>(std::ceil(static_cast<double>(per_subset) * fraction));
    const int64_t trials = std::max<int64_t>(10, 500 / subsets), best_per_subset = 10;
    const auto shuffle = random_prefix(0, n, n);
    std::vector<mcd_estimate> pooled;
    for (int64_t s = 0; s < subsets; ++s) {
      std::vector<int64_t> rows(shuffle.begin() + s * per_subset, shuffle.begin() + (s + 1) * per_subset);
      auto subset = gather(x, upload_indices(rows), per_subset);
      auto found = select_candidates(subset.data(), per_subset, h_subset, trials, {}, best_per_subset, 2);
      for (auto& e : found.estimates) pooled.push_back(std::move(e));
    }
    const int64_t merged_rows = std::min<int64_t>(1500, n);
    const auto h_merged = static_cast<int64_t>(std::ceil(static_cast<double>(merged_rows) * fraction));
    const int64_t best_merged = n > 1500 ? 10 : 1;
    auto selection = upload_indices(random_prefix(1, n, merged_rows));
    auto merged_x = gather(x, selection, merged_rows);
    auto merged = select_candidates(merged_x.data(), merged_rows, h_merged, 0, pooled, best_merged, 30);
    if (n < 1500) {  // the selection is then a permutation of every row: map its results back
      auto support = Backend::template allocate<int64_t>(res_, h_merged);
      Backend::for_each_n(res_, h_merged, tamis::detail::gather_op<int64_t>{selection.data(), merged.support.data(), support.data()});
      auto dist = Backend::template allocate<T>(res_, n);
      Backend::for_each_n(res_, n, scatter_op<T>{merged.dist.data(), selection.data(), dist.data()});
      return {std::move(merged.estimates[0]), h_merged, std::move(dist)};
    }
    auto full = select_candidates(x, n, h, 0, merged.estimates, 1, 30);
    return {std::move(full.estimates[0]), h, std::move(full.dist)};
  }

  values gather(const T* x, indices const& rows, int64_t count)
  {
    auto out = Backend::template allocate<T>(res_, count * d_);
    Backend::for_each_n(res_, count * d_, tamis::detail::gather_rows_op<T>{x, rows.data(), d_, out.data()});
    return out;
  }

  /// fast_mcd for one feature, exact: the location is the mean of the midpoints of the shortest
  /// windows x_(k)..x_(k+h) of the sorted values, the support the h values closest to it.
  raw_result one_dimensional(const T* x, int64_t n, int64_t h)
  {
    const std::vector<double> v = download<Backend>(res_, x, n);
    double location = 0, variance = 0;
    std::vector<int64_t> support(static_cast<size_t>(n));
    std::iota(support.begin(), support.end(), int64_t{0});
    auto mean_and_variance = [&](std::vector<int64_t> const& rows, double& mean, double& var) {
      mean = 0;
      for (int64_t i : rows) mean += v[static_cast<size_t>(i)];
      mean /= static_cast<double>(rows.size());
      var = 0;
      for (int64_t i : rows) var += (v[static_cast<size_t>(i)] - mean) * (v[static_cast<size_t>(i)] - mean);
      var /= static_cast<double>(rows.size());
    };
    if (h < n) {
      std::vector<double> sorted(v);
      std::sort(sorted.begin(), sorted.end());
      double shortest = std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < n - h; ++k) shortest = std::min(shortest, sorted[k + h] - sorted[k]);
      double midpoints = 0;
      int64_t windows = 0;
      for (int64_t k = 0; k < n - h; ++k) {
        if (sorted[k + h] - sorted[k] == shortest) {
          midpoints += sorted[k + h] + sorted[k];
          ++windows;
        }
      }
      location = 0.5 * (midpoints / static_cast<double>(windows));
      std::stable_sort(support.begin(), support.end(), [&](int64_t a, int64_t b) {
        return std::fabs(v[static_cast<size_t>(a)] - location) < std::fabs(v[static_cast<size_t>(b)] - location);
      });
      support.resize(static_cast<size_t>(h));
      double unused = 0;
      mean_and_variance(support, unused, variance);
    } else {
      mean_and_variance(support, location, variance);
    }
    const double precision = variance > 0 ? 1.0 / variance : 0.0;  // pinvh of a 1 × 1 matrix
    std::vector<double> dist(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) dist[i] = (v[i] - location) * precision * (v[i] - location);
    const double log_det = variance > 0 ? std::log(variance) : -std::numeric_limits<double>::infinity();
    return {{{location}, {variance}, log_det}, h, upload<Backend, T>(res_, dist, n)};
  }

  resources const& res_;
  int64_t d_;
  uint64_t seed_;
  double eps_;
  uint64_t next_stream_ = 2;  // 0: the subset shuffle, 1: the merged selection
};

// ---- public entry points -----------------------------------------------------------------------

template <typename Backend, typename T>
void column_stats(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                  vector_view<T, typename Backend::memory_space> mean, matrix_view<T, typename Backend::memory_space> m2)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_length("mean", mean, x.cols);
  tamis::detail::check_shape("m2", m2, x.cols, x.cols);
  tamis::detail::check_finite<Backend>(res, "x", x);
  accumulate_column_stats<Backend, T>(res, x.ptr, x.rows, x.cols, mean.ptr, m2.ptr);
  Backend::sync(res);
}

template <typename Backend, typename T>
int64_t merge_column_stats(resources const& res, int64_t count_a, vector_view<const T, typename Backend::memory_space> mean_a,
                           matrix_view<const T, typename Backend::memory_space> m2_a, int64_t count_b,
                           vector_view<const T, typename Backend::memory_space> mean_b,
                           matrix_view<const T, typename Backend::memory_space> m2_b,
                           vector_view<T, typename Backend::memory_space> mean,
                           matrix_view<T, typename Backend::memory_space> m2)
{
  TAMIS_EXPECTS(count_a >= 0 && count_b >= 0 && count_a + count_b >= 1,
                "count_a, count_b: must be >= 0 with a positive sum, got %lld and %lld",
                static_cast<long long>(count_a), static_cast<long long>(count_b));
  const int64_t d = mean_a.length;
  TAMIS_EXPECTS(d >= 1, "mean_a: needs at least one feature");
  tamis::detail::check_length("mean_a", mean_a, d);
  tamis::detail::check_shape("m2_a", m2_a, d, d);
  tamis::detail::check_length("mean_b", mean_b, d);
  tamis::detail::check_shape("m2_b", m2_b, d, d);
  tamis::detail::check_length("mean", mean, d);
  tamis::detail::check_shape("m2", m2, d, d);
  if (count_a > 0) {
    tamis::detail::check_finite<Backend>(res, "mean_a", mean_a);
    tamis::detail::check_finite<Backend>(res, "m2_a", m2_a);
  }
  if (count_b > 0) {
    tamis::detail::check_finite<Backend>(res, "mean_b", mean_b);
    tamis::detail::check_finite<Backend>(res, "m2_b", m2_b);
  }
  const auto na = static_cast<double>(count_a), nb = static_cast<double>(count_b);
  Backend::for_each_n(res, d * d, merge_scatter_op<T>{na, mean_a.ptr, m2_a.ptr, nb, mean_b.ptr, m2_b.ptr, d, false, m2.ptr});
  if (count_b == 0 && mean.ptr != mean_a.ptr) Backend::copy(res, mean.ptr, mean_a.ptr, d);
  Backend::for_each_n(res, d, merge_mean_op<T>{na, mean_a.ptr, nb, mean_b.ptr, mean.ptr});
  Backend::sync(res);
  return count_a + count_b;
}

/// Writes the d × d whitening of a host covariance (zero rows past the rank) to backend memory.
template <typename Backend, typename T>
int64_t store_whitening(resources const& res, std::vector<double> const& covariance, int64_t d, T* whitening)
{
  const auto f = whiten(covariance, d, std::numeric_limits<T>::epsilon());
  std::vector<T> cast(f.rows.begin(), f.rows.end());
  Backend::from_host(res, whitening, cast.data(), d * d);
  return f.rank;
}

template <typename Backend, typename T>
int64_t covariance_whitening(resources const& res, matrix_view<const T, typename Backend::memory_space> covariance,
                             matrix_view<T, typename Backend::memory_space> whitening)
{
  tamis::detail::check_matrix("covariance", covariance);
  const int64_t d = covariance.rows;
  tamis::detail::check_shape("covariance", covariance, d, d);
  tamis::detail::check_shape("whitening", whitening, d, d);
  tamis::detail::check_finite<Backend>(res, "covariance", covariance);
  return store_whitening<Backend, T>(res, download<Backend>(res, covariance.ptr, d * d), d, whitening.ptr);
}

template <typename Backend, typename T>
int64_t empirical_fit(resources const& res, int64_t count, matrix_view<const T, typename Backend::memory_space> m2,
                      matrix_view<T, typename Backend::memory_space> covariance,
                      matrix_view<T, typename Backend::memory_space> whitening)
{
  TAMIS_EXPECTS(count >= 1, "count: must be >= 1, got %lld", static_cast<long long>(count));
  tamis::detail::check_matrix("m2", m2);
  const int64_t d = m2.rows;
  tamis::detail::check_shape("m2", m2, d, d);
  tamis::detail::check_shape("covariance", covariance, d, d);
  tamis::detail::check_shape("whitening", whitening, d, d);
  tamis::detail::check_finite<Backend>(res, "m2", m2);
  auto cov = download<Backend>(res, m2.ptr, d * d);
  for (double& v : cov) v /= static_cast<double>(count);
  auto stored = upload<Backend, T>(res, cov, d * d);
  Backend::copy(res, covariance.ptr, stored.data(), d * d);
  const int64_t rank = store_whitening<Backend, T>(res, cov, d, whitening.ptr);
  Backend::sync(res);
  return rank;
}

template <typename Backend, typename T>
mahalanobis::mcd_result mcd_fit(resources const& res, mahalanobis::mcd_params const& p,
                                matrix_view<const T, typename Backend::memory_space> x,
                                vector_view<T, typename Backend::memory_space> location,
                                matrix_view<T, typename Backend::memory_space> covariance,
                                matrix_view<T, typename Backend::memory_space> whitening,
                                vector_view<uint8_t, typename Backend::memory_space> support)
{
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols;
  TAMIS_EXPECTS(n >= 2, "x: MinCovDet needs at least 2 rows, got %lld", static_cast<long long>(n));
  TAMIS_EXPECTS(p.support_fraction >= 0 && p.support_fraction <= 1, "support_fraction: must be in (0, 1] (or 0 "
                "for the default), got %g", p.support_fraction);
  tamis::detail::check_length("location", location, d);
  tamis::detail::check_shape("covariance", covariance, d, d);
  tamis::detail::check_shape("whitening", whitening, d, d);
  tamis::detail::check_length("support", support, n);
  const int64_t h = p.support_fraction > 0 ? static_cast<int64_t>(p.support_fraction * static_cast<double>(n))
                                           : std::min<int64_t>((n + d + 2) / 2, n);  // ⌈(n + d + 1) / 2⌉
  TAMIS_EXPECTS(h >= 1, "support_fraction: %g of %lld rows leaves an empty support", p.support_fraction,
                static_cast<long long>(n));
  tamis::detail::check_finite<Backend>(res, "x", x);

  fast_mcd<Backend, T> mcd(res, d, p.seed);
  auto raw = mcd.raw_fit(x.ptr, n, h);
  bool all_zero = true;
  for (double v : raw.estimate.covariance) all_zero = all_zero && std::fabs(v) <= 1e-8;
  TAMIS_EXPECTS(raw.support_size == n || !all_zero,
                "x: the covariance of the raw support is 0 (too many identical rows); increase support_fraction");

  // Consistency correction of the raw distances, then reweighting on those below χ²_0.975(d).
  const double correction = mcd_consistency_factor(d, static_cast<double>(raw.support_size) / static_cast<double>(n));
  const double threshold = chi2_ppf(0.975, static_cast<double>(d));
  auto order_key = Backend::template allocate<uint8_t>(res, n);
  Backend::for_each_n(res, n, reweight_mask_op<T>{raw.dist.data(), correction, threshold, support.ptr, order_key.data()});
  const int64_t kept = tamis::detail::count_if<Backend>(res, support.ptr, n, is_one{});
  TAMIS_EXPECTS(kept >= 1, "x: no row passes the reweighting threshold");
  auto order = Backend::template allocate<int64_t>(res, n);
  Backend::for_each_n(res, n, tamis::detail::iota_op{order.data()});
  Backend::stable_sort_by_key(res, order_key.data(), order.data(), n);
  auto estimate = mcd.support_estimate(x.ptr, order.data(), kept);
  const double reweighted = mcd_consistency_factor(d, 0.975);
  for (double& v : estimate.covariance) v *= reweighted;

  auto loc = upload<Backend, T>(res, estimate.location, d);
  Backend::copy(res, location.ptr, loc.data(), d);
  auto cov = upload<Backend, T>(res, estimate.covariance, d * d);
  Backend::copy(res, covariance.ptr, cov.data(), d * d);
  mahalanobis::mcd_result result;
  result.rank = store_whitening<Backend, T>(res, estimate.covariance, d, whitening.ptr);
  result.raw_support_size = raw.support_size;
  result.support_size = kept;
  result.raw_log_det = raw.estimate.log_det;
  Backend::sync(res);
  return result;
}

template <typename Backend, typename T>
void mahalanobis_scores(resources const& res, vector_view<const T, typename Backend::memory_space> location,
                        matrix_view<const T, typename Backend::memory_space> whitening,
                        matrix_view<const T, typename Backend::memory_space> x,
                        vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("whitening", whitening);
  const int64_t d = whitening.cols;
  tamis::detail::check_length("location", location, d);
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == d, "x: has %lld features, the fitted location has %lld", static_cast<long long>(x.cols),
                static_cast<long long>(d));
  tamis::detail::check_length("out", out, x.rows);
  tamis::detail::check_finite<Backend>(res, "location", location);
  tamis::detail::check_finite<Backend>(res, "whitening", whitening);
  tamis::detail::check_finite<Backend>(res, "x", x);
  squared_distances<Backend, T>(res, x.ptr, x.rows, d, location.ptr, whitening.ptr, whitening.rows, out.ptr);
  Backend::sync(res);
}

}  // namespace tamis::outlier::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_MAHALANOBIS_DEFINE(T, Space, Backend)                                                               \
  void tamis::outlier::column_stats(resources const& res, matrix_view<const T, Space> x, vector_view<T, Space> mean, \
                                    matrix_view<T, Space> m2)                                                     \
  {                                                                                                               \
    outlier::detail::column_stats<Backend, T>(res, x, mean, m2);                                                  \
  }                                                                                                               \
  int64_t tamis::outlier::merge_column_stats(resources const& res, int64_t count_a,                               \
                                             vector_view<const T, Space> mean_a, matrix_view<const T, Space> m2_a, \
                                             int64_t count_b, vector_view<const T, Space> mean_b,                 \
                                             matrix_view<const T, Space> m2_b, vector_view<T, Space> mean,        \
                                             matrix_view<T, Space> m2)                                            \
  {                                                                                                               \
    return outlier::detail::merge_column_stats<Backend, T>(res, count_a, mean_a, m2_a, count_b, mean_b, m2_b,     \
                                                           mean, m2);                                             \
  }                                                                                                               \
  int64_t tamis::outlier::mahalanobis::covariance_whitening(resources const& res,                                 \
                                                            matrix_view<const T, Space> covariance,               \
                                                            matrix_view<T, Space> whitening)                      \
  {                                                                                                               \
    return outlier::detail::covariance_whitening<Backend, T>(res, covariance, whitening);                         \
  }                                                                                                               \
  int64_t tamis::outlier::mahalanobis::empirical_fit(resources const& res, int64_t count,                         \
                                                     matrix_view<const T, Space> m2,                              \
                                                     matrix_view<T, Space> covariance,                            \
                                                     matrix_view<T, Space> whitening)                             \
  {                                                                                                               \
    return outlier::detail::empirical_fit<Backend, T>(res, count, m2, covariance, whitening);                     \
  }                                                                                                               \
  tamis::outlier::mahalanobis::mcd_result tamis::outlier::mahalanobis::mcd_fit(                                   \
    resources const& res, mcd_params const& p, matrix_view<const T, Space> x, vector_view<T, Space> location,     \
    matrix_view<T, Space> covariance, matrix_view<T, Space> whitening, vector_view<uint8_t, Space> support)       \
  {                                                                                                               \
    return outlier::detail::mcd_fit<Backend, T>(res, p, x, location, covariance, whitening, support);             \
  }                                                                                                               \
  void tamis::outlier::mahalanobis::scores(resources const& res, vector_view<const T, Space> location,            \
                                           matrix_view<const T, Space> whitening, matrix_view<const T, Space> x,  \
                                           vector_view<T, Space> out)                                             \
  {                                                                                                               \
    outlier::detail::mahalanobis_scores<Backend, T>(res, location, whitening, x, out);                            \
  }
