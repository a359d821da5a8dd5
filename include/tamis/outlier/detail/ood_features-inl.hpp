// Body of the feature-based OOD scorers, written once over a backend. Everything n-sized runs in
// row batches (bounded by the handle's workspace limit) through GEMMs and per-row functors; the
// D × D statistics (scatter matrices, W's Gram matrix) are reduced on the backend in double, then
// decomposed on the host (tamis::linalg::symmetric_eigen) and what they yield is uploaded.
#pragma once
#ifndef TAMIS_OUTLIER_OOD_FEATURES_HPP_INCLUDED
#error "tamis/outlier/detail/ood_features-inl.hpp is internal: include tamis/outlier/ood_features.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/transpose.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/outlier/detail/exact_neighbors.hpp"
#include "tamis/outlier/detail/whitening.hpp"
#include "tamis/outlier/ood.hpp"
#include "tamis/outlier/detail/ood-inl.hpp"

namespace tamis::outlier::ood::detail {

// ---- per-element and per-row functors ---------------------------------------------------------

/// out[e] = row[e % cols]: a matrix whose every row is `row` (the bias under a GEMM with beta = 1).
template <typename T>
struct broadcast_row_op {
  const T* row;
  int64_t cols;
  T* out;
  TAMIS_HD void operator()(int64_t e) const { out[e] = row[e % cols]; }
};

template <typename From, typename To>
struct cast_op {
  const From* in;
  To* out;
  TAMIS_HD void operator()(int64_t e) const { out[e] = static_cast<To>(in[e]); }
};

/// ReAct's clipping from above (torch's clip(max = threshold)).
template <typename T>
struct clip_op {
  const T* in;
  T threshold;
  T* out;
  TAMIS_HD void operator()(int64_t e) const { out[e] = in[e] < threshold ? in[e] : threshold; }
};

/// ASH on row i: `sorted` holds the row ascending, so its k-th largest value is sorted[d − k]. The
/// survivors are the entries above it plus, among the entries equal to it, the lowest columns.
template <typename T>
struct ash_shape_op {
  const T* in;
  const T* sorted;
  int64_t d;
  int64_t k;
  ash_variant variant;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::exp;
    const T* z = in + i * d;
    T* o = out + i * d;
    const T cut = sorted[i * d + d - k];
    int64_t above = 0;
    double s1 = 0;
    for (int64_t j = 0; j < d; ++j) {
      above += z[j] > cut ? 1 : 0;
      s1 += static_cast<double>(z[j]);
    }
    int64_t ties_kept = k - above;
    const T fill = static_cast<T>(s1 / static_cast<double>(k));
    double s2 = 0;
    for (int64_t j = 0; j < d; ++j) {
      bool keep = z[j] > cut;
      if (!keep && z[j] == cut && ties_kept > 0) {
        keep = true;
        --ties_kept;
      }
      T v = keep ? (variant == ash_variant::binarize ? fill : z[j]) : T(0);
      s2 += static_cast<double>(v);
      o[j] = v;
    }
    if (variant == ash_variant::scale) {
      const T factor = s2 != 0 ? static_cast<T>(exp(s1 / s2)) : T(1);
      for (int64_t j = 0; j < d; ++j) o[j] *= factor;
    }
  }
};

/// out (d × rows, double) = the batch's rows minus their centre, transposed, so that one GEMM of out
/// with itself adds the batch's scatter. centre of row i: centers[labels[i]], or centers[0] without labels.
template <typename T>
struct centred_transpose_op {
  const T* in;
  const double* centers;
  const int64_t* labels;
  int64_t rows;
  int64_t d;
  double* out;
  TAMIS_HD void operator()(int64_t e) const
  {
    int64_t j = e / rows, i = e - j * rows;
    int64_t c = labels != nullptr ? labels[i] : 0;
    out[e] = static_cast<double>(in[i * d + j]) - centers[c * d + j];
  }
};

template <typename T>
struct row_norm_op {
  const T* in;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;
    T sum = 0;
    for (int64_t j = 0; j < d; ++j) sum += in[i * d + j] * in[i * d + j];
    out[i] = sqrt(sum);
  }
};

/// out[i] = alpha · residual[i] + energy[i] (ViM's score; energy = −logsumexp).
template <typename T>
struct vim_combine_op {
  const T* residual;
  T alpha;
  T* out;  // holds the energy on entry
  TAMIS_HD void operator()(int64_t i) const { out[i] = alpha * residual[i] + out[i]; }
};

