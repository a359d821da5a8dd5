// Body of the PCA detector, written once over a backend: the column statistics stream through the
// backend (mahalanobis-inl.hpp), the d × d eigenproblem runs on the host in double, and scoring is a
// standardise + GEMM (+ GEMM) pass per row tile.
#pragma once
#ifndef TAMIS_OUTLIER_PCA_HPP_INCLUDED
#error "tamis/outlier/detail/pca-inl.hpp is internal: include tamis/outlier/pca.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/transpose.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/outlier/detail/whitening.hpp"
#include "tamis/outlier/detail/mahalanobis-inl.hpp"

namespace tamis::outlier::detail {

/// z = (x − mean) / scale, element-wise over b × d rows.
template <typename T>
struct standardise_rows_op {
  const T* x;
  const T* mean;
  const T* scale;
  int64_t d;
  T* z;
  TAMIS_HD void operator()(int64_t e) const
  {
    const int64_t j = e % d;
    z[e] = (x[e] - mean[j]) / scale[j];
  }
};

/// PyOD's score of one row: Σ_j ‖z − v_j‖ / w_j with ‖z − v_j‖² = ‖z‖² − 2 z·v_j + ‖v_j‖² (g = z·vᵀ).
template <typename T>
struct pca_pyod_score_op {
  const T* z;
  const T* g;
  const T* component_sq;
  const T* weights;
  int64_t d;
  int64_t k;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    using std::sqrt;
    double zz = 0;
    for (int64_t j = 0; j < d; ++j) zz += static_cast<double>(z[i * d + j]) * static_cast<double>(z[i * d + j]);
    double score = 0;
    for (int64_t c = 0; c < k; ++c) {
      const double sq = zz - 2 * static_cast<double>(g[i * k + c]) + static_cast<double>(component_sq[c]);
      score += sqrt(sq > 0 ? sq : 0.0) / static_cast<double>(weights[c]);
    }
    out[i] = static_cast<T>(score);
  }
};

/// out[i] = ‖z_i − r_i‖² (r = the projection of z back in feature space).
template <typename T>
struct residual_sq_op {
  const T* z;
  const T* r;
  int64_t d;
  T* out;
  TAMIS_HD void operator()(int64_t i) const
  {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) {
      const double e = static_cast<double>(z[i * d + j]) - static_cast<double>(r[i * d + j]);
      s += e * e;
    }
    out[i] = static_cast<T>(s);
  }
};

struct is_not_positive {
  template <typename T>
  TAMIS_HD bool operator()(T v) const { return !(v > T(0)); }  // NaN included
};

template <typename Backend, typename T>
void check_pca_outputs(int64_t count, int64_t d, vector_view<T, typename Backend::memory_space> scale,
                       matrix_view<T, typename Backend::memory_space> components,
                       vector_view<T, typename Backend::memory_space> explained_variance,
                       vector_view<T, typename Backend::memory_space> explained_variance_ratio)
{
  const int64_t k_max = count < d ? count : d;
  TAMIS_EXPECTS(components.rows >= 1 && components.rows <= k_max,
                "components: n_components = %lld rows must be in [1, min(n, d) = %lld]",
                static_cast<long long>(components.rows), static_cast<long long>(k_max));
  tamis::detail::check_shape("components", components, components.rows, d);
  tamis::detail::check_length("scale", scale, d);
  tamis::detail::check_length("explained_variance", explained_variance, components.rows);
  tamis::detail::check_length("explained_variance_ratio", explained_variance_ratio, components.rows);
}

