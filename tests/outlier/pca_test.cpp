#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <type_traits>
#include <vector>

#include "reference.hpp"
#include "tamis/linalg/symmetric_eigen.hpp"
#include "tamis/outlier/mahalanobis.hpp"
#include "tamis/outlier/pca.hpp"

namespace {

namespace pca = tamis::outlier::pca;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 1e-3 : 1e-9;
}

/// Cyclic Jacobi eigen-decomposition of a symmetric d × d matrix, in double: eigenvalues descending,
/// eigenvectors as rows (sign as it comes).
void ref_jacobi(std::vector<double> a, int64_t d, std::vector<double>& values, std::vector<double>& vectors)
{
  std::vector<double> v(d * d, 0.0);
  for (int64_t i = 0; i < d; ++i) v[i * d + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int64_t p = 0; p < d; ++p)
      for (int64_t q = p + 1; q < d; ++q) off += a[p * d + q] * a[p * d + q];
    if (off < 1e-30) break;
    for (int64_t p = 0; p < d; ++p)
      for (int64_t q = p + 1; q < d; ++q) {
        if (a[p * d + q] == 0) continue;
        const double theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int64_t k = 0; k < d; ++k) {  // A ← A J (columns p, q), then Jᵀ A (rows p, q)
          const double akp = a[k * d + p], akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (int64_t k = 0; k < d; ++k) {
          const double apk = a[p * d + k], aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (int64_t k = 0; k < d; ++k) {
          const double vkp = v[k * d + p], vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  std::vector<int64_t> order(d);
  std::iota(order.begin(), order.end(), int64_t{0});
  std::sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return a[x * d + x] > a[y * d + y]; });
  values.assign(d, 0.0);
  vectors.assign(d * d, 0.0);
  for (int64_t r = 0; r < d; ++r) {
    values[r] = a[order[r] * d + order[r]];
    for (int64_t j = 0; j < d; ++j) vectors[r * d + j] = v[j * d + order[r]];
  }
}

/// scikit-learn's svd_flip(u_based_decision=False) on one row: its first largest-|.| entry positive.
void flip_sign(double* row, int64_t d)
{
  int64_t top = 0;
  for (int64_t j = 1; j < d; ++j) top = std::fabs(row[j]) > std::fabs(row[top]) ? j : top;
  if (row[top] < 0)
    for (int64_t j = 0; j < d; ++j) row[j] = -row[j];
}

TEST(SymmetricEigen, MatchesJacobi)
{
  for (int64_t d : {1, 2, 12, 40}) {
    auto r = tamis::test::random_matrix<double>(d, d, static_cast<uint32_t>(d));
    std::vector<double> a(d * d);
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = 0; j < d; ++j) a[i * d + j] = r[i * d + j] + r[j * d + i];
    std::vector<double> values(d), vectors(d * d), want_values, want_vectors;
    tamis::linalg::symmetric_eigen(make_host_matrix_view<const double>(a.data(), d, d),
                                   make_host_vector_view(values.data(), d), make_host_matrix_view(vectors.data(), d, d));
    ref_jacobi(a, d, want_values, want_vectors);
    for (int64_t k = 0; k < d; ++k) {
      EXPECT_NEAR(values[k], want_values[k], 1e-10) << d << " " << k;
      if (k > 0) EXPECT_GE(values[k - 1], values[k]);
      double dot = 0;
      for (int64_t j = 0; j < d; ++j) dot += vectors[k * d + j] * want_vectors[k * d + j];
      EXPECT_NEAR(std::fabs(dot), 1.0, 1e-9) << d << " " << k;
      for (int64_t i = 0; i < d; ++i) {  // A v = λ v
        double av = 0;
        for (int64_t j = 0; j < d; ++j) av += a[i * d + j] * vectors[k * d + j];
        EXPECT_NEAR(av, values[k] * vectors[k * d + i], 1e-10);
      }
    }
  }
}

