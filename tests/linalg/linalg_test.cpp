#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "reference.hpp"
#include "tamis/linalg/linalg.hpp"

namespace {

using tamis::distance_metric;
using tamis::resources;

template <typename T>
class Linalg : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Linalg, Types);

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 2e-4 : 1e-10;
}

TYPED_TEST(Linalg, GemmNtMatchesReferenceWithAlphaBeta)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 37, m = 53, d = 19;
  auto a = tamis::test::random_matrix<T>(n, d, 1);
  auto b = tamis::test::random_matrix<T>(m, d, 2);
  auto c = tamis::test::random_matrix<T>(n, m, 3);
  auto c0 = c;
  tamis::linalg::gemm_nt(res, tamis::make_host_matrix_view<const T>(a.data(), n, d),
                         tamis::make_host_matrix_view<const T>(b.data(), m, d), tamis::make_host_matrix_view(c.data(), n, m),
                         T(0.5), T(2));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j) {
      double ref = 2.0 * c0[i * m + j];
      for (int64_t l = 0; l < d; ++l) ref += 0.5 * double(a[i * d + l]) * b[j * d + l];
      EXPECT_NEAR(c[i * m + j], ref, tolerance<T>() * (1 + std::abs(ref)));
    }
}

TYPED_TEST(Linalg, RowNormsAllKinds)
{
  using T = TypeParam;
  resources res;
  std::vector<T> x{3, 4, 0, 0, 1, 2, 2, 1};
  std::vector<T> out(4);
  auto xv = tamis::make_host_matrix_view<const T>(x.data(), 4, 2);
  auto ov = tamis::make_host_vector_view(out.data(), 4);
  tamis::linalg::row_norms(res, xv, ov, tamis::linalg::norm_kind::squared_l2);
  EXPECT_EQ(out, (std::vector<T>{25, 0, 5, 5}));
  tamis::linalg::row_norms(res, xv, ov, tamis::linalg::norm_kind::l2);
  EXPECT_NEAR(out[0], 5, 1e-6);
  EXPECT_NEAR(out[2], std::sqrt(5.0), 1e-6);
  tamis::linalg::row_norms(res, xv, ov, tamis::linalg::norm_kind::inverse_l2);
  EXPECT_NEAR(out[0], 0.2, 1e-6);
  EXPECT_EQ(out[1], 0);  // a zero row has inverse norm 0, not Inf
}

TYPED_TEST(Linalg, PairwiseDistanceEveryMetricMatchesReference)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 29, m = 41, d = 7;
  auto x = tamis::test::random_matrix<T>(n, d, 4);
  auto y = tamis::test::random_matrix<T>(m, d, 5);
  for (int64_t j = 0; j < d; ++j) y[3 * d + j] = 0;  // a zero row: cosine distance 1
  for (auto metric : {distance_metric::sqeuclidean, distance_metric::euclidean, distance_metric::inner_product,
                      distance_metric::cosine}) {
    std::vector<T> out(static_cast<size_t>(n * m));
    tamis::linalg::pairwise_distance(res, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                                     tamis::make_host_matrix_view<const T>(y.data(), m, d),
                                     tamis::make_host_matrix_view(out.data(), n, m), metric);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) {
        double ref = tamis::test::reference_distance(x.data() + i * d, y.data() + j * d, d, metric);
        ASSERT_NEAR(out[i * m + j], ref, tolerance<T>() * 10 * (1 + std::abs(ref)))
          << tamis::to_string(metric) << " " << i << "," << j;
      }
  }
}

TEST(LinalgErrors, ShapesNaNAndOverflowAreRejected)
{
  resources res;
  std::vector<float> x(12, 1.f), y(8, 1.f), out(6);
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), 3, 4);
  auto yv = tamis::make_host_matrix_view<const float>(y.data(), 2, 4);
  auto ov = tamis::make_host_matrix_view(out.data(), 3, 2);
  EXPECT_NO_THROW(tamis::linalg::pairwise_distance(res, xv, yv, ov, distance_metric::cosine));
  EXPECT_THROW(tamis::linalg::pairwise_distance(res, xv, tamis::make_host_matrix_view<const float>(y.data(), 4, 2), ov,
                                                distance_metric::cosine),
               tamis::logic_error);
  EXPECT_THROW(tamis::linalg::pairwise_distance(res, xv, yv, tamis::make_host_matrix_view(out.data(), 2, 3),
                                                distance_metric::cosine),
               tamis::logic_error);
  x[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(tamis::linalg::pairwise_distance(res, xv, yv, ov, distance_metric::sqeuclidean), tamis::logic_error);
  // A feature count past 2^31 − 1 is refused before any data is read.
  auto huge = tamis::make_host_matrix_view<const float>(x.data(), 1, int64_t{1} << 32);
  EXPECT_THROW(tamis::linalg::pairwise_distance(res, huge, huge, ov, distance_metric::sqeuclidean), tamis::logic_error);
  EXPECT_THROW(tamis::parse_distance_metric("manhattan"), tamis::logic_error);
  EXPECT_EQ(tamis::parse_distance_metric("cosine"), distance_metric::cosine);
}

}  // namespace