/// The fit proper, from column statistics already in backend memory.
template <typename Backend, typename T>
void pca_fit_stats(resources const& res, int64_t count, const T* mean, const T* m2, int64_t d, bool standardize,
                   T* scale, matrix_view<T, typename Backend::memory_space> components, T* explained_variance,
                   T* explained_variance_ratio)
{
  const auto n = static_cast<double>(count);
  const std::vector<double> mu = download<Backend>(res, mean, d);
  std::vector<double> c = download<Backend>(res, m2, d * d);
  // StandardScaler: var = m2_jj / n; near-constant when var ≤ n·ε·var + (n·mean·ε)² (ε of double).
  std::vector<double> s(static_cast<size_t>(d), 1.0);
  if (standardize) {
    const double eps = std::numeric_limits<double>::epsilon();
    for (int64_t j = 0; j < d; ++j) {
      const double var = c[j * d + j] / n, bound = n * eps * var + (n * mu[j] * eps) * (n * mu[j] * eps);
      s[j] = var <= bound ? 1.0 : std::sqrt(var);
    }
  }
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < d; ++j) c[i * d + j] /= s[i] * s[j] * (n - 1);
  auto [lambda, v] = symmetric_eigen(c, d);
  // Eigenvalues below d·ε·λ_max are numerically zero (rank-deficient data; their eigenvectors are
  // arbitrary): raised to that floor, so that PyOD's 1 / ratio weights stay finite and comparable.
  const double floor = static_cast<double>(d) * std::numeric_limits<T>::epsilon() * (lambda[0] > 0 ? lambda[0] : 0.0);
  double total = 0;
  for (double& l : lambda) total += (l = l > floor ? l : floor);
  const int64_t k = components.rows;
  std::vector<double> ratio(static_cast<size_t>(k));
  for (int64_t r = 0; r < k; ++r) {
    double* row = v.data() + r * d;
    int64_t top = 0;  // svd_flip: the first entry of largest magnitude becomes positive
    for (int64_t j = 1; j < d; ++j) top = std::fabs(row[j]) > std::fabs(row[top]) ? j : top;
    if (row[top] < 0)
      for (int64_t j = 0; j < d; ++j) row[j] = -row[j];
    ratio[r] = total > 0 ? lambda[r] / total : 0.0;
  }
  auto put = [&](T* dst, std::vector<double> const& src, int64_t len) {
    auto staged = upload<Backend, T>(res, src, len);
    Backend::copy(res, dst, staged.data(), len);
  };
  put(scale, s, d);
  put(components.ptr, v, k * d);
  put(explained_variance, lambda, k);
  put(explained_variance_ratio, ratio, k);
  Backend::sync(res);
}

template <typename Backend, typename T>
void pca_fit(resources const& res, matrix_view<const T, typename Backend::memory_space> x, bool standardize,
             vector_view<T, typename Backend::memory_space> mean, vector_view<T, typename Backend::memory_space> scale,
             matrix_view<T, typename Backend::memory_space> components,
             vector_view<T, typename Backend::memory_space> explained_variance,
             vector_view<T, typename Backend::memory_space> explained_variance_ratio)
{
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.rows >= 2, "x: PCA needs at least 2 rows, got %lld", static_cast<long long>(x.rows));
  const int64_t d = x.cols;
  tamis::detail::check_length("mean", mean, d);
  check_pca_outputs<Backend, T>(x.rows, d, scale, components, explained_variance, explained_variance_ratio);
  tamis::detail::check_finite<Backend>(res, "x", x);
  auto m2 = Backend::template allocate<T>(res, d * d);
  accumulate_column_stats<Backend, T>(res, x.ptr, x.rows, d, mean.ptr, m2.data());
  pca_fit_stats<Backend, T>(res, x.rows, mean.ptr, m2.data(), d, standardize, scale.ptr, components,
                            explained_variance.ptr, explained_variance_ratio.ptr);
}

template <typename Backend, typename T>
void pca_fit_from_stats(resources const& res, int64_t count, vector_view<const T, typename Backend::memory_space> mean,
                        matrix_view<const T, typename Backend::memory_space> m2, bool standardize,
                        vector_view<T, typename Backend::memory_space> scale,
                        matrix_view<T, typename Backend::memory_space> components,
                        vector_view<T, typename Backend::memory_space> explained_variance,
                        vector_view<T, typename Backend::memory_space> explained_variance_ratio)
{
  TAMIS_EXPECTS(count >= 2, "count: PCA needs at least 2 rows, got %lld", static_cast<long long>(count));
  const int64_t d = mean.length;
  TAMIS_EXPECTS(d >= 1, "mean: needs at least one feature");
  tamis::detail::check_length("mean", mean, d);
  tamis::detail::check_shape("m2", m2, d, d);
  check_pca_outputs<Backend, T>(count, d, scale, components, explained_variance, explained_variance_ratio);
  tamis::detail::check_finite<Backend>(res, "mean", mean);
  tamis::detail::check_finite<Backend>(res, "m2", m2);
  pca_fit_stats<Backend, T>(res, count, mean.ptr, m2.ptr, d, standardize, scale.ptr, components,
                            explained_variance.ptr, explained_variance_ratio.ptr);
}

