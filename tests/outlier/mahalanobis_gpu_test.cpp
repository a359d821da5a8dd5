#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/mahalanobis.hpp"

namespace {

namespace mh = tamis::outlier::mahalanobis;
using tamis::device_matrix_view;
using tamis::device_vector_view;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 1e-4 : 1e-10;
}

/// Gaussian rows (feature j offset by 10 j) with the last tenth moved far away.
template <typename T>
std::vector<T> contaminated(int64_t n, int64_t d, uint32_t seed)
{
  auto x = tamis::test::random_matrix<T>(n, d, seed);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<T>(x[i * d + j] + 10 * j + (i >= n - n / 10 ? 15 : 0));
  return x;
}

template <typename T>
class CudaMahalanobis : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaMahalanobis, Types);

TYPED_TEST(CudaMahalanobis, EmpiricalFitAndScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 100000, d = 16, m = 5000;  // several device batches
  auto x = contaminated<T>(n, d, 3);
  auto q = contaminated<T>(m, d, 4);
  std::vector<T> mean(d), m2(d * d), cov(d * d), w(d * d), want(m);
  tamis::outlier::column_stats(res, make_host_matrix_view<const T>(x.data(), n, d), make_host_vector_view(mean.data(), d),
                               make_host_matrix_view(m2.data(), d, d));
  mh::empirical_fit(res, n, make_host_matrix_view<const T>(m2.data(), d, d), make_host_matrix_view(cov.data(), d, d),
                    make_host_matrix_view(w.data(), d, d));
  mh::scores(res, make_host_vector_view<const T>(mean.data(), d), make_host_matrix_view<const T>(w.data(), d, d),
             make_host_matrix_view<const T>(q.data(), m, d), make_host_vector_view(want.data(), m));

  auto dx = tamis::test::upload(res, x, n, d);
  auto dq = tamis::test::upload(res, q, m, d);
  auto dmean = tamis::make_device_vector<T>(res, d);
  auto dm2 = tamis::make_device_matrix<T>(res, d, d);
  auto dcov = tamis::make_device_matrix<T>(res, d, d);
  auto dw = tamis::make_device_matrix<T>(res, d, d);
  auto dout = tamis::make_device_vector<T>(res, m);
  tamis::outlier::column_stats(res, device_matrix_view<const T>(dx.view()), dmean.view(), dm2.view());
  const int64_t rank = mh::empirical_fit(res, n, device_matrix_view<const T>(dm2.view()), dcov.view(), dw.view());
  EXPECT_EQ(rank, d);
  mh::scores(res, device_vector_view<const T>(dmean.view()), device_matrix_view<const T>(dw.view()),
             device_matrix_view<const T>(dq.view()), dout.view());
  tamis::test::expect_near_host(tamis::test::download(res, dmean), mean, tolerance<T>(), "mean ");
  tamis::test::expect_near_host(tamis::test::download(res, dcov), cov, tolerance<T>(), "covariance ");
  tamis::test::expect_near_host(tamis::test::download(res, dout), want, 10 * tolerance<T>(), "score ");

  // Merging device statistics of two halves gives the whole.
  const int64_t half = n / 2;
  auto dmb = tamis::make_device_vector<T>(res, d);
  auto dsb = tamis::make_device_matrix<T>(res, d, d);
  tamis::outlier::column_stats(res, device_matrix_view<const T>(dx.data(), half, d), dmean.view(), dm2.view());
  tamis::outlier::column_stats(res, device_matrix_view<const T>(dx.data() + half * d, n - half, d), dmb.view(), dsb.view());
  tamis::outlier::merge_column_stats(res, half, device_vector_view<const T>(dmean.view()),
                                     device_matrix_view<const T>(dm2.view()), n - half,
                                     device_vector_view<const T>(dmb.view()), device_matrix_view<const T>(dsb.view()),
                                     dmean.view(), dm2.view());
  tamis::test::expect_near_host(tamis::test::download(res, dmean), mean, tolerance<T>(), "merged mean ");
  auto merged = tamis::test::download(res, dm2);
  for (int64_t e = 0; e < d * d; ++e) EXPECT_NEAR(merged[e], m2[e], tolerance<T>() * 10 * n) << e;
}

TYPED_TEST(CudaMahalanobis, McdMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  // One size per scikit-learn code path (n ≤ 500, ≤ 1500, more) and the exact d = 1 search.
  for (auto [n, d] : {std::pair<int64_t, int64_t>{300, 3}, {1200, 4}, {3000, 5}, {400, 1}}) {
    auto x = contaminated<T>(n, d, 7);
    mh::mcd_params p;
    p.seed = 5;
    std::vector<T> loc(d), cov(d * d), w(d * d);
    std::vector<uint8_t> support(n);
    auto host = mh::mcd_fit(res, p, make_host_matrix_view<const T>(x.data(), n, d), make_host_vector_view(loc.data(), d),
                            make_host_matrix_view(cov.data(), d, d), make_host_matrix_view(w.data(), d, d),
                            make_host_vector_view(support.data(), n));
    auto dx = tamis::test::upload(res, x, n, d);
    auto dloc = tamis::make_device_vector<T>(res, d);
    auto dcov = tamis::make_device_matrix<T>(res, d, d);
    auto dw = tamis::make_device_matrix<T>(res, d, d);
    auto dsupport = tamis::make_device_vector<uint8_t>(res, n);
    auto dev = mh::mcd_fit(res, p, device_matrix_view<const T>(dx.view()), dloc.view(), dcov.view(), dw.view(),
                           dsupport.view());
    // The same Philox subsets on both sides; only GEMM rounding differs, far from any tie here.
    EXPECT_EQ(dev.raw_support_size, host.raw_support_size) << n;
    EXPECT_EQ(dev.support_size, host.support_size) << n;
    EXPECT_NEAR(dev.raw_log_det, host.raw_log_det, 1e3 * tolerance<T>()) << n;
    EXPECT_EQ(tamis::test::download(res, dsupport), support) << n;
    tamis::test::expect_near_host(tamis::test::download(res, dloc), loc, 10 * tolerance<T>(), "location ");
    tamis::test::expect_near_host(tamis::test::download(res, dcov), cov, 10 * tolerance<T>(), "covariance ");
  }
}

}  // namespace
