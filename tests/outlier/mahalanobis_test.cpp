#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include "reference.hpp"
#include "tamis/outlier/mahalanobis.hpp"
#include "tamis/outlier/detail/mahalanobis-inl.hpp"  // the χ² helpers, checked against SciPy below

namespace {

namespace mh = tamis::outlier::mahalanobis;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 2e-4 : 1e-10;
}

/// Column means and scatter of x (n × d) in double, two passes.
struct reference_stats {
  std::vector<double> mean, m2;
};
template <typename T>
reference_stats ref_stats(std::vector<T> const& x, int64_t n, int64_t d)
{
  reference_stats s{std::vector<double>(d, 0.0), std::vector<double>(d * d, 0.0)};
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) s.mean[j] += x[i * d + j];
  for (auto& m : s.mean) m /= static_cast<double>(n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b) s.m2[a * d + b] += (x[i * d + a] - s.mean[a]) * (x[i * d + b] - s.mean[b]);
  return s;
}

/// Inverse of a full-rank d × d matrix by Gauss–Jordan elimination with partial pivoting.
std::vector<double> ref_inverse(std::vector<double> a, int64_t d)
{
  std::vector<double> inv(d * d, 0.0);
  for (int64_t i = 0; i < d; ++i) inv[i * d + i] = 1;
  for (int64_t c = 0; c < d; ++c) {
    int64_t p = c;
    for (int64_t r = c + 1; r < d; ++r) p = std::fabs(a[r * d + c]) > std::fabs(a[p * d + c]) ? r : p;
    for (int64_t j = 0; j < d; ++j) {
      std::swap(a[c * d + j], a[p * d + j]);
      std::swap(inv[c * d + j], inv[p * d + j]);
    }
    const double pivot = a[c * d + c];
    for (int64_t j = 0; j < d; ++j) {
      a[c * d + j] /= pivot;
      inv[c * d + j] /= pivot;
    }
    for (int64_t r = 0; r < d; ++r) {
      if (r == c) continue;
      const double f = a[r * d + c];
      for (int64_t j = 0; j < d; ++j) {
        a[r * d + j] -= f * a[c * d + j];
        inv[r * d + j] -= f * inv[c * d + j];
      }
    }
  }
  return inv;
}

/// (x − mu)ᵀ P (x − mu) for each row of x, in double.
template <typename T>
std::vector<double> ref_distances(std::vector<T> const& x, int64_t n, int64_t d, std::vector<double> const& mu,
                                  std::vector<double> const& precision)
{
  std::vector<double> out(n, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < d; ++a)
      for (int64_t b = 0; b < d; ++b)
        out[i] += (x[i * d + a] - mu[a]) * precision[a * d + b] * (x[i * d + b] - mu[b]);
  return out;
}

/// Correlated Gaussian rows with a large offset (the centring has to be done right).
template <typename T>
std::vector<T> correlated(int64_t n, int64_t d, uint32_t seed, double offset = 100.0)
{
  auto z = tamis::test::random_matrix<double>(n, d, seed);
  auto mix = tamis::test::random_matrix<double>(d, d, seed + 1);
  std::vector<T> x(n * d);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) {
      double v = offset + j;
      for (int64_t k = 0; k < d; ++k) v += z[i * d + k] * (mix[k * d + j] + (k == j ? 2.0 : 0.0));
      x[i * d + j] = static_cast<T>(v);
    }
  return x;
}

template <typename T>
struct stats {
  std::vector<T> mean, m2;
};
template <typename T>
stats<T> host_stats(tamis::resources const& res, std::vector<T> const& x, int64_t n, int64_t d)
{
  stats<T> s{std::vector<T>(d), std::vector<T>(d * d)};
  tamis::outlier::column_stats(res, make_host_matrix_view<const T>(x.data(), n, d), make_host_vector_view(s.mean.data(), d),
                               make_host_matrix_view(s.m2.data(), d, d));
  return s;
}

template <typename T>
std::vector<T> host_scores(tamis::resources const& res, std::vector<T> const& loc, std::vector<T> const& w, int64_t k,
                           std::vector<T> const& x, int64_t n, int64_t d)
{
  std::vector<T> out(n);
  mh::scores(res, make_host_vector_view<const T>(loc.data(), d), make_host_matrix_view<const T>(w.data(), k, d),
             make_host_matrix_view<const T>(x.data(), n, d), make_host_vector_view(out.data(), n));
  return out;
}

