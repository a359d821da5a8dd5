// Feature-based OOD scorers (ReAct, ASH, class-conditional Mahalanobis, ViM, KNN) against plain
// double-precision references written from the papers' / OpenOOD's formulas, with their own
// linear algebra (a Jacobi eigensolver), never the library's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <type_traits>
#include <vector>

#include "reference.hpp"
#include "tamis/core/error.hpp"
#include "tamis/outlier/ood_features.hpp"

namespace {

namespace ood = tamis::outlier::ood;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

// ---- references ---------------------------------------------------------------------------------

using dmat = std::vector<double>;  // row-major

template <typename T>
dmat to_double(std::vector<T> const& x)
{
  return dmat(x.begin(), x.end());
}

/// −T·logsumexp((z Wᵀ + b) / T) of one row z.
template <typename T>
double energy(const double* z, int64_t d, std::vector<T> const& w, std::vector<T> const& b, double t)
{
  const int64_t classes = static_cast<int64_t>(b.size());
  std::vector<double> f(static_cast<size_t>(classes));
  for (int64_t c = 0; c < classes; ++c) {
    double s = b[c];
    for (int64_t j = 0; j < d; ++j) s += z[j] * static_cast<double>(w[c * d + j]);
    f[c] = s / t;
  }
  double top = *std::max_element(f.begin(), f.end()), sum = 0;
  for (double v : f) sum += std::exp(v - top);
  return -t * (top + std::log(sum));
}

/// Cyclic Jacobi: a = Vᵀ diag(λ) V, λ descending, rows of V the eigenvectors.
void jacobi_eigen(dmat a, int64_t d, std::vector<double>& values, dmat& vectors)
{
  dmat v(static_cast<size_t>(d * d), 0.0);
  for (int64_t i = 0; i < d; ++i) v[i * d + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int64_t p = 0; p < d; ++p)
      for (int64_t q = p + 1; q < d; ++q) off += a[p * d + q] * a[p * d + q];
    if (off < 1e-30) break;
    for (int64_t p = 0; p < d; ++p)
      for (int64_t q = p + 1; q < d; ++q) {
        if (std::abs(a[p * d + q]) < 1e-300) continue;
        double theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q]);
        double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int64_t k = 0; k < d; ++k) {  // columns p, q of a·J
          double akp = a[k * d + p], akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (int64_t k = 0; k < d; ++k) {  // rows p, q of Jᵀ·a
          double apk = a[p * d + k], aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (int64_t k = 0; k < d; ++k) {  // eigenvectors as rows: rows p, q of Jᵀ·v
          double vpk = v[p * d + k], vqk = v[q * d + k];
          v[p * d + k] = c * vpk - s * vqk;
          v[q * d + k] = s * vpk + c * vqk;
        }
      }
  }
  std::vector<int64_t> order(static_cast<size_t>(d));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return a[x * d + x] > a[y * d + y]; });
  values.resize(static_cast<size_t>(d));
  vectors.resize(static_cast<size_t>(d * d));
  for (int64_t k = 0; k < d; ++k) {
    values[k] = a[order[k] * d + order[k]];
    for (int64_t j = 0; j < d; ++j) vectors[k * d + j] = v[order[k] * d + j];
  }
}

/// pinv of a symmetric matrix: eigen-directions with λ > d·ε·max|λ|.
dmat pinv_symmetric(dmat const& a, int64_t d)
{
  std::vector<double> values;
  dmat vectors;
  jacobi_eigen(a, d, values, vectors);
  double cut = d * std::numeric_limits<double>::epsilon() * std::max(std::abs(values.front()), std::abs(values.back()));
  dmat p(static_cast<size_t>(d * d), 0.0);
  for (int64_t k = 0; k < d; ++k) {
    if (values[k] <= cut) continue;
    for (int64_t i = 0; i < d; ++i)
      for (int64_t j = 0; j < d; ++j) p[i * d + j] += vectors[k * d + i] * vectors[k * d + j] / values[k];
  }
  return p;
}

/// numpy.percentile(x, p) with the default linear interpolation, in double.
double percentile(dmat x, double p)
{
  std::sort(x.begin(), x.end());
  double pos = (x.size() - 1) * p / 100.0;
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (x[hi] - x[lo]) * (pos - std::floor(pos));
}