/// z / (‖z‖ + 1e-10), the norm in double.
template <typename T>
struct normalize_op {
  const T* in;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;
    double sum = 0;
    for (int64_t j = 0; j < d; ++j) sum += static_cast<double>(in[i * d + j]) * static_cast<double>(in[i * d + j]);
    const double denom = sqrt(sum) + 1e-10;
    for (int64_t j = 0; j < d; ++j) out[i * d + j] = static_cast<T>(static_cast<double>(in[i * d + j]) / denom);
  }
};

/// out[i] = the largest of row i's k distances: the k-th neighbour's (the set is exact; the
/// recomputed distances need not come in order).
template <typename T>
struct row_max_op {
  const T* in;
  int64_t k;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    T best = in[i * k];
    for (int64_t j = 1; j < k; ++j) best = in[i * k + j] > best ? in[i * k + j] : best;
    out[i] = best;
  }
};

/// out[i] = the squared distance of row i of a to row idx[i] of b (both with d columns).
template <typename T>
struct nearest_sqdist_op {
  const T* a;
  const T* b;
  const int64_t* idx;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* x = a + i * d;
    const T* y = b + idx[i] * d;
    T sum = 0;
    for (int64_t j = 0; j < d; ++j) sum += (x[j] - y[j]) * (x[j] - y[j]);
    out[i] = sum;
  }
};

struct label_outside_op {
  int64_t classes;
  TAMIS_HD bool operator()(int64_t v) const { return v < 0 || v >= classes; }
};

/// mean[c][j] over the rows order[start[c] .. start[c + 1]), summed in double in row order.
template <typename T>
struct class_mean_op {
  const T* in;
  const int64_t* order;
  const int64_t* start;
  int64_t d;
  double* mean;
  TAMIS_HD void operator()(int64_t e) const
  {
    int64_t c = e / d, j = e - c * d;
    double sum = 0;
    for (int64_t r = start[c]; r < start[c + 1]; ++r) sum += static_cast<double>(in[order[r] * d + j]);
    mean[e] = sum / static_cast<double>(start[c + 1] - start[c]);
  }
};

// ---- shared steps ------------------------------------------------------------------------------

/// Rows per batch so that `bytes_per_row` of scratch per row stays within the workspace limit.
template <typename Backend>
int64_t batch_rows(resources const& res, int64_t n, int64_t bytes_per_row)
{
  const int64_t fit = static_cast<int64_t>(resource::get_workspace_limit(res)) / std::max<int64_t>(bytes_per_row, 1);
  return std::max<int64_t>(1, std::min({n, Backend::stream_batch_rows, fit}));
}

/// logits (rows × C) = z Wᵀ + b.
template <typename Backend, typename T>
void linear_head(resources const& res, const T* z, int64_t rows, int64_t d, const T* weight, const T* bias,
                 int64_t classes, T* logits)
{
  Backend::for_each_n(res, rows * classes, broadcast_row_op<T>{bias, classes, logits});
  Backend::gemm_nt(res, rows, classes, d, T(1), z, d, weight, d, T(1), logits, classes);
}

template <typename Space, typename T>
void check_features(const char* name, matrix_view<const T, Space> features, int64_t d)
{
  tamis::detail::check_matrix(name, features);
  TAMIS_EXPECTS(features.cols == d, "%s: have %lld features but the fitted state has %lld", name,
                static_cast<long long>(features.cols), static_cast<long long>(d));
}

/// The classifier's last layer must match the features: weight C × D, bias C, both finite.
template <typename Backend, typename T>
void check_head(resources const& res, matrix_view<const T, typename Backend::memory_space> weight,
                vector_view<const T, typename Backend::memory_space> bias, int64_t d)
{
  tamis::detail::check_matrix("weight", weight);
  TAMIS_EXPECTS(weight.cols == d, "weight: has %lld columns but the features have %lld (expected W of shape (C, D))",
                static_cast<long long>(weight.cols), static_cast<long long>(d));
  TAMIS_EXPECTS(bias.length == weight.rows, "bias: has length %lld but weight has %lld classes (rows)",
                static_cast<long long>(bias.length), static_cast<long long>(weight.rows));
  TAMIS_EXPECTS(bias.ptr != nullptr, "bias: data pointer is null");
  tamis::detail::check_finite<Backend>(res, "weight", weight);
  tamis::detail::check_finite<Backend>(res, "bias", bias);
}