template <typename T>
class ColumnStats : public ::testing::Test {};
template <typename T>
class Mahalanobis : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ColumnStats, Types);
TYPED_TEST_SUITE(Mahalanobis, Types);

TYPED_TEST(ColumnStats, MatchReferenceAcrossBatches)
{
  using T = TypeParam;
  tamis::resources res;
  tamis::resource::set_workspace_limit(res, 1 << 20);  // several batches
  for (auto [n, d] : {std::pair<int64_t, int64_t>{20000, 5}, {1, 3}, {7, 1}, {300, 40}}) {
    auto x = correlated<T>(n, d, 3);
    auto s = host_stats(res, x, n, d);
    auto want = ref_stats(x, n, d);
    double scale = 0;
    for (double v : want.m2) scale = std::max(scale, std::fabs(v));
    for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(s.mean[j], want.mean[j], tolerance<T>() * 100) << n << " " << j;
    for (int64_t e = 0; e < d * d; ++e) {
      EXPECT_NEAR(s.m2[e], want.m2[e], tolerance<T>() * (1 + scale)) << n << " " << e;
      EXPECT_EQ(s.m2[e], s.m2[(e % d) * d + e / d]) << "m2 is symmetric";
    }
  }
}

TYPED_TEST(ColumnStats, MergeIsExactAndMayAlias)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 901, d = 6, split = 377;
  auto x = correlated<T>(n, d, 5);
  auto all = host_stats(res, x, n, d);
  std::vector<T> top(x.begin(), x.begin() + split * d), bottom(x.begin() + split * d, x.end());
  auto a = host_stats(res, top, split, d);
  auto b = host_stats(res, bottom, n - split, d);
  // In place into a.
  auto count = tamis::outlier::merge_column_stats(
    res, split, make_host_vector_view<const T>(a.mean.data(), d), make_host_matrix_view<const T>(a.m2.data(), d, d),
    n - split, make_host_vector_view<const T>(b.mean.data(), d), make_host_matrix_view<const T>(b.m2.data(), d, d),
    make_host_vector_view(a.mean.data(), d), make_host_matrix_view(a.m2.data(), d, d));
  EXPECT_EQ(count, n);
  double scale = 0;
  for (T v : all.m2) scale = std::max(scale, std::fabs(static_cast<double>(v)));
  for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(a.mean[j], all.mean[j], tolerance<T>() * 100);
  for (int64_t e = 0; e < d * d; ++e) EXPECT_NEAR(a.m2[e], all.m2[e], tolerance<T>() * scale);
  // A side with count 0 is ignored, whatever it holds.
  std::vector<T> junk_mean(d, T(7)), junk_m2(d * d, T(-3)), out_mean(d), out_m2(d * d);
  count = tamis::outlier::merge_column_stats(
    res, 0, make_host_vector_view<const T>(junk_mean.data(), d), make_host_matrix_view<const T>(junk_m2.data(), d, d),
    n, make_host_vector_view<const T>(all.mean.data(), d), make_host_matrix_view<const T>(all.m2.data(), d, d),
    make_host_vector_view(out_mean.data(), d), make_host_matrix_view(out_m2.data(), d, d));
  EXPECT_EQ(count, n);
  EXPECT_EQ(out_mean, all.mean);
  EXPECT_EQ(out_m2, all.m2);
}

TYPED_TEST(ColumnStats, RejectBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  std::vector<T> x(12, T(1)), mean(3), m2(9);
  auto xv = make_host_matrix_view<const T>(x.data(), 4, 3);
  EXPECT_THROW(tamis::outlier::column_stats(res, xv, make_host_vector_view(mean.data(), 2),
                                            make_host_matrix_view(m2.data(), 3, 3)), tamis::logic_error);
  EXPECT_THROW(tamis::outlier::column_stats(res, xv, make_host_vector_view(mean.data(), 3),
                                            make_host_matrix_view(m2.data(), 3, 2)), tamis::logic_error);
  x[5] = std::numeric_limits<T>::quiet_NaN();
  EXPECT_THROW(tamis::outlier::column_stats(res, xv, make_host_vector_view(mean.data(), 3),
                                            make_host_matrix_view(m2.data(), 3, 3)), tamis::logic_error);
  auto cm = make_host_vector_view<const T>(mean.data(), 3);
  auto cs = make_host_matrix_view<const T>(m2.data(), 3, 3);
  EXPECT_THROW(tamis::outlier::merge_column_stats(res, 0, cm, cs, 0, cm, cs, make_host_vector_view(mean.data(), 3),
                                                  make_host_matrix_view(m2.data(), 3, 3)), tamis::logic_error);
  EXPECT_THROW(tamis::outlier::merge_column_stats(res, 2, cm, cs, 2, make_host_vector_view<const T>(mean.data(), 2), cs,
                                                  make_host_vector_view(mean.data(), 3),
                                                  make_host_matrix_view(m2.data(), 3, 3)), tamis::logic_error);
}