/// One row shaped by ASH: the k largest (ties to the lower column) survive.
dmat ash_reference(dmat const& z, int64_t k, ood::ash_variant variant)
{
  const int64_t d = static_cast<int64_t>(z.size());
  std::vector<int64_t> order(static_cast<size_t>(d));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return z[a] > z[b]; });
  double s1 = std::accumulate(z.begin(), z.end(), 0.0), s2 = 0;
  dmat out(z.size(), 0.0);
  for (int64_t r = 0; r < k; ++r) {
    out[order[r]] = variant == ood::ash_variant::binarize ? s1 / k : z[order[r]];
    s2 += z[order[r]];
  }
  if (variant == ood::ash_variant::scale)
    for (double& v : out) v *= std::exp(s1 / s2);
  return out;
}

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 2e-4 : 1e-9;
}

template <typename T>
void expect_close(std::vector<T> const& got, std::vector<double> const& want, double tol, const char* what)
{
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol * (1 + std::abs(want[i]))) << what << " " << i;
}

// ---- fixtures -----------------------------------------------------------------------------------

template <typename T>
struct problem {
  int64_t n, d, classes;
  std::vector<T> z, w, b;
};

/// Non-negative (ReLU-like) features, a random head.
template <typename T>
problem<T> make_problem(int64_t n, int64_t d, int64_t classes, uint32_t seed)
{
  problem<T> p{n, d, classes, tamis::test::random_matrix<T>(n, d, seed),
               tamis::test::random_matrix<T>(classes, d, seed + 1), tamis::test::random_matrix<T>(1, classes, seed + 2)};
  for (auto& v : p.z) v = std::abs(v);
  return p;
}

template <typename T>
class OodFeatures : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(OodFeatures, Types);

// ---- ReAct --------------------------------------------------------------------------------------

TYPED_TEST(OodFeatures, ReactThresholdIsNumpyPercentile)
{
  using T = TypeParam;
  tamis::resources res;
  std::vector<T> ten{3, 1, 4, 10, 5, 9, 2, 6, 8, 7};  // np.percentile(1..10, 90) = 9.1
  EXPECT_NEAR(ood::react_threshold(res, make_host_matrix_view<const T>(ten.data(), 2, 5), 90.0), 9.1, 1e-6);
  EXPECT_EQ(ood::react_threshold(res, make_host_matrix_view<const T>(ten.data(), 5, 2), 0.0), T(1));
  EXPECT_EQ(ood::react_threshold(res, make_host_matrix_view<const T>(ten.data(), 10, 1), 100.0), T(10));
  for (double p : {90.0, 37.5, 99.9}) {
    auto x = tamis::test::random_matrix<T>(301, 7, 5);
    T got = ood::react_threshold(res, make_host_matrix_view<const T>(x.data(), 301, 7), p);
    EXPECT_NEAR(got, percentile(to_double(x), p), tolerance<T>()) << p;
  }
}

TYPED_TEST(OodFeatures, ReactScoresAreEnergyOfClippedFeatures)
{
  using T = TypeParam;
  tamis::resources res;
  auto p = make_problem<T>(97, 13, 5, 11);
  const T threshold = ood::react_threshold(res, make_host_matrix_view<const T>(p.z.data(), p.n, p.d), 90.0);
  for (double t : {1.0, 0.5}) {
    std::vector<T> got(p.n);
    ood::react_scores(res, make_host_matrix_view<const T>(p.z.data(), p.n, p.d),
                      make_host_matrix_view<const T>(p.w.data(), p.classes, p.d),
                      make_host_vector_view<const T>(p.b.data(), p.classes), threshold, T(t),
                      make_host_vector_view(got.data(), p.n));
    std::vector<double> want(p.n);
    for (int64_t i = 0; i < p.n; ++i) {
      dmat row(p.d);
      for (int64_t j = 0; j < p.d; ++j) row[j] = std::min<double>(p.z[i * p.d + j], threshold);
      want[i] = energy(row.data(), p.d, p.w, p.b, t);
    }
    expect_close(got, want, tolerance<T>(), "row");
  }
}

// ---- ASH ----------------------------------------------------------------------------------------