template <typename T>
void check_temperature(T temperature)
{
  TAMIS_EXPECTS(temperature > T(0) && std::isfinite(static_cast<double>(temperature)),
                "temperature: must be finite and > 0, got %g", static_cast<double>(temperature));
}

/// out[i] = −T·logsumexp((shape(z_i) Wᵀ + b) / T) in batches of `batch` rows; shape(batch_rows_ptr,
/// rows, shaped) writes a batch's shaped rows.
template <typename Backend, typename T, typename Shape>
void shaped_energy(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                   matrix_view<const T, typename Backend::memory_space> weight, const T* bias, T temperature,
                   T* out, int64_t batch, Shape shape)
{
  const int64_t n = features.rows, d = features.cols, classes = weight.rows;
  auto shaped = Backend::template allocate<T>(res, batch * d);
  auto logits = Backend::template allocate<T>(res, batch * classes);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t rows = std::min(batch, n - r0);
    shape(features.ptr + r0 * d, rows, shaped.data());
    linear_head<Backend>(res, shaped.data(), rows, d, weight.ptr, bias, classes, logits.data());
    Backend::for_each_n(res, rows,
                        logit_score_op<T>{logits.data(), classes, logit_score::energy, temperature, out + r0});
  }
  Backend::sync(res);
}

/// Σ_i (z_i − centre_i)(z_i − centre_i)ᵀ (D × D, double, on the host): centres (double, on the
/// backend) indexed by labels, or the single row centers[0] when labels is null.
template <typename Backend, typename T>
std::vector<double> scatter(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                            const double* centers, const int64_t* labels)
{
  const int64_t n = x.rows, d = x.cols;
  const int64_t batch = batch_rows<Backend>(res, n, d * int64_t(sizeof(double)));
  auto xt = Backend::template allocate<double>(res, batch * d);
  auto s = Backend::template allocate<double>(res, d * d);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t rows = std::min(batch, n - r0);
    Backend::for_each_n(res, rows * d,
                        centred_transpose_op<T>{x.ptr + r0 * d, centers, labels ? labels + r0 : nullptr, rows, d,
                                                xt.data()});
    Backend::gemm_nt(res, d, d, rows, 1.0, xt.data(), rows, xt.data(), rows, r0 == 0 ? 0.0 : 1.0, s.data(), d);
  }
  std::vector<double> host(static_cast<size_t>(d * d));
  Backend::to_host(res, host.data(), s.data(), d * d);
  return host;
}

/// Eigenvalues above max(|λ|) · rtol: the rank pinv keeps (they come first, in descending order).
inline int64_t kept_rank(std::vector<double> const& values, double rtol)
{
  const double cut = std::max(std::abs(values.front()), std::abs(values.back())) * rtol;
  int64_t rank = 0;
  while (rank < static_cast<int64_t>(values.size()) && values[rank] > cut) ++rank;
  return rank;
}

/// A host double vector uploaded as T into `dst`.
template <typename Backend, typename T>
void upload(resources const& res, std::vector<double> const& host, T* dst)
{
  std::vector<T> cast(host.begin(), host.end());
  Backend::from_host(res, dst, cast.data(), static_cast<int64_t>(cast.size()));
}