TYPED_TEST(Mahalanobis, EmpiricalMatchesInverseCovariance)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 2000, d = 8, m = 333;
  auto x = correlated<T>(n, d, 11);
  auto q = correlated<T>(m, d, 12, 101.0);
  auto s = host_stats(res, x, n, d);
  std::vector<T> cov(d * d), w(d * d);
  const int64_t rank = mh::empirical_fit(res, n, make_host_matrix_view<const T>(s.m2.data(), d, d),
                                         make_host_matrix_view(cov.data(), d, d), make_host_matrix_view(w.data(), d, d));
  EXPECT_EQ(rank, d);
  auto want = ref_stats(x, n, d);
  std::vector<double> ref_cov(want.m2);
  for (auto& v : ref_cov) v /= n;
  for (int64_t e = 0; e < d * d; ++e) EXPECT_NEAR(cov[e], ref_cov[e], tolerance<T>() * 10);
  auto dist = ref_distances(q, m, d, want.mean, ref_inverse(ref_cov, d));
  auto got = host_scores(res, s.mean, w, d, q, m, d);
  for (int64_t i = 0; i < m; ++i) EXPECT_NEAR(got[i], dist[i], tolerance<T>() * 10 * (1 + dist[i])) << i;
  // Fewer whitening rows than d but at least the rank score the same; here all are needed.
  auto partial = host_scores(res, s.mean, w, d - 1, q, m, d);
  double gap = 0;
  for (int64_t i = 0; i < m; ++i) gap = std::max(gap, dist[i] - partial[i]);
  EXPECT_GT(gap, 0.0);
}

TYPED_TEST(Mahalanobis, RankDeficientGivesPseudoInverse)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 500, d = 5;
  auto x = correlated<T>(n, d, 21, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    x[i * d + 3] = x[i * d + 1];  // duplicate column
    x[i * d + 4] = T(2.5);        // constant column
  }
  auto s = host_stats(res, x, n, d);
  std::vector<T> cov(d * d), w(d * d);
  const int64_t rank = mh::empirical_fit(res, n, make_host_matrix_view<const T>(s.m2.data(), d, d),
                                         make_host_matrix_view(cov.data(), d, d), make_host_matrix_view(w.data(), d, d));
  EXPECT_EQ(rank, 3);
  // Moore–Penrose: Σ P Σ = Σ and P Σ P = P with P = WᵀW; rows past the rank are zero.
  std::vector<double> p(d * d, 0.0), sp(d * d, 0.0), sps(d * d, 0.0), psp(d * d, 0.0);
  for (int64_t a = 0; a < d; ++a)
    for (int64_t b = 0; b < d; ++b)
      for (int64_t k = 0; k < d; ++k) p[a * d + b] += static_cast<double>(w[k * d + a]) * w[k * d + b];
  for (int64_t k = rank; k < d; ++k)
    for (int64_t j = 0; j < d; ++j) EXPECT_EQ(w[k * d + j], T(0));
  for (int64_t a = 0; a < d; ++a)
    for (int64_t b = 0; b < d; ++b)
      for (int64_t k = 0; k < d; ++k) sp[a * d + b] += static_cast<double>(cov[a * d + k]) * p[k * d + b];
  for (int64_t a = 0; a < d; ++a)
    for (int64_t b = 0; b < d; ++b)
      for (int64_t k = 0; k < d; ++k) {
        sps[a * d + b] += sp[a * d + k] * cov[k * d + b];
        psp[a * d + b] += p[a * d + k] * sp[k * d + b];
      }
  double pmax = 0;
  for (double v : p) pmax = std::max(pmax, std::fabs(v));
  for (int64_t e = 0; e < d * d; ++e) {
    EXPECT_NEAR(sps[e], cov[e], tolerance<T>() * 100);
    EXPECT_NEAR(psp[e], p[e], tolerance<T>() * 100 * pmax);
  }
  // x = B y with B injective (copy column 1, append a constant): Σ⁺ = B⁺ᵀ Σ_y⁻¹ B⁺, so on the data's
  // own rows the distance is that of the reduced, full-rank columns y.
  const int64_t r = 3;
  std::vector<T> reduced(n * r);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < r; ++j) reduced[i * r + j] = x[i * d + j];
  auto rs = ref_stats(reduced, n, r);
  auto rcov = rs.m2;
  for (auto& v : rcov) v /= n;
  auto got = host_scores(res, s.mean, w, d, x, n, d);
  auto want = ref_distances(reduced, n, r, rs.mean, ref_inverse(rcov, r));
  for (int64_t i = 0; i < n; i += 7) EXPECT_NEAR(got[i], want[i], tolerance<T>() * 100 * (1 + want[i])) << i;
}