TEST(OodFeaturesAsh, KeptCountRoundsHalfToEven)
{
  EXPECT_EQ(ood::ash_kept(10, 25), 8);   // 2.5 rounds to 2
  EXPECT_EQ(ood::ash_kept(10, 35), 6);   // 3.5 rounds to 4
  EXPECT_EQ(ood::ash_kept(512, 90), 51);  // 460.8 rounds to 461
  EXPECT_EQ(ood::ash_kept(2048, 90), 205);
  EXPECT_EQ(ood::ash_kept(7, 0), 7);
  EXPECT_THROW(ood::ash_kept(1, 90), tamis::logic_error);   // nothing kept
  EXPECT_THROW(ood::ash_kept(10, 100), tamis::logic_error);
  EXPECT_THROW(ood::ash_kept(10, -1), tamis::logic_error);
  EXPECT_THROW(ood::ash_kept(10, 100.5), tamis::logic_error);
  EXPECT_EQ(ood::parse_ash_variant("s"), ood::ash_variant::scale);
  EXPECT_THROW(ood::parse_ash_variant("x"), tamis::logic_error);
}

TYPED_TEST(OodFeatures, AshMatchesReferenceForEveryVariant)
{
  using T = TypeParam;
  tamis::resources res;
  auto p = make_problem<T>(61, 20, 4, 21);
  // Ties: row 0 repeats its 2nd-largest value, row 1 is all zeros but one, row 2 is constant.
  for (int64_t j = 0; j < p.d; ++j) {
    p.z[0 * p.d + j] = T(j % 5);
    p.z[1 * p.d + j] = T(j == 7 ? 2 : 0);
    p.z[2 * p.d + j] = T(0.25);
  }
  for (auto variant : {ood::ash_variant::prune, ood::ash_variant::binarize, ood::ash_variant::scale}) {
    for (double pct : {90.0, 65.0, 0.0}) {
      const int64_t k = ood::ash_kept(p.d, pct);
      std::vector<T> got(p.n);
      ood::ash_scores(res, make_host_matrix_view<const T>(p.z.data(), p.n, p.d),
                      make_host_matrix_view<const T>(p.w.data(), p.classes, p.d),
                      make_host_vector_view<const T>(p.b.data(), p.classes), variant, pct, T(1),
                      make_host_vector_view(got.data(), p.n));
      std::vector<double> want(p.n);
      for (int64_t i = 0; i < p.n; ++i) {
        dmat row(p.z.begin() + i * p.d, p.z.begin() + (i + 1) * p.d);
        dmat shaped = ash_reference(row, k, variant);
        want[i] = energy(shaped.data(), p.d, p.w, p.b, 1.0);
      }
      expect_close(got, want, tolerance<T>(), "row");
    }
  }
}

TYPED_TEST(OodFeatures, AshScaleWithZeroSurvivorsKeepsScaleOne)
{
  using T = TypeParam;
  tamis::resources res;
  std::vector<T> z(6, T(0)), w{1, 2, 3, 4, 5, 6, -1, 0, 1, 0, -1, 2}, b{0.5, -0.5};
  std::vector<T> got(1);
  ood::ash_scores(res, make_host_matrix_view<const T>(z.data(), 1, 6), make_host_matrix_view<const T>(w.data(), 2, 6),
                  make_host_vector_view<const T>(b.data(), 2), ood::ash_variant::scale, 50.0, T(1),
                  make_host_vector_view(got.data(), 1));
  dmat zero(6, 0.0);
  EXPECT_NEAR(got[0], energy(zero.data(), 6, w, b, 1.0), 1e-6);
}

// ---- Mahalanobis ----------------------------------------------------------------------------------