TEST(SymmetricEigen, RepeatedEigenvaluesGiveAnOrthonormalBasis)
{
  const int64_t d = 5;
  std::vector<double> a(d * d, 0.0), values(d), vectors(d * d);
  for (int64_t i = 0; i < d; ++i) a[i * d + i] = i < 3 ? 2.0 : 0.0;
  tamis::linalg::symmetric_eigen(make_host_matrix_view<const double>(a.data(), d, d),
                                 make_host_vector_view(values.data(), d), make_host_matrix_view(vectors.data(), d, d));
  EXPECT_EQ(values, (std::vector<double>{2, 2, 2, 0, 0}));
  for (int64_t p = 0; p < d; ++p)
    for (int64_t q = 0; q < d; ++q) {
      double dot = 0;
      for (int64_t j = 0; j < d; ++j) dot += vectors[p * d + j] * vectors[q * d + j];
      EXPECT_NEAR(dot, p == q ? 1.0 : 0.0, 1e-14);
    }
}

TEST(SymmetricEigen, RejectsBadArguments)
{
  std::vector<double> a(9, 1.0), values(3), vectors(9);
  EXPECT_THROW(tamis::linalg::symmetric_eigen(make_host_matrix_view<const double>(a.data(), 3, 2),
                                              make_host_vector_view(values.data(), 3),
                                              make_host_matrix_view(vectors.data(), 3, 3)),
               tamis::logic_error);
  EXPECT_THROW(tamis::linalg::symmetric_eigen(make_host_matrix_view<const double>(a.data(), 3, 3),
                                              make_host_vector_view(values.data(), 2),
                                              make_host_matrix_view(vectors.data(), 3, 3)),
               tamis::logic_error);
  a[3] = std::numeric_limits<double>::quiet_NaN();  // lower triangle
  EXPECT_THROW(tamis::linalg::symmetric_eigen(make_host_matrix_view<const double>(a.data(), 3, 3),
                                              make_host_vector_view(values.data(), 3),
                                              make_host_matrix_view(vectors.data(), 3, 3)),
               tamis::logic_error);
}

/// Correlated rows with per-feature offsets and scales.
template <typename T>
std::vector<T> mixed(int64_t n, int64_t d, uint32_t seed)
{
  auto z = tamis::test::random_matrix<double>(n, d, seed);
  auto mix = tamis::test::random_matrix<double>(d, d, seed + 1);
  std::vector<T> x(n * d);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) {
      double v = 0;
      for (int64_t k = 0; k < d; ++k) v += z[i * d + k] * mix[k * d + j];
      x[i * d + j] = static_cast<T>(50.0 * j + (1.0 + j) * (v + 2 * z[i * d + j]));
    }
  return x;
}

/// PyOD's PCA fit in double, written out: StandardScaler, covariance (ddof 1), Jacobi, sign flip.
struct reference_fit {
  std::vector<double> mean, scale, components, variance, ratio;
};
template <typename T>
reference_fit ref_fit(std::vector<T> const& x, int64_t n, int64_t d, bool standardize, int64_t k)
{
  reference_fit f{std::vector<double>(d, 0.0), std::vector<double>(d, 1.0), {}, {}, {}};
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) f.mean[j] += x[i * d + j];
  for (auto& m : f.mean) m /= n;
  if (standardize) {
    for (int64_t j = 0; j < d; ++j) {
      double var = 0;
      for (int64_t i = 0; i < n; ++i) var += (x[i * d + j] - f.mean[j]) * (x[i * d + j] - f.mean[j]);
      var /= n;
      f.scale[j] = var > 1e-20 ? std::sqrt(var) : 1.0;
    }
  }
  std::vector<double> cov(d * d, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b)
        cov[a * d + b] += (x[i * d + a] - f.mean[a]) / f.scale[a] * (x[i * d + b] - f.mean[b]) / f.scale[b] / (n - 1);
  std::vector<double> values, vectors;
  ref_jacobi(cov, d, values, vectors);
  double total = 0;
  for (double v : values) total += std::max(v, 0.0);
  for (int64_t r = 0; r < k; ++r) {
    flip_sign(vectors.data() + r * d, d);
    f.components.insert(f.components.end(), vectors.begin() + r * d, vectors.begin() + (r + 1) * d);
    f.variance.push_back(values[r]);
    f.ratio.push_back(values[r] / total);
  }
  return f;
}