TYPED_TEST(Mahalanobis, ScoresRejectBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t d = 3;
  std::vector<T> loc(d, T(0)), w(d * d, T(0)), x(4 * d, T(1)), out(4);
  for (int64_t j = 0; j < d; ++j) w[j * d + j] = T(1);
  auto run = [&](int64_t loc_len, int64_t w_rows, int64_t x_cols, int64_t out_len) {
    mh::scores(res, make_host_vector_view<const T>(loc.data(), loc_len), make_host_matrix_view<const T>(w.data(), w_rows, d),
               make_host_matrix_view<const T>(x.data(), 4 * d / x_cols, x_cols), make_host_vector_view(out.data(), out_len));
  };
  EXPECT_NO_THROW(run(d, d, d, 4));
  EXPECT_NO_THROW(run(d, 1, d, 4));
  EXPECT_THROW(run(d - 1, d, d, 4), tamis::logic_error);
  EXPECT_THROW(run(d, d, 2, 6), tamis::logic_error);
  EXPECT_THROW(run(d, d, d, 3), tamis::logic_error);
  x[2] = std::numeric_limits<T>::infinity();
  EXPECT_THROW(run(d, d, d, 4), tamis::logic_error);
  x[2] = T(0);
  w[4] = std::numeric_limits<T>::quiet_NaN();
  EXPECT_THROW(run(d, d, d, 4), tamis::logic_error);
  std::vector<T> cov(4, T(1));
  EXPECT_THROW(mh::empirical_fit(res, 0, make_host_matrix_view<const T>(cov.data(), 2, 2),
                                 make_host_matrix_view(cov.data(), 2, 2), make_host_matrix_view(w.data(), 2, 2)),
               tamis::logic_error);
  EXPECT_THROW(mh::covariance_whitening(res, make_host_matrix_view<const T>(cov.data(), 2, 2),
                                        make_host_matrix_view(w.data(), 3, 3)), tamis::logic_error);
}

TEST(Chi2, MatchesScipy)
{
  namespace od = tamis::outlier::detail;
  struct row {
    int d;
    double alpha, ppf, cdf_plus2, factor;
  };
  // scipy.stats.chi2 1.17: ppf(alpha, d), cdf(ppf, d + 2), and sklearn's _consistency_factor.
  const row rows[] = {
    {1, 0.5, 0.454936423119572, 0.07132591774425923, 7.010074539703252},
    {1, 0.975, 5.023886187314888, 0.8299435872459326, 1.1747786415645665},
    {2, 0.6, 1.83258146374831, 0.23348370725033793, 2.5697724567851257},
    {3, 0.5, 2.3659738843753377, 0.20346973515519617, 2.4573679206817953},
    {7, 0.975, 16.012764274629326, 0.9333844856596927, 1.0445856075172435},
    {36, 0.6, 37.50493929599252, 0.5078241032914516, 1.1815114645230744},
    {274, 0.5, 273.33362246850106, 0.46595060753535233, 1.0730751112113621},
    {274, 0.975, 321.7455493814753, 0.9697293608174425, 1.0054351651043283},
  };
  for (auto const& r : rows) {
    EXPECT_NEAR(od::chi2_ppf(r.alpha, r.d), r.ppf, 1e-11 * r.ppf) << r.d << " " << r.alpha;
    EXPECT_NEAR(od::chi2_cdf(r.ppf, r.d + 2), r.cdf_plus2, 1e-12) << r.d << " " << r.alpha;
    EXPECT_NEAR(od::mcd_consistency_factor(r.d, r.alpha), r.factor, 1e-10 * r.factor) << r.d << " " << r.alpha;
  }
  EXPECT_EQ(od::mcd_consistency_factor(4, 1.0), 1.0);
}