/// min_c (z − μ_c)ᵀ pinv(Σ) (z − μ_c) with μ, Σ from the labelled rows.
template <typename T>
std::vector<double> mahalanobis_reference(std::vector<T> const& train, std::vector<int64_t> const& labels, int64_t d,
                                          int64_t classes, std::vector<T> const& queries, dmat& means)
{
  const int64_t n = static_cast<int64_t>(labels.size()), m = static_cast<int64_t>(queries.size()) / d;
  means.assign(static_cast<size_t>(classes * d), 0.0);
  std::vector<int64_t> count(static_cast<size_t>(classes), 0);
  for (int64_t i = 0; i < n; ++i) {
    ++count[labels[i]];
    for (int64_t j = 0; j < d; ++j) means[labels[i] * d + j] += train[i * d + j];
  }
  for (int64_t c = 0; c < classes; ++c)
    for (int64_t j = 0; j < d; ++j) means[c * d + j] /= count[c];
  dmat cov(static_cast<size_t>(d * d), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b)
        cov[a * d + b] += (train[i * d + a] - means[labels[i] * d + a]) * (train[i * d + b] - means[labels[i] * d + b]) / n;
  dmat prec = pinv_symmetric(cov, d);
  std::vector<double> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < classes; ++c) {
      dmat diff(static_cast<size_t>(d));
      for (int64_t j = 0; j < d; ++j) diff[j] = queries[i * d + j] - means[c * d + j];
      double q = 0;
      for (int64_t a = 0; a < d; ++a)
        for (int64_t b = 0; b < d; ++b) q += diff[a] * prec[a * d + b] * diff[b];
      best = std::min(best, q);
    }
    out[i] = best;
  }
  return out;
}

template <typename T>
struct mahalanobis_fitted {
  std::vector<T> means, whitening;
  int64_t rank;
};

template <typename T>
mahalanobis_fitted<T> fit_mahalanobis(tamis::resources const& res, std::vector<T> const& x,
                                      std::vector<int64_t> const& labels, int64_t d, int64_t classes)
{
  const int64_t n = static_cast<int64_t>(labels.size());
  mahalanobis_fitted<T> f{std::vector<T>(classes * d), std::vector<T>(d * d), 0};
  f.rank = ood::mahalanobis_fit(res, make_host_matrix_view<const T>(x.data(), n, d),
                                make_host_vector_view<const int64_t>(labels.data(), n),
                                make_host_matrix_view(f.means.data(), classes, d),
                                make_host_matrix_view(f.whitening.data(), d, d));
  return f;
}

template <typename T>
std::vector<T> score_mahalanobis(tamis::resources const& res, mahalanobis_fitted<T> const& f, std::vector<T> const& q,
                                 int64_t d, int64_t classes, int64_t rows_of_w)
{
  const int64_t m = static_cast<int64_t>(q.size()) / d;
  std::vector<T> out(m);
  ood::mahalanobis_scores(res, make_host_matrix_view<const T>(q.data(), m, d),
                          make_host_matrix_view<const T>(f.means.data(), classes, d),
                          make_host_matrix_view<const T>(f.whitening.data(), rows_of_w, d),
                          make_host_vector_view(out.data(), m));
  return out;
}

TYPED_TEST(OodFeatures, MahalanobisMatchesReference)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 240, d = 9, classes = 4, m = 50;
  std::vector<T> centres;
  auto x = tamis::test::random_blobs<T>(n, d, classes, 31, centres);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) labels[i] = (i * 7) % classes;  // shuffled-looking, every class present
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) x[i * d + j] += T(3 * labels[i]);
  auto q = tamis::test::random_matrix<T>(m, d, 32);
  for (auto& v : q) v *= T(4);
  auto fitted = fit_mahalanobis(res, x, labels, d, classes);
  EXPECT_EQ(fitted.rank, d);
  dmat means;
  auto want = mahalanobis_reference(x, labels, d, classes, q, means);
  expect_close(fitted.means, means, tolerance<T>(), "mean");
  expect_close(score_mahalanobis(res, fitted, q, d, classes, d), want, std::is_same_v<T, float> ? 1e-3 : 1e-8, "row");
}

TYPED_TEST(OodFeatures, MahalanobisConstantColumnAndDuplicateRowsUsePseudoInverse)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 80, d = 5, classes = 2, m = 20;
  auto x = tamis::test::random_matrix<T>(n, d, 41);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i) {
    labels[i] = i % classes;
    x[i * d + 3] = T(2);                                           // constant column: rank d − 1
    if (i >= 60) std::copy_n(x.begin() + (i - 60) * d, d, x.begin() + i * d);  // duplicate rows
    labels[i] = i >= 60 ? labels[i - 60] : labels[i];
  }
  auto q = tamis::test::random_matrix<T>(m, d, 42);
  auto fitted = fit_mahalanobis(res, x, labels, d, classes);
  EXPECT_EQ(fitted.rank, d - 1);
  dmat means;
  auto want = mahalanobis_reference(x, labels, d, classes, q, means);
  const double tol = std::is_same_v<T, float> ? 1e-3 : 1e-8;
  expect_close(score_mahalanobis(res, fitted, q, d, classes, d), want, tol, "row");
  // The leading `rank` rows of the whitening score the same.
  expect_close(score_mahalanobis(res, fitted, q, d, classes, fitted.rank), want, tol, "row (rank rows)");
}