/// u = −pinv(W) b in double on the host, W's Gram matrix reduced on the backend: W Wᵀ (C × C) when
/// C ≤ D (u = −Wᵀ (W Wᵀ)⁺ b), else Wᵀ W (D × D) (u = −(Wᵀ W)⁺ Wᵀ b).
template <typename Backend, typename T>
std::vector<double> vim_origin(resources const& res, matrix_view<const T, typename Backend::memory_space> weight,
                               vector_view<const T, typename Backend::memory_space> bias)
{
  const int64_t classes = weight.rows, d = weight.cols, g = std::min(classes, d);
  auto wd = Backend::template allocate<double>(res, classes * d);
  Backend::for_each_n(res, classes * d, cast_op<T, double>{weight.ptr, wd.data()});
  auto gram = Backend::template allocate<double>(res, g * g);
  if (classes <= d) {
    Backend::gemm_nt(res, classes, classes, d, 1.0, wd.data(), d, wd.data(), d, 0.0, gram.data(), classes);
  } else {
    auto wt = Backend::template allocate<double>(res, classes * d);
    tamis::detail::transpose<Backend>(res, wd.data(), classes, d, wt.data());
    Backend::gemm_nt(res, d, d, classes, 1.0, wt.data(), classes, wt.data(), classes, 0.0, gram.data(), d);
  }
  std::vector<double> w(static_cast<size_t>(classes * d)), gram_host(static_cast<size_t>(g * g));
  std::vector<T> b(static_cast<size_t>(classes));
  Backend::to_host(res, w.data(), wd.data(), classes * d);
  Backend::to_host(res, gram_host.data(), gram.data(), g * g);
  Backend::to_host(res, b.data(), bias.ptr, classes);

  // rhs: b (C ≤ D) or Wᵀ b; then y = Gram⁺ rhs over the kept eigenpairs.
  std::vector<double> rhs(static_cast<size_t>(g), 0.0);
  for (int64_t c = 0; c < classes; ++c) {
    if (classes <= d) {
      rhs[c] = b[c];
    } else {
      for (int64_t j = 0; j < d; ++j) rhs[j] += w[c * d + j] * b[c];
    }
  }
  auto eig = outlier::detail::symmetric_eigen(gram_host, g);
  const int64_t rank = kept_rank(eig.values, static_cast<double>(std::max(classes, d)) *
                                               std::numeric_limits<double>::epsilon());
  std::vector<double> y(static_cast<size_t>(g), 0.0);
  for (int64_t k = 0; k < rank; ++k) {
    const double* v = eig.vectors.data() + k * g;
    double proj = 0;
    for (int64_t j = 0; j < g; ++j) proj += v[j] * rhs[j];
    for (int64_t j = 0; j < g; ++j) y[j] += v[j] * proj / eig.values[k];
  }
  std::vector<double> u(static_cast<size_t>(d), 0.0);
  if (classes <= d) {
    for (int64_t c = 0; c < classes; ++c)
      for (int64_t j = 0; j < d; ++j) u[j] -= w[c * d + j] * y[c];
  } else {
    for (int64_t j = 0; j < d; ++j) u[j] = -y[j];
  }
  return u;
}

/// ViM's two terms for every row: logit_term[i] = the `kind` score of the logits (energy: −logsumexp;
/// max_logit: −max), residual[i] = ‖R (z_i − u)‖.
template <typename Backend, typename T>
void vim_terms(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
               matrix_view<const T, typename Backend::memory_space> weight, const T* bias, const T* origin,
               matrix_view<const T, typename Backend::memory_space> basis, logit_score kind, T* logit_term,
               T* residual)
{
  const int64_t n = features.rows, d = features.cols, classes = weight.rows, r = basis.rows;
  const int64_t batch = batch_rows<Backend>(res, n, (d + classes + r) * int64_t(sizeof(T)));
  auto shifted = Backend::template allocate<T>(res, batch * d);
  auto logits = Backend::template allocate<T>(res, batch * classes);
  auto projected = Backend::template allocate<T>(res, batch * r);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t rows = std::min(batch, n - r0);
    const T* z = features.ptr + r0 * d;
    linear_head<Backend>(res, z, rows, d, weight.ptr, bias, classes, logits.data());
    Backend::for_each_n(res, rows, logit_score_op<T>{logits.data(), classes, kind, T(1), logit_term + r0});
    Backend::for_each_n(res, rows * d, tamis::detail::centre_rows_op<T>{z, origin, d, shifted.data()});
    Backend::gemm_nt(res, rows, r, d, T(1), shifted.data(), d, basis.ptr, d, T(0), projected.data(), r);
    Backend::for_each_n(res, rows, row_norm_op<T>{projected.data(), r, residual + r0});
  }
}

// ---- the public functions -----------------------------------------------------------------------

template <typename Backend, typename T>
T react_threshold(resources const& res, matrix_view<const T, typename Backend::memory_space> train,
                  double percentile)
{
  tamis::detail::check_matrix("train_features", train);
  TAMIS_EXPECTS(percentile >= 0 && percentile <= 100, "percentile: must be in [0, 100], got %g", percentile);
  tamis::detail::check_finite<Backend>(res, "train_features", train);
  const int64_t count = train.size();
  auto values = Backend::template allocate<T>(res, count);
  Backend::copy(res, values.data(), train.ptr, count);
  // numpy's 'linear' method: virtual index n·q + (1 − q) − 1 (its expression, its rounding), then
  // a + (b − a)·γ, or b − (b − a)·(1 − γ) when γ ≥ 0.5, in T.
  const double q = percentile / 100.0;
  const double index = static_cast<double>(count) * q + (1.0 + q * -1.0) - 1.0;
  const double below = std::floor(index);
  const int64_t lo = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(below), 0), count - 1);
  const int64_t hi = std::min<int64_t>(lo + 1, count - 1);
  // Two order statistics, not a sort: the lo-th smallest, then the smallest of what lies above it.
  T a, b;
  Backend::nth_element(res, values.data(), count, lo);
  Backend::to_host(res, &a, values.data() + lo, 1);
  if (hi > lo) Backend::nth_element(res, values.data() + hi, count - hi, int64_t{0});
  Backend::to_host(res, &b, values.data() + hi, 1);
  const double gamma = index - below;
  const T diff = b - a;
  return gamma >= 0.5 ? b - diff * static_cast<T>(1.0 - gamma) : a + diff * static_cast<T>(gamma);
}