template <typename T>
struct mcd_output {
  std::vector<T> location, covariance, whitening;
  std::vector<uint8_t> support;
  mh::mcd_result result;
};
template <typename T>
mcd_output<T> host_mcd(tamis::resources const& res, std::vector<T> const& x, int64_t n, int64_t d,
                       mh::mcd_params p = {})
{
  mcd_output<T> o{std::vector<T>(d), std::vector<T>(d * d), std::vector<T>(d * d), std::vector<uint8_t>(n), {}};
  o.result = mh::mcd_fit(res, p, make_host_matrix_view<const T>(x.data(), n, d), make_host_vector_view(o.location.data(), d),
                         make_host_matrix_view(o.covariance.data(), d, d), make_host_matrix_view(o.whitening.data(), d, d),
                         make_host_vector_view(o.support.data(), n));
  return o;
}

/// The exact one-feature path, against scikit-learn 1.9's MinCovDet on the same values.
TYPED_TEST(Mahalanobis, McdOneFeatureMatchesSklearn)
{
  using T = TypeParam;
  tamis::resources res;
  std::vector<T> x;
  for (int i = 0; i < 100; ++i) x.push_back(static_cast<T>(std::sin(1.3 * i) * 3 + 0.1 * std::cos(0.7 * i)));
  for (double v : {50.0, 60.0, 70.0}) x.push_back(static_cast<T>(v));
  const int64_t n = 103;
  auto o = host_mcd(res, x, n, 1);
  EXPECT_EQ(o.result.raw_support_size, 53);
  EXPECT_NEAR(o.result.raw_log_det, std::log(0.9693670623487421), tolerance<T>() * 10);
  EXPECT_NEAR(o.location[0], 0.04217372838328779, tolerance<T>() * 10);
  EXPECT_NEAR(o.covariance[0], 5.253388984954173, tolerance<T>() * 10);
  EXPECT_EQ(o.result.support_size, 100);
  for (int64_t i = 0; i < n; ++i) EXPECT_EQ(o.support[i], i < 100 ? 1 : 0) << i;
  auto dist = host_scores(res, o.location, o.whitening, 1, x, n, 1);
  EXPECT_NEAR(dist[0], 6.365181978084470e-04, tolerance<T>() * 10);
  EXPECT_NEAR(dist[102], 931.6076671014679, tolerance<T>() * 1e3);

  mh::mcd_params p;
  p.support_fraction = 0.3;
  auto trimmed = host_mcd(res, x, n, 1, p);
  EXPECT_EQ(trimmed.result.raw_support_size, 30);
  EXPECT_NEAR(trimmed.result.raw_log_det, std::log(0.13520474173800065), tolerance<T>() * 100);
  EXPECT_NEAR(trimmed.location[0], -1.168553029890257, tolerance<T>() * 10);
  EXPECT_NEAR(trimmed.covariance[0], 2.4899983596893986, tolerance<T>() * 10);
  EXPECT_EQ(trimmed.result.support_size, 67);
}