TYPED_TEST(OodFeatures, MahalanobisOneFeatureOneClass)
{
  using T = TypeParam;
  tamis::resources res;
  std::vector<T> x{1, 2, 3, 4, 6};
  std::vector<int64_t> labels(5, 0);
  auto fitted = fit_mahalanobis(res, x, labels, 1, 1);
  std::vector<T> q{3.2, -1};
  // mean 3.2, variance (4.84 + 1.44 + 0.04 + 0.64 + 7.84) / 5 = 2.96
  auto got = score_mahalanobis(res, fitted, q, 1, 1, 1);
  EXPECT_NEAR(got[0], 0.0, 1e-6);
  EXPECT_NEAR(got[1], 4.2 * 4.2 / 2.96, 1e-5);
}

// ---- ViM ----------------------------------------------------------------------------------------

template <typename T>
struct vim_fitted {
  std::vector<T> origin, basis;
  T alpha;
};

template <typename T>
vim_fitted<T> fit_vim(tamis::resources const& res, problem<T> const& p, int64_t dim)
{
  vim_fitted<T> f{std::vector<T>(p.d), std::vector<T>((p.d - dim) * p.d), T(0)};
  f.alpha = ood::vim_fit(res, make_host_matrix_view<const T>(p.z.data(), p.n, p.d),
                         make_host_matrix_view<const T>(p.w.data(), p.classes, p.d),
                         make_host_vector_view<const T>(p.b.data(), p.classes), make_host_vector_view(f.origin.data(), p.d),
                         make_host_matrix_view(f.basis.data(), p.d - dim, p.d));
  return f;
}

/// ViM from its definition: u = −pinv(W) b (pinv(W) = pinv(WᵀW) Wᵀ), the residual against the top
/// `dim` eigenvectors of the assume-centred covariance, α from the training rows.
template <typename T>
std::vector<double> vim_reference(problem<T> const& p, int64_t dim, std::vector<T> const& queries, double& alpha,
                                  dmat& u)
{
  const int64_t d = p.d, classes = p.classes, n = p.n;
  dmat wtw(static_cast<size_t>(d * d), 0.0);
  for (int64_t c = 0; c < classes; ++c)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b) wtw[a * d + b] += double(p.w[c * d + a]) * p.w[c * d + b];
  dmat pinv_wtw = pinv_symmetric(wtw, d);
  dmat wtb(static_cast<size_t>(d), 0.0);
  for (int64_t c = 0; c < classes; ++c)
    for (int64_t j = 0; j < d; ++j) wtb[j] += double(p.w[c * d + j]) * p.b[c];
  u.assign(static_cast<size_t>(d), 0.0);
  for (int64_t a = 0; a < d; ++a)
    for (int64_t b = 0; b < d; ++b) u[a] -= pinv_wtw[a * d + b] * wtb[b];
  dmat cov(static_cast<size_t>(d * d), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b) cov[a * d + b] += (p.z[i * d + a] - u[a]) * (p.z[i * d + b] - u[b]) / n;
  std::vector<double> values;
  dmat vectors;
  jacobi_eigen(cov, d, values, vectors);
  auto residual = [&](const T* z) {
    double s = 0;
    for (int64_t k = dim; k < d; ++k) {
      double proj = 0;
      for (int64_t j = 0; j < d; ++j) proj += vectors[k * d + j] * (z[j] - u[j]);
      s += proj * proj;
    }
    return std::sqrt(s);
  };
  auto logits = [&](const T* z) {
    std::vector<double> f(static_cast<size_t>(classes));
    for (int64_t c = 0; c < classes; ++c) {
      f[c] = p.b[c];
      for (int64_t j = 0; j < d; ++j) f[c] += double(z[j]) * p.w[c * d + j];
    }
    return f;
  };
  double sum_max = 0, sum_res = 0;
  for (int64_t i = 0; i < n; ++i) {
    auto f = logits(p.z.data() + i * d);
    sum_max += *std::max_element(f.begin(), f.end());
    sum_res += residual(p.z.data() + i * d);
  }
  alpha = sum_max / sum_res;
  const int64_t m = static_cast<int64_t>(queries.size()) / d;
  std::vector<double> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    dmat z(queries.begin() + i * d, queries.begin() + (i + 1) * d);
    out[i] = alpha * residual(queries.data() + i * d) + energy(z.data(), d, p.w, p.b, 1.0);
  }
  return out;
}