template <typename Backend, typename T>
void react_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                  matrix_view<const T, typename Backend::memory_space> weight,
                  vector_view<const T, typename Backend::memory_space> bias, T threshold, T temperature,
                  vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("features", features);
  check_head<Backend, T>(res, weight, bias, features.cols);
  tamis::detail::check_length("out", out, features.rows);
  TAMIS_EXPECTS(std::isfinite(static_cast<double>(threshold)), "threshold: must be finite, got %g",
                static_cast<double>(threshold));
  check_temperature(temperature);
  tamis::detail::check_finite<Backend>(res, "features", features);
  const int64_t d = features.cols;
  const int64_t batch = batch_rows<Backend>(res, features.rows, (d + weight.rows) * int64_t(sizeof(T)));
  shaped_energy<Backend>(res, features, weight, bias.ptr, temperature, out.ptr, batch,
                         [&](const T* z, int64_t rows, T* shaped) {
                           Backend::for_each_n(res, rows * d, clip_op<T>{z, threshold, shaped});
                         });
}

template <typename Backend, typename T>
void ash_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                matrix_view<const T, typename Backend::memory_space> weight,
                vector_view<const T, typename Backend::memory_space> bias, ash_variant variant, double percentile,
                T temperature, vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("features", features);
  check_head<Backend, T>(res, weight, bias, features.cols);
  tamis::detail::check_length("out", out, features.rows);
  const int64_t d = features.cols, k = ash_kept(d, percentile);
  check_temperature(temperature);
  tamis::detail::check_finite<Backend>(res, "features", features);
  const int64_t batch = batch_rows<Backend>(res, features.rows, (2 * d + weight.rows) * int64_t(sizeof(T)));
  auto sorted = Backend::template allocate<T>(res, batch * d);
  shaped_energy<Backend>(res, features, weight, bias.ptr, temperature, out.ptr, batch,
                         [&](const T* z, int64_t rows, T* shaped) {
                           Backend::copy(res, sorted.data(), z, rows * d);
                           Backend::sort_segments(res, sorted.data(), rows, d);
                           Backend::for_each_n(res, rows, ash_shape_op<T>{z, sorted.data(), d, k, variant, shaped});
                         });
}

template <typename Backend, typename T>
int64_t mahalanobis_fit(resources const& res, matrix_view<const T, typename Backend::memory_space> train,
                        vector_view<const int64_t, typename Backend::memory_space> labels,
                        matrix_view<T, typename Backend::memory_space> class_means,
                        matrix_view<T, typename Backend::memory_space> whitening)
{
  tamis::detail::check_matrix("train_features", train);
  const int64_t n = train.rows, d = train.cols, classes = class_means.rows;
  tamis::detail::check_length("labels", labels, n);
  TAMIS_EXPECTS(classes >= 1, "class_means: needs at least one class (row), got %lld", static_cast<long long>(classes));
  tamis::detail::check_shape("class_means", class_means, classes, d);
  tamis::detail::check_shape("whitening", whitening, d, d);
  tamis::detail::check_finite<Backend>(res, "train_features", train);
  const int64_t outside = tamis::detail::count_if<Backend>(res, labels.ptr, n, label_outside_op{classes});
  TAMIS_EXPECTS(outside == 0, "labels: %lld labels are outside [0, %lld) (n_classes = class_means rows)",
                static_cast<long long>(outside), static_cast<long long>(classes));

  // Rows grouped by class (a stable sort keeps each class in row order, so the sums are deterministic).
  auto keys = Backend::template allocate<int64_t>(res, n);
  auto order = Backend::template allocate<int64_t>(res, n);
  auto start = Backend::template allocate<int64_t>(res, classes + 1);
  Backend::copy(res, keys.data(), labels.ptr, n);
  Backend::for_each_n(res, n, tamis::detail::iota_op{order.data()});
  Backend::stable_sort_by_key(res, keys.data(), order.data(), n);
  Backend::for_each_n(res, classes + 1, tamis::detail::segment_start_op{keys.data(), n, start.data()});
  std::vector<int64_t> start_host(static_cast<size_t>(classes + 1));
  Backend::to_host(res, start_host.data(), start.data(), classes + 1);
  for (int64_t c = 0; c < classes; ++c)
    TAMIS_EXPECTS(start_host[c + 1] > start_host[c], "labels: class %lld has no training rows (every class of the "
                  "%lld needs at least one)", static_cast<long long>(c), static_cast<long long>(classes));

  auto means = Backend::template allocate<double>(res, classes * d);
  Backend::for_each_n(res, classes * d, class_mean_op<T>{train.ptr, order.data(), start.data(), d, means.data()});
  Backend::for_each_n(res, classes * d, cast_op<double, T>{means.data(), class_means.ptr});

  std::vector<double> cov = scatter<Backend>(res, train, means.data(), labels.ptr);
  for (double& v : cov) v /= static_cast<double>(n);
  auto eig = outlier::detail::symmetric_eigen(cov, d);
  const int64_t rank = kept_rank(eig.values, static_cast<double>(d) * std::numeric_limits<double>::epsilon());
  std::vector<double> w(static_cast<size_t>(d * d), 0.0);
  for (int64_t k = 0; k < rank; ++k)
    for (int64_t j = 0; j < d; ++j) w[k * d + j] = eig.vectors[k * d + j] / std::sqrt(eig.values[k]);
  upload<Backend>(res, w, whitening.ptr);
  Backend::sync(res);
  return rank;
}