/// Gaussian rows (location 0, covariance A Aᵀ) with a cluster of far outliers; MCD must ignore them
/// while the empirical estimate is pulled away.
template <typename T>
std::vector<T> contaminated(int64_t n, int64_t d, int64_t outliers, uint32_t seed)
{
  auto x = correlated<T>(n, d, seed, 0.0);
  for (int64_t j = 0; j < d; ++j)  // undo correlated()'s per-feature offset j
    for (int64_t i = 0; i < n; ++i) x[i * d + j] -= static_cast<T>(j);
  std::mt19937 gen(seed);
  std::normal_distribution<double> noise(0, 0.5);
  for (int64_t i = n - outliers; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<T>(12.0 + noise(gen));
  return x;
}

TYPED_TEST(Mahalanobis, McdIgnoresPlantedOutliers)
{
  using T = TypeParam;
  tamis::resources res;
  // n ≤ 500, 500 < n < 1500 and n ≥ 1500 take scikit-learn's three code paths.
  for (auto [n, d] : {std::pair<int64_t, int64_t>{400, 3}, {900, 4}, {1700, 2}}) {
    const int64_t outliers = n / 10;
    auto x = contaminated<T>(n, d, outliers, 31);
    auto o = host_mcd(res, x, n, d);
    EXPECT_EQ(o.result.rank, d);
    EXPECT_EQ(o.result.raw_support_size, std::min<int64_t>((n + d + 2) / 2, n));
    for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(o.location[j], 0.0, 0.35) << n << " feature " << j;
    for (int64_t i = n - outliers; i < n; ++i) EXPECT_EQ(o.support[i], 0) << n << " row " << i;
    auto inliers = std::vector<T>(x.begin(), x.begin() + (n - outliers) * d);
    auto want = ref_stats(inliers, n - outliers, d);
    for (int64_t e = 0; e < d * d; ++e)
      EXPECT_NEAR(o.covariance[e], want.m2[e] / (n - outliers), 0.25 * (1 + std::fabs(want.m2[e] / (n - outliers))))
        << n << " entry " << e;
    auto dist = host_scores(res, o.location, o.whitening, d, x, n, d);
    const double worst_inlier = *std::max_element(dist.begin(), dist.begin() + (n - outliers));
    const double best_outlier = *std::min_element(dist.begin() + (n - outliers), dist.end());
    EXPECT_GT(best_outlier, worst_inlier) << n;
  }
}

TYPED_TEST(Mahalanobis, McdIsDeterministicAndSeeded)
{
  using T = TypeParam;
  const int64_t n = 700, d = 3;
  auto x = contaminated<T>(n, d, 50, 41);
  tamis::resources one, two;
  tamis::resource::set_num_threads(one, 1);
  tamis::resource::set_num_threads(two, 2);
  auto a = host_mcd(one, x, n, d);
  auto b = host_mcd(two, x, n, d);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.covariance, b.covariance);
  EXPECT_EQ(a.support, b.support);
  mh::mcd_params p;
  p.seed = 99;
  auto c = host_mcd(one, x, n, d, p);  // another seed: another path, the same robust answer here
  for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(c.location[j], a.location[j], 0.1);
}

TYPED_TEST(Mahalanobis, McdEdgeCasesAndErrors)
{
  using T = TypeParam;
  tamis::resources res;
  // Duplicated rows and a duplicated column: still fits (singular supports take the −inf branch).
  const int64_t n = 60, d = 3;
  auto x = contaminated<T>(n, d, 5, 51);
  for (int64_t i = 0; i < n; ++i) x[i * d + 2] = x[i * d + 0];
  for (int64_t i = 0; i < 10; ++i)
    for (int64_t j = 0; j < d; ++j) x[(i + 10) * d + j] = x[i * d + j];
  auto o = host_mcd(res, x, n, d);
  EXPECT_EQ(o.result.rank, 2);
  EXPECT_TRUE(std::isinf(o.result.raw_log_det));
  for (T v : o.whitening) EXPECT_TRUE(std::isfinite(static_cast<double>(v)));
  // Two rows: h = n, the empirical estimate.
  std::vector<T> two = {T(1), T(2), T(3), T(5)};
  auto small = host_mcd(res, two, 2, 2);
  EXPECT_NEAR(small.location[0], 2.0, 1e-6);
  EXPECT_NEAR(small.location[1], 3.5, 1e-6);
  // Errors.
  EXPECT_THROW(host_mcd(res, std::vector<T>{T(1), T(2)}, 1, 2), tamis::logic_error);
  mh::mcd_params bad;
  bad.support_fraction = 1.5;
  EXPECT_THROW(host_mcd(res, x, n, d, bad), tamis::logic_error);
  bad.support_fraction = 0.001;
  EXPECT_THROW(host_mcd(res, x, n, d, bad), tamis::logic_error);
  auto nan = x;
  nan[7] = std::numeric_limits<T>::quiet_NaN();
  EXPECT_THROW(host_mcd(res, nan, n, d), tamis::logic_error);
  std::vector<T> same(40 * 2, T(3));  // every row identical: the support's covariance is 0
  mh::mcd_params half;
  half.support_fraction = 0.5;
  EXPECT_THROW(host_mcd(res, same, 40, 2, half), tamis::logic_error);
}

}  // namespace