template <typename T>
std::vector<T> score_vim(tamis::resources const& res, problem<T> const& p, vim_fitted<T> const& f,
                         std::vector<T> const& q)
{
  const int64_t m = static_cast<int64_t>(q.size()) / p.d, r = static_cast<int64_t>(f.basis.size()) / p.d;
  std::vector<T> out(m);
  ood::vim_scores(res, make_host_matrix_view<const T>(q.data(), m, p.d),
                  make_host_matrix_view<const T>(p.w.data(), p.classes, p.d),
                  make_host_vector_view<const T>(p.b.data(), p.classes),
                  make_host_vector_view<const T>(f.origin.data(), p.d),
                  make_host_matrix_view<const T>(f.basis.data(), r, p.d), f.alpha, make_host_vector_view(out.data(), m));
  return out;
}

TYPED_TEST(OodFeatures, VimMatchesReference)
{
  using T = TypeParam;
  tamis::resources res;
  // C < D (u from W Wᵀ), C > D (u from Wᵀ W) and d = 1 with dim = 0.
  struct shape {
    int64_t n, d, classes, dim;
  };
  for (shape s : {shape{300, 12, 5, 6}, shape{200, 6, 9, 2}, shape{50, 1, 3, 0}}) {
    auto p = make_problem<T>(s.n, s.d, s.classes, 51 + uint32_t(s.d));
    for (int64_t i = 0; i < s.n; ++i)  // decaying spectrum: a well-separated principal subspace
      for (int64_t j = 0; j < s.d; ++j) p.z[i * s.d + j] *= T(1 + 3.0 * (s.d - j) / s.d);
    auto q = tamis::test::random_matrix<T>(40, s.d, 52);
    auto fitted = fit_vim(res, p, s.dim);
    double alpha;
    dmat u;
    auto want = vim_reference(p, s.dim, q, alpha, u);
    expect_close(fitted.origin, u, tolerance<T>(), "u");
    const double alpha_tol = (std::is_same_v<T, float> ? 1e-3 : 1e-8) * std::abs(alpha);
    EXPECT_NEAR(fitted.alpha, alpha, alpha_tol);
    expect_close(score_vim(res, p, fitted, q), want, std::is_same_v<T, float> ? 1e-3 : 1e-8, "row");
  }
}

TEST(OodFeaturesVim, DefaultDimFollowsTheVimRule)
{
  EXPECT_EQ(ood::vim_default_dim(2048), 1000);
  EXPECT_EQ(ood::vim_default_dim(768), 512);
  EXPECT_EQ(ood::vim_default_dim(512), 256);
  EXPECT_EQ(ood::vim_default_dim(7), 3);
}

// ---- KNN ----------------------------------------------------------------------------------------