template <typename T>
struct fitted {
  std::vector<T> mean, scale, components, variance, ratio;
};
template <typename T>
fitted<T> host_fit(tamis::resources const& res, std::vector<T> const& x, int64_t n, int64_t d, bool standardize,
                   int64_t k)
{
  fitted<T> f{std::vector<T>(d), std::vector<T>(d), std::vector<T>(k * d), std::vector<T>(k), std::vector<T>(k)};
  pca::fit(res, make_host_matrix_view<const T>(x.data(), n, d), standardize, make_host_vector_view(f.mean.data(), d),
           make_host_vector_view(f.scale.data(), d), make_host_matrix_view(f.components.data(), k, d),
           make_host_vector_view(f.variance.data(), k), make_host_vector_view(f.ratio.data(), k));
  return f;
}

template <typename T>
std::vector<T> host_scores(tamis::resources const& res, fitted<T> const& f, int64_t first, int64_t count,
                           std::vector<T> const& weights, std::vector<T> const& x, int64_t m, pca::score_kind kind)
{
  const int64_t d = static_cast<int64_t>(f.mean.size());
  std::vector<T> out(m);
  pca::scores(res, make_host_vector_view<const T>(f.mean.data(), d), make_host_vector_view<const T>(f.scale.data(), d),
              make_host_matrix_view<const T>(f.components.data() + first * d, count, d),
              make_host_vector_view<const T>(weights.data(), static_cast<int64_t>(weights.size())),
              make_host_matrix_view<const T>(x.data(), m, d), kind, make_host_vector_view(out.data(), m));
  return out;
}

/// Both scores in double from their definitions: Σ_j ‖z − v_j‖ / w_j and ‖z − Σ (z·v_j) v_j‖².
template <typename T>
std::vector<double> ref_scores(fitted<T> const& f, int64_t first, int64_t count, std::vector<T> const& weights,
                               std::vector<T> const& x, int64_t m, pca::score_kind kind)
{
  const int64_t d = static_cast<int64_t>(f.mean.size());
  std::vector<double> out(m, 0.0), z(d);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < d; ++j) z[j] = (static_cast<double>(x[i * d + j]) - f.mean[j]) / f.scale[j];
    std::vector<double> residual(z);
    for (int64_t c = 0; c < count; ++c) {
      const T* v = f.components.data() + (first + c) * d;
      double dist = 0, dot = 0;
      for (int64_t j = 0; j < d; ++j) {
        dist += (z[j] - v[j]) * (z[j] - v[j]);
        dot += z[j] * v[j];
      }
      if (kind == pca::score_kind::pyod) out[i] += std::sqrt(dist) / weights[c];
      for (int64_t j = 0; j < d; ++j) residual[j] -= dot * v[j];
    }
    if (kind == pca::score_kind::reconstruction)
      for (double r : residual) out[i] += r * r;
  }
  return out;
}

template <typename T>
class Pca : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Pca, Types);

TYPED_TEST(Pca, FitMatchesReference)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 1500, d = 9;
  auto x = mixed<T>(n, d, 7);
  for (bool standardize : {true, false}) {
    for (int64_t k : {d, int64_t{3}}) {
      auto f = host_fit(res, x, n, d, standardize, k);
      auto want = ref_fit(x, n, d, standardize, k);
      const double top = want.variance[0];
      for (int64_t j = 0; j < d; ++j) {
        EXPECT_NEAR(f.mean[j], want.mean[j], tolerance<T>() * (1 + std::fabs(want.mean[j])));
        EXPECT_NEAR(f.scale[j], want.scale[j], tolerance<T>() * want.scale[j]);
      }
      for (int64_t r = 0; r < k; ++r) {
        EXPECT_NEAR(f.variance[r], want.variance[r], tolerance<T>() * top) << r;
        EXPECT_NEAR(f.ratio[r], want.ratio[r], tolerance<T>()) << r;
        for (int64_t j = 0; j < d; ++j)
          EXPECT_NEAR(f.components[r * d + j], want.components[r * d + j], tolerance<T>() * 10) << r << " " << j;
      }
    }
  }
}