template <typename Backend, typename T>
void pca_scores(resources const& res, vector_view<const T, typename Backend::memory_space> mean,
                vector_view<const T, typename Backend::memory_space> scale,
                matrix_view<const T, typename Backend::memory_space> components,
                vector_view<const T, typename Backend::memory_space> weights,
                matrix_view<const T, typename Backend::memory_space> x, pca::score_kind kind,
                vector_view<T, typename Backend::memory_space> out)
{
  tamis::detail::check_matrix("components", components);
  const int64_t d = components.cols, k = components.rows;
  tamis::detail::check_length("mean", mean, d);
  tamis::detail::check_length("scale", scale, d);
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == d, "x: has %lld features, the fitted components have %lld", static_cast<long long>(x.cols),
                static_cast<long long>(d));
  tamis::detail::check_length("out", out, x.rows);
  tamis::detail::check_finite<Backend>(res, "mean", mean);
  tamis::detail::check_finite<Backend>(res, "components", components);
  const int64_t bad_scale = tamis::detail::count_if<Backend>(res, scale.ptr, d, is_not_positive{});
  TAMIS_EXPECTS(bad_scale == 0, "scale: %lld entries are not finite and > 0", static_cast<long long>(bad_scale));
  tamis::detail::check_finite<Backend>(res, "scale", scale);
  const bool pyod = kind == pca::score_kind::pyod;
  if (pyod) {
    tamis::detail::check_length("weights", weights, k);
    tamis::detail::check_finite<Backend>(res, "weights", weights);
    const int64_t bad = tamis::detail::count_if<Backend>(res, weights.ptr, k, is_not_positive{});
    TAMIS_EXPECTS(bad == 0,
                  "weights: %lld entries are <= 0 (a zero explained-variance ratio: a component of the training "
                  "data's null space; select fewer components)", static_cast<long long>(bad));
  }
  tamis::detail::check_finite<Backend>(res, "x", x);

  const int64_t m = x.rows;
  const int64_t batch = tile_rows<Backend, T>(res, m, d + k + (pyod ? 0 : d));
  auto z = Backend::template allocate<T>(res, batch * d);
  auto g = Backend::template allocate<T>(res, batch * k);
  typename Backend::template buffer<T> aux, back;  // pyod: ‖v_j‖²; reconstruction: componentsᵀ, z's projection
  if (pyod) {
    aux = Backend::template allocate<T>(res, k);
    Backend::for_each_n(res, k, row_sum_squares_op<T>{components.ptr, d, aux.data()});
  } else {
    aux = Backend::template allocate<T>(res, d * k);
    tamis::detail::transpose<Backend>(res, components.ptr, k, d, aux.data());
    back = Backend::template allocate<T>(res, batch * d);
  }
  for (int64_t r0 = 0; r0 < m; r0 += batch) {
    const int64_t b = batch < m - r0 ? batch : m - r0;
    Backend::for_each_n(res, b * d, standardise_rows_op<T>{x.ptr + r0 * d, mean.ptr, scale.ptr, d, z.data()});
    Backend::gemm_nt(res, b, k, d, T(1), z.data(), d, components.ptr, d, T(0), g.data(), k);
    if (pyod) {
      Backend::for_each_n(res, b, pca_pyod_score_op<T>{z.data(), g.data(), aux.data(), weights.ptr, d, k, out.ptr + r0});
    } else {
      Backend::gemm_nt(res, b, d, k, T(1), g.data(), k, aux.data(), k, T(0), back.data(), d);
      Backend::for_each_n(res, b, residual_sq_op<T>{z.data(), back.data(), d, out.ptr + r0});
    }
  }
  Backend::sync(res);
}

}  // namespace tamis::outlier::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_PCA_DEFINE(T, Space, Backend)                                                                        \
  void tamis::outlier::pca::fit(resources const& res, matrix_view<const T, Space> x, bool standardize,             \
                                vector_view<T, Space> mean, vector_view<T, Space> scale,                           \
                                matrix_view<T, Space> components, vector_view<T, Space> explained_variance,        \
                                vector_view<T, Space> explained_variance_ratio)                                    \
  {                                                                                                                \
    outlier::detail::pca_fit<Backend, T>(res, x, standardize, mean, scale, components, explained_variance,         \
                                         explained_variance_ratio);                                                \
  }                                                                                                                \
  void tamis::outlier::pca::fit_from_stats(resources const& res, int64_t count, vector_view<const T, Space> mean,  \
                                           matrix_view<const T, Space> m2, bool standardize,                       \
                                           vector_view<T, Space> scale, matrix_view<T, Space> components,          \
                                           vector_view<T, Space> explained_variance,                               \
                                           vector_view<T, Space> explained_variance_ratio)                         \
  {                                                                                                                \
    outlier::detail::pca_fit_from_stats<Backend, T>(res, count, mean, m2, standardize, scale, components,          \
                                                    explained_variance, explained_variance_ratio);                 \
  }                                                                                                                \
  void tamis::outlier::pca::scores(resources const& res, vector_view<const T, Space> mean,                         \
                                   vector_view<const T, Space> scale, matrix_view<const T, Space> components,      \
                                   vector_view<const T, Space> weights, matrix_view<const T, Space> x,             \
                                   score_kind kind, vector_view<T, Space> out)                                     \
  {                                                                                                                \
    outlier::detail::pca_scores<Backend, T>(res, mean, scale, components, weights, x, kind, out);                  \
  }