TYPED_TEST(OodFeatures, KnnMatchesReference)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 150, d = 8, m = 40;
  auto train = tamis::test::random_matrix<T>(n, d, 61);
  auto q = tamis::test::random_matrix<T>(m, d, 62);
  std::copy_n(train.begin() + 5 * d, d, q.begin());                    // a query equal to a bank row
  std::copy_n(train.begin(), d, train.begin() + 9 * d);                 // duplicate bank rows
  std::fill(q.begin() + d, q.begin() + 2 * d, T(0));                    // a zero query
  std::vector<T> bank(n * d);
  ood::knn_ood_normalize(res, make_host_matrix_view<const T>(train.data(), n, d), make_host_matrix_view(bank.data(), n, d));
  auto unit = [&](const T* z) {
    dmat v(z, z + d);
    double norm = 0;
    for (double x : v) norm += x * x;
    for (double& x : v) x /= std::sqrt(norm) + 1e-10;
    return v;
  };
  for (int64_t i = 0; i < n; ++i) {
    auto want = unit(train.data() + i * d);
    for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(bank[i * d + j], want[j], tolerance<T>());
  }
  for (int64_t k : {int64_t{1}, int64_t{7}, n}) {
    std::vector<T> got(m);
    ood::knn_ood_scores(res, make_host_matrix_view<const T>(bank.data(), n, d), make_host_matrix_view<const T>(q.data(), m, d),
                        k, make_host_vector_view(got.data(), m));
    std::vector<double> want(m);
    for (int64_t i = 0; i < m; ++i) {
      auto zq = unit(q.data() + i * d);
      std::vector<double> dist(n);
      for (int64_t r = 0; r < n; ++r) {
        auto zb = unit(train.data() + r * d);
        double s = 0;
        for (int64_t j = 0; j < d; ++j) s += (zq[j] - zb[j]) * (zq[j] - zb[j]);
        dist[r] = std::sqrt(s);
      }
      std::nth_element(dist.begin(), dist.begin() + (k - 1), dist.end());
      want[i] = dist[k - 1];
    }
    expect_close(got, want, tolerance<T>(), "row");
    if (k == 1) EXPECT_EQ(got[0], T(0));  // exact recomputation: a bank row is at distance 0
  }
}

// ---- bad inputs ---------------------------------------------------------------------------------