TYPED_TEST(Pca, ScoresMatchReference)
{
  using T = TypeParam;
  tamis::resources res;
  tamis::resource::set_workspace_limit(res, 1 << 20);  // several tiles
  const int64_t n = 800, d = 12, m = 9000;
  auto x = mixed<T>(n, d, 17);
  auto q = mixed<T>(m, d, 18);
  auto f = host_fit(res, x, n, d, true, d);
  std::vector<T> ones(5, T(1));
  struct choice {
    int64_t first, count;
    std::vector<T> weights;
  };
  // PyOD's default (all components, weighted by the ratio), n_selected = 5 unweighted, top 4 for reconstruction.
  const choice pyod_all{0, d, f.ratio}, pyod_last{d - 5, 5, ones};
  for (auto const& c : {pyod_all, pyod_last}) {
    auto got = host_scores(res, f, c.first, c.count, c.weights, q, m, pca::score_kind::pyod);
    auto want = ref_scores(f, c.first, c.count, c.weights, q, m, pca::score_kind::pyod);
    for (int64_t i = 0; i < m; i += 13) EXPECT_NEAR(got[i], want[i], tolerance<T>() * want[i]) << i;
  }
  for (int64_t k : {int64_t{4}, d}) {
    auto got = host_scores(res, f, 0, k, std::vector<T>{}, q, m, pca::score_kind::reconstruction);
    auto want = ref_scores(f, 0, k, std::vector<T>{}, q, m, pca::score_kind::reconstruction);
    double top = 0;
    for (double w : want) top = std::max(top, w);
    for (int64_t i = 0; i < m; i += 13) EXPECT_NEAR(got[i], want[i], tolerance<T>() * (1 + top)) << k << " " << i;
  }
}

TYPED_TEST(Pca, FitFromMergedStatsEqualsFit)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 1000, d = 6, split = 420, k = 4;
  auto x = mixed<T>(n, d, 27);
  auto f = host_fit(res, x, n, d, true, k);
  std::vector<T> ma(d), sa(d * d), mb(d), sb(d * d);
  tamis::outlier::column_stats(res, make_host_matrix_view<const T>(x.data(), split, d), make_host_vector_view(ma.data(), d),
                               make_host_matrix_view(sa.data(), d, d));
  tamis::outlier::column_stats(res, make_host_matrix_view<const T>(x.data() + split * d, n - split, d),
                               make_host_vector_view(mb.data(), d), make_host_matrix_view(sb.data(), d, d));
  const int64_t count = tamis::outlier::merge_column_stats(
    res, split, make_host_vector_view<const T>(ma.data(), d), make_host_matrix_view<const T>(sa.data(), d, d), n - split,
    make_host_vector_view<const T>(mb.data(), d), make_host_matrix_view<const T>(sb.data(), d, d),
    make_host_vector_view(ma.data(), d), make_host_matrix_view(sa.data(), d, d));
  fitted<T> g{ma, std::vector<T>(d), std::vector<T>(k * d), std::vector<T>(k), std::vector<T>(k)};
  pca::fit_from_stats(res, count, make_host_vector_view<const T>(ma.data(), d), make_host_matrix_view<const T>(sa.data(), d, d),
                      true, make_host_vector_view(g.scale.data(), d), make_host_matrix_view(g.components.data(), k, d),
                      make_host_vector_view(g.variance.data(), k), make_host_vector_view(g.ratio.data(), k));
  for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(g.scale[j], f.scale[j], tolerance<T>() * f.scale[j]);
  for (int64_t e = 0; e < k * d; ++e) EXPECT_NEAR(g.components[e], f.components[e], tolerance<T>());
  for (int64_t r = 0; r < k; ++r) EXPECT_NEAR(g.ratio[r], f.ratio[r], tolerance<T>());
}