template <typename Backend, typename T>
void mahalanobis_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                        matrix_view<const T, typename Backend::memory_space> class_means,
                        matrix_view<const T, typename Backend::memory_space> whitening,
                        vector_view<T, typename Backend::memory_space> out)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("class_means", class_means);
  tamis::detail::check_matrix("whitening", whitening);
  const int64_t d = class_means.cols, classes = class_means.rows, r = whitening.rows;
  TAMIS_EXPECTS(whitening.cols == d, "whitening: has %lld columns but class_means has %lld",
                static_cast<long long>(whitening.cols), static_cast<long long>(d));
  check_features("features", features, d);
  tamis::detail::check_length("out", out, features.rows);
  tamis::detail::check_finite<Backend>(res, "class_means", class_means);
  tamis::detail::check_finite<Backend>(res, "whitening", whitening);
  tamis::detail::check_finite<Backend>(res, "features", features);

  // In whitened coordinates y = W z the distance is Euclidean: the nearest whitened class mean.
  auto means_w = Backend::template allocate<T>(res, classes * r);
  Backend::gemm_nt(res, classes, r, d, T(1), class_means.ptr, d, whitening.ptr, d, T(0), means_w.data(), r);
  const int64_t n = features.rows;
  const int64_t batch = batch_rows<Backend>(res, n, (r + 2) * int64_t(sizeof(T)) + int64_t(sizeof(int64_t)));
  auto y = Backend::template allocate<T>(res, batch * r);
  auto dist = Backend::template allocate<T>(res, batch);
  auto idx = Backend::template allocate<int64_t>(res, batch);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t rows = std::min(batch, n - r0);
    Backend::gemm_nt(res, rows, r, d, T(1), features.ptr + r0 * d, d, whitening.ptr, d, T(0), y.data(), r);
    neighbors::brute_force::knn(res, matrix_view<const T, space>(means_w.data(), classes, r),
                                matrix_view<const T, space>(y.data(), rows, r), distance_metric::sqeuclidean, false,
                                matrix_view<T, space>(dist.data(), rows, 1),
                                matrix_view<int64_t, space>(idx.data(), rows, 1));
    Backend::for_each_n(res, rows, nearest_sqdist_op<T>{y.data(), means_w.data(), idx.data(), r, out.ptr + r0});
  }
  Backend::sync(res);
}