TYPED_TEST(OodFeatures, BadInputsThrow)
{
  using T = TypeParam;
  tamis::resources res;
  auto p = make_problem<T>(20, 6, 3, 71);
  auto z = make_host_matrix_view<const T>(p.z.data(), p.n, p.d);
  auto w = make_host_matrix_view<const T>(p.w.data(), p.classes, p.d);
  auto b = make_host_vector_view<const T>(p.b.data(), p.classes);
  std::vector<T> out(p.n), small(p.n * p.d);
  auto o = make_host_vector_view(out.data(), p.n);
  // W, b and z disagree.
  EXPECT_THROW(ood::react_scores(res, z, make_host_matrix_view<const T>(p.w.data(), p.classes * 2, 3), b, T(1), T(1), o),
               tamis::logic_error);
  EXPECT_THROW(ood::react_scores(res, z, w, make_host_vector_view<const T>(p.b.data(), 2), T(1), T(1), o),
               tamis::logic_error);
  EXPECT_THROW(ood::react_scores(res, z, w, b, T(1), T(1), make_host_vector_view(out.data(), 3)), tamis::logic_error);
  EXPECT_THROW(ood::react_scores(res, z, w, b, T(1), T(0), o), tamis::logic_error);
  EXPECT_THROW(ood::react_threshold(res, z, 101.0), tamis::logic_error);
  EXPECT_THROW(ood::ash_scores(res, z, w, b, ood::ash_variant::prune, 100.0, T(1), o), tamis::logic_error);
  // NaN / Inf in the features, the head or the fitted state.
  auto bad = p.z;
  bad[7] = std::numeric_limits<T>::quiet_NaN();
  auto zbad = make_host_matrix_view<const T>(bad.data(), p.n, p.d);
  EXPECT_THROW(ood::react_threshold(res, zbad, 90.0), tamis::logic_error);
  EXPECT_THROW(ood::ash_scores(res, zbad, w, b, ood::ash_variant::scale, 50.0, T(1), o), tamis::logic_error);
  auto wbad = p.w;
  wbad[0] = std::numeric_limits<T>::infinity();
  EXPECT_THROW(ood::react_scores(res, z, make_host_matrix_view<const T>(wbad.data(), p.classes, p.d), b, T(1), T(1), o),
               tamis::logic_error);
  // Mahalanobis: labels out of range, an empty class, mismatched fitted state.
  std::vector<int64_t> labels(p.n, 0);
  std::vector<T> means(3 * p.d), white(p.d * p.d);
  auto lv = make_host_vector_view<const int64_t>(labels.data(), p.n);
  auto mv = make_host_matrix_view(means.data(), 3, p.d);
  auto wv = make_host_matrix_view(white.data(), p.d, p.d);
  EXPECT_THROW(ood::mahalanobis_fit(res, z, lv, mv, wv), tamis::logic_error);  // classes 1, 2 empty
  labels[3] = 5;
  EXPECT_THROW(ood::mahalanobis_fit(res, z, lv, mv, wv), tamis::logic_error);
  labels[3] = -1;
  EXPECT_THROW(ood::mahalanobis_fit(res, z, lv, mv, wv), tamis::logic_error);
  EXPECT_THROW(ood::mahalanobis_fit(res, zbad, lv, mv, wv), tamis::logic_error);
  EXPECT_THROW(ood::mahalanobis_scores(res, make_host_matrix_view<const T>(p.z.data(), p.n * p.d / 5, 5),
                                       tamis::host_matrix_view<const T>(mv), tamis::host_matrix_view<const T>(wv), o),
               tamis::logic_error);
  // ViM: dim out of range, mismatched state, NaN.
  std::vector<T> origin(p.d), basis(p.d * p.d);
  auto ov = make_host_vector_view(origin.data(), p.d);
  EXPECT_THROW(ood::vim_fit(res, z, w, b, ov, make_host_matrix_view(basis.data(), 0, p.d)), tamis::logic_error);
  EXPECT_THROW(ood::vim_fit(res, z, w, b, ov, make_host_matrix_view(basis.data(), p.d + 1, p.d - 1)),
               tamis::logic_error);
  EXPECT_THROW(ood::vim_fit(res, zbad, w, b, ov, make_host_matrix_view(basis.data(), 3, p.d)), tamis::logic_error);
  EXPECT_THROW(ood::vim_scores(res, z, w, b, make_host_vector_view<const T>(origin.data(), p.d - 1),
                               make_host_matrix_view<const T>(basis.data(), 3, p.d), T(1), o),
               tamis::logic_error);
  // KNN: k beyond the bank, mismatched feature count.
  auto bank = make_host_matrix_view<const T>(p.z.data(), p.n, p.d);
  EXPECT_THROW(ood::knn_ood_scores(res, bank, z, p.n + 1, o), tamis::logic_error);
  EXPECT_THROW(ood::knn_ood_scores(res, bank, z, 0, o), tamis::logic_error);
  EXPECT_THROW(ood::knn_ood_scores(res, bank, make_host_matrix_view<const T>(p.z.data(), p.n, p.d - 1), 1, o),
               tamis::logic_error);
  EXPECT_THROW(ood::knn_ood_normalize(res, zbad, make_host_matrix_view(small.data(), p.n, p.d)), tamis::logic_error);
}

TYPED_TEST(OodFeatures, ResultsDoNotDependOnThreadCount)
{
  using T = TypeParam;
  auto p = make_problem<T>(300, 16, 6, 81);
  std::vector<int64_t> labels(p.n);
  for (int64_t i = 0; i < p.n; ++i) labels[i] = i % p.classes;
  std::vector<std::vector<T>> runs;
  for (int threads : {1, 2}) {
    tamis::resources res;
    tamis::resource::set_num_threads(res, threads);
    std::vector<T> all;
    auto z = make_host_matrix_view<const T>(p.z.data(), p.n, p.d);
    auto w = make_host_matrix_view<const T>(p.w.data(), p.classes, p.d);
    auto b = make_host_vector_view<const T>(p.b.data(), p.classes);
    std::vector<T> out(p.n);
    auto o = make_host_vector_view(out.data(), p.n);
    ood::ash_scores(res, z, w, b, ood::ash_variant::scale, 80.0, T(1), o);
    all.insert(all.end(), out.begin(), out.end());
    auto f = fit_mahalanobis(res, p.z, labels, p.d, p.classes);
    auto s = score_mahalanobis(res, f, p.z, p.d, p.classes, p.d);
    all.insert(all.end(), s.begin(), s.end());
    auto v = fit_vim(res, p, 8);
    auto sv = score_vim(res, p, v, p.z);
    all.insert(all.end(), sv.begin(), sv.end());
    runs.push_back(all);
  }
  EXPECT_EQ(runs[0], runs[1]);
}

}  // namespace