TYPED_TEST(Pca, EdgeCases)
{
  using T = TypeParam;
  tamis::resources res;
  // A constant column keeps scale 1; duplicated rows change nothing structural.
  const int64_t n = 50, d = 4;
  auto x = mixed<T>(n, d, 37);
  for (int64_t i = 0; i < n; ++i) x[i * d + 2] = T(7);
  for (int64_t j = 0; j < d; ++j) x[5 * d + j] = x[4 * d + j];
  auto f = host_fit(res, x, n, d, true, d);
  EXPECT_EQ(f.scale[2], T(1));
  for (int64_t r = 0; r < d; ++r) EXPECT_GT(f.ratio[r], T(0)) << "the floor keeps the null direction's ratio > 0";
  EXPECT_NEAR(f.ratio[d - 1], 0.0, 1e-5);
  auto s = host_scores(res, f, 0, d, f.ratio, x, n, pca::score_kind::pyod);
  for (T v : s) EXPECT_TRUE(std::isfinite(static_cast<double>(v)));
  EXPECT_EQ(s[4], s[5]);
  // d = 1: the single component is +1, the whole variance.
  std::vector<T> line = {T(1), T(2), T(4), T(8)};
  auto one = host_fit(res, line, 4, 1, true, 1);
  EXPECT_EQ(one.components[0], T(1));
  EXPECT_NEAR(one.ratio[0], 1.0, 1e-6);
  EXPECT_NEAR(one.variance[0], 4.0 / 3.0, 1e-5);  // standardised (ddof 0) data, ddof 1 variance
  // n < d: k = n components, all ratios > 0 and scores finite (the trailing ones are null directions).
  auto wide = mixed<T>(5, 8, 47);
  auto w = host_fit(res, wide, 5, 8, true, 5);
  for (T r : w.ratio) EXPECT_GT(r, T(0));
  auto ws = host_scores(res, w, 0, 5, w.ratio, wide, 5, pca::score_kind::pyod);
  for (T v : ws) EXPECT_TRUE(std::isfinite(static_cast<double>(v)));
  // n = 2.
  std::vector<T> pair = {T(0), T(1), T(2), T(5)};
  auto p = host_fit(res, pair, 2, 2, true, 2);
  EXPECT_NEAR(p.ratio[0], 1.0, 1e-6);
}

TYPED_TEST(Pca, RejectBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 20, d = 3;
  auto x = mixed<T>(n, d, 57);
  EXPECT_THROW(host_fit(res, x, n, d, true, 4), tamis::logic_error);
  EXPECT_THROW(host_fit(res, x, 1, d, true, 1), tamis::logic_error);
  auto wide = mixed<T>(2, 5, 3);
  EXPECT_THROW(host_fit(res, wide, 2, 5, true, 3), tamis::logic_error);
  auto nan = x;
  nan[4] = std::numeric_limits<T>::quiet_NaN();
  EXPECT_THROW(host_fit(res, nan, n, d, true, d), tamis::logic_error);
  auto f = host_fit(res, x, n, d, true, d);
  std::vector<T> out(n);
  auto q = mixed<T>(n, d + 1, 5);
  EXPECT_THROW(pca::scores(res, make_host_vector_view<const T>(f.mean.data(), d), make_host_vector_view<const T>(f.scale.data(), d),
                           make_host_matrix_view<const T>(f.components.data(), d, d),
                           make_host_vector_view<const T>(f.ratio.data(), d), make_host_matrix_view<const T>(q.data(), n, d + 1),
                           pca::score_kind::pyod, make_host_vector_view(out.data(), n)),
               tamis::logic_error);
  auto zero = f.ratio;
  zero[1] = T(0);
  EXPECT_THROW(host_scores(res, f, 0, d, zero, x, n, pca::score_kind::pyod), tamis::logic_error);
  EXPECT_THROW(host_scores(res, f, 0, d, std::vector<T>(d - 1, T(1)), x, n, pca::score_kind::pyod), tamis::logic_error);
  auto bad_scale = f;
  bad_scale.scale[0] = T(0);
  EXPECT_THROW(host_scores(res, bad_scale, 0, d, f.ratio, x, n, pca::score_kind::reconstruction), tamis::logic_error);
  auto inf = x;
  inf[0] = std::numeric_limits<T>::infinity();
  EXPECT_THROW(host_scores(res, f, 0, d, f.ratio, inf, n, pca::score_kind::pyod), tamis::logic_error);
  EXPECT_THROW(pca::parse_score_kind("residual"), tamis::logic_error);
}

}  // namespace
