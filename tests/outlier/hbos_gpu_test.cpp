#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/ecod.hpp"
#include "tamis/outlier/hbos.hpp"

namespace {

namespace hbos = tamis::outlier::hbos;

template <typename T>
class CudaHbos : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaHbos, Types);

TYPED_TEST(CudaHbos, FitAndScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 20000, m = 900, d = 6;
  auto train = tamis::test::random_matrix<T>(n, d, 7);
  for (int64_t i = 0; i < n; ++i) {
    train[i * d] = std::round(train[i * d] * 3);  // ties
    train[i * d + 1] = T(-1);                     // a constant feature
    train[i * d + 2] = std::exp(train[i * d + 2]);
  }
  auto x = tamis::test::random_matrix<T>(m, d, 8);
  for (auto& v : x) v *= T(3);
  std::vector<T> sorted(n * d);
  tamis::outlier::sort_columns(res, tamis::make_host_matrix_view<const T>(train.data(), n, d),
                               tamis::make_host_matrix_view(sorted.data(), d, n));
  auto d_sorted = tamis::test::upload(res, sorted, d, n);
  auto d_x = tamis::test::upload(res, x, m, d);
  for (int64_t n_bins : {int64_t{10}, int64_t{0}}) {
    const int64_t b = hbos::max_bins(n, n_bins);
    std::vector<T> edges(d * (b + 1)), density(d * b), want(m);
    std::vector<int64_t> bins(d);
    hbos::fit(res, tamis::make_host_matrix_view<const T>(sorted.data(), d, n), n_bins,
              tamis::make_host_matrix_view(edges.data(), d, b + 1), tamis::make_host_matrix_view(density.data(), d, b),
              tamis::make_host_vector_view(bins.data(), d));
    hbos::scores(res, tamis::make_host_matrix_view<const T>(edges.data(), d, b + 1),
                 tamis::make_host_matrix_view<const T>(density.data(), d, b),
                 tamis::make_host_vector_view<const int64_t>(bins.data(), d),
                 tamis::make_host_matrix_view<const T>(x.data(), m, d), 0.1, 0.5,
                 tamis::make_host_vector_view(want.data(), m));
    auto g_edges = tamis::make_device_matrix<T>(res, d, b + 1);
    auto g_density = tamis::make_device_matrix<T>(res, d, b);
    auto g_bins = tamis::make_device_vector<int64_t>(res, d);
    auto got = tamis::make_device_vector<T>(res, m);
    hbos::fit(res, tamis::device_matrix_view<const T>(d_sorted.view()), n_bins, g_edges.view(), g_density.view(),
              g_bins.view());
    hbos::scores(res, tamis::device_matrix_view<const T>(g_edges.view()),
                 tamis::device_matrix_view<const T>(g_density.view()),
                 tamis::device_vector_view<const int64_t>(g_bins.view()),
                 tamis::device_matrix_view<const T>(d_x.view()), 0.1, 0.5, got.view());
    EXPECT_EQ(tamis::test::download(res, g_bins), bins) << "n_bins=" << n_bins;
    EXPECT_EQ(tamis::test::download(res, g_edges), edges) << "n_bins=" << n_bins;
    tamis::test::expect_near_host(tamis::test::download(res, g_density), density, 1e-12, "density ");
    tamis::test::expect_near_host(tamis::test::download(res, got), want, std::is_same_v<T, float> ? 1e-6 : 1e-12,
                                  "row ");
  }
}

}  // namespace