template <typename Backend, typename T>
T vim_fit(resources const& res, matrix_view<const T, typename Backend::memory_space> train,
          matrix_view<const T, typename Backend::memory_space> weight,
          vector_view<const T, typename Backend::memory_space> bias, vector_view<T, typename Backend::memory_space> origin,
          matrix_view<T, typename Backend::memory_space> residual_basis)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("train_features", train);
  const int64_t n = train.rows, d = train.cols;
  check_head<Backend, T>(res, weight, bias, d);
  tamis::detail::check_length("origin", origin, d);
  const int64_t r = residual_basis.rows;
  TAMIS_EXPECTS(r >= 1 && r <= d, "residual_basis: must have D - dim rows in [1, %lld] (0 <= dim < D), got %lld",
                static_cast<long long>(d), static_cast<long long>(r));
  tamis::detail::check_shape("residual_basis", residual_basis, r, d);
  tamis::detail::check_finite<Backend>(res, "train_features", train);

  std::vector<double> u = vim_origin<Backend, T>(res, weight, bias);
  auto u_dev = Backend::template allocate<double>(res, d);
  Backend::from_host(res, u_dev.data(), u.data(), d);
  std::vector<double> cov = scatter<Backend>(res, train, u_dev.data(), nullptr);
  for (double& v : cov) v /= static_cast<double>(n);
  auto eig = outlier::detail::symmetric_eigen(cov, d);
  upload<Backend>(res, std::vector<double>(eig.vectors.begin() + (d - r) * d, eig.vectors.end()), residual_basis.ptr);
  upload<Backend>(res, u, origin.ptr);

  // α from the stored (T-rounded) origin and basis, so that it matches what vim_scores computes.
  auto neg_max = Backend::template allocate<T>(res, n);
  auto residual = Backend::template allocate<T>(res, n);
  vim_terms<Backend, T>(res, train, weight, bias.ptr, origin.ptr, matrix_view<const T, space>(residual_basis),
                        logit_score::max_logit, neg_max.data(), residual.data());
  const double mean_max = -tamis::detail::sum<Backend>(res, neg_max.data(), n) / static_cast<double>(n);
  const double mean_residual = tamis::detail::sum<Backend>(res, residual.data(), n) / static_cast<double>(n);
  TAMIS_EXPECTS(mean_residual > 0, "train_features: have no component outside the top %lld principal directions "
                "(lower dim)", static_cast<long long>(d - r));
  return static_cast<T>(mean_max / mean_residual);
}

template <typename Backend, typename T>
void vim_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                matrix_view<const T, typename Backend::memory_space> weight,
                vector_view<const T, typename Backend::memory_space> bias,
                vector_view<const T, typename Backend::memory_space> origin,
                matrix_view<const T, typename Backend::memory_space> residual_basis, T alpha,
                vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("residual_basis", residual_basis);
  const int64_t d = residual_basis.cols;
  check_features("features", features, d);
  check_head<Backend, T>(res, weight, bias, d);
  tamis::detail::check_length("origin", origin, d);
  tamis::detail::check_length("out", out, features.rows);
  TAMIS_EXPECTS(std::isfinite(static_cast<double>(alpha)), "alpha: must be finite, got %g", static_cast<double>(alpha));
  tamis::detail::check_finite<Backend>(res, "origin", origin);
  tamis::detail::check_finite<Backend>(res, "residual_basis", residual_basis);
  tamis::detail::check_finite<Backend>(res, "features", features);
  auto residual = Backend::template allocate<T>(res, features.rows);
  vim_terms<Backend, T>(res, features, weight, bias.ptr, origin.ptr, residual_basis, logit_score::energy, out.ptr,
                        residual.data());
  Backend::for_each_n(res, features.rows, vim_combine_op<T>{residual.data(), alpha, out.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void knn_ood_normalize(resources const& res, matrix_view<const T, typename Backend::memory_space> features,
                       matrix_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("features", features);
  tamis::detail::check_shape("out", out, features.rows, features.cols);
  tamis::detail::check_finite<Backend>(res, "features", features);
  Backend::for_each_n(res, features.rows, normalize_op<T>{features.ptr, features.cols, out.ptr});
  Backend::sync(res);
}

template <typename Backend, typename T>
void knn_ood_scores(resources const& res, matrix_view<const T, typename Backend::memory_space> bank,
                    matrix_view<const T, typename Backend::memory_space> features, int64_t k,
                    vector_view<T, typename Backend::memory_space> out)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("bank", bank);
  check_features("features", features, bank.cols);
  tamis::detail::check_length("out", out, features.rows);
  TAMIS_EXPECTS(k >= 1 && k <= bank.rows, "k: must be in [1, %lld] (the bank's rows), got %lld",
                static_cast<long long>(bank.rows), static_cast<long long>(k));
  tamis::detail::check_finite<Backend>(res, "bank", bank);
  tamis::detail::check_finite<Backend>(res, "features", features);
  const int64_t n = features.rows, d = features.cols;
  const int64_t batch = batch_rows<Backend>(res, n, d * int64_t(sizeof(T)) + k * int64_t(sizeof(T) + sizeof(int64_t)));
  auto normalized = Backend::template allocate<T>(res, batch * d);
  for (int64_t r0 = 0; r0 < n; r0 += batch) {
    const int64_t rows = std::min(batch, n - r0);
    Backend::for_each_n(res, rows, normalize_op<T>{features.ptr + r0 * d, d, normalized.data()});
    auto nb = tamis::outlier::detail::exact_neighbors<Backend, T>(
      res, bank, matrix_view<const T, space>(normalized.data(), rows, d), false, k);
    Backend::for_each_n(res, rows, row_max_op<T>{nb.dist.data(), k, out.ptr + r0});
  }
  Backend::sync(res);
}

}  // namespace tamis::outlier::ood::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_OOD_FEATURES_DEFINE(T, Space, Backend)                                                              \
  T tamis::outlier::ood::react_threshold(resources const& res, matrix_view<const T, Space> train_features,          \
                                         double percentile)                                                        \
  {                                                                                                                \
    return detail::react_threshold<Backend, T>(res, train_features, percentile);                                   \
  }                                                                                                                \
  void tamis::outlier::ood::react_scores(resources const& res, matrix_view<const T, Space> features,               \
                                         matrix_view<const T, Space> weight, vector_view<const T, Space> bias,      \
                                         T threshold, T temperature, vector_view<T, Space> out)                     \
  {                                                                                                                \
    detail::react_scores<Backend, T>(res, features, weight, bias, threshold, temperature, out);                    \
  }                                                                                                                \
  void tamis::outlier::ood::ash_scores(resources const& res, matrix_view<const T, Space> features,                 \
                                       matrix_view<const T, Space> weight, vector_view<const T, Space> bias,        \
                                       ash_variant variant, double percentile, T temperature,                      \
                                       vector_view<T, Space> out)                                                   \
  {                                                                                                                \
    detail::ash_scores<Backend, T>(res, features, weight, bias, variant, percentile, temperature, out);            \
  }                                                                                                                \
  int64_t tamis::outlier::ood::mahalanobis_fit(resources const& res, matrix_view<const T, Space> train_features,   \
                                               vector_view<const int64_t, Space> labels,                           \
                                               matrix_view<T, Space> class_means, matrix_view<T, Space> whitening)  \
  {                                                                                                                \
    return detail::mahalanobis_fit<Backend, T>(res, train_features, labels, class_means, whitening);               \
  }                                                                                                                \
  void tamis::outlier::ood::mahalanobis_scores(resources const& res, matrix_view<const T, Space> features,         \
                                               matrix_view<const T, Space> class_means,                            \
                                               matrix_view<const T, Space> whitening, vector_view<T, Space> out)   \
  {                                                                                                                \
    detail::mahalanobis_scores<Backend, T>(res, features, class_means, whitening, out);                            \
  }                                                                                                                \
  T tamis::outlier::ood::vim_fit(resources const& res, matrix_view<const T, Space> train_features,                 \
                                 matrix_view<const T, Space> weight, vector_view<const T, Space> bias,              \
                                 vector_view<T, Space> origin, matrix_view<T, Space> residual_basis)                \
  {                                                                                                                \
    return detail::vim_fit<Backend, T>(res, train_features, weight, bias, origin, residual_basis);                 \
  }                                                                                                                \
  void tamis::outlier::ood::vim_scores(resources const& res, matrix_view<const T, Space> features,                 \
                                       matrix_view<const T, Space> weight, vector_view<const T, Space> bias,        \
                                       vector_view<const T, Space> origin,                                         \
                                       matrix_view<const T, Space> residual_basis, T alpha,                        \
                                       vector_view<T, Space> out)                                                   \
  {                                                                                                                \
    detail::vim_scores<Backend, T>(res, features, weight, bias, origin, residual_basis, alpha, out);               \
  }                                                                                                                \
  void tamis::outlier::ood::knn_ood_normalize(resources const& res, matrix_view<const T, Space> features,          \
                                              matrix_view<T, Space> out)                                           \
  {                                                                                                                \
    detail::knn_ood_normalize<Backend, T>(res, features, out);                                                     \
  }                                                                                                                \
  void tamis::outlier::ood::knn_ood_scores(resources const& res, matrix_view<const T, Space> bank,                 \
                                           matrix_view<const T, Space> features, int64_t k,                        \
                                           vector_view<T, Space> out)                                              \
  {                                                                                                                \
    detail::knn_ood_scores<Backend, T>(res, bank, features, k, out);                                               \
  }
