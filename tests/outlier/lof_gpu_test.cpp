#include <gtest/gtest.h>

#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/lof.hpp"

namespace {

template <typename T>
class CudaLof : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaLof, Types);

TYPED_TEST(CudaLof, FitAndScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 3000, m = 500, d = 16, k = 20;
  auto train = tamis::test::random_matrix<T>(n, d, 31);
  auto queries = tamis::test::random_matrix<T>(m, d, 32);
  std::vector<T> kd(n), lrd(n), want_fit(n), want(m);
  tamis::outlier::lof_fit(res, tamis::make_host_matrix_view<const T>(train.data(), n, d), k,
                          tamis::make_host_vector_view(kd.data(), n), tamis::make_host_vector_view(lrd.data(), n),
                          tamis::make_host_vector_view(want_fit.data(), n));
  tamis::outlier::lof_scores(res, tamis::make_host_matrix_view<const T>(train.data(), n, d),
                             tamis::make_host_vector_view<const T>(kd.data(), n),
                             tamis::make_host_vector_view<const T>(lrd.data(), n),
                             tamis::make_host_matrix_view<const T>(queries.data(), m, d), k,
                             tamis::make_host_vector_view(want.data(), m));

  auto d_train = tamis::test::upload(res, train, n, d);
  auto d_queries = tamis::test::upload(res, queries, m, d);
  auto d_kd = tamis::make_device_vector<T>(res, n);
  auto d_lrd = tamis::make_device_vector<T>(res, n);
  auto d_fit = tamis::make_device_vector<T>(res, n);
  auto d_out = tamis::make_device_vector<T>(res, m);
  tamis::device_matrix_view<const T> train_view(d_train.view());
  tamis::outlier::lof_fit(res, train_view, k, d_kd.view(), d_lrd.view(), d_fit.view());
  tamis::outlier::lof_scores(res, train_view, tamis::device_vector_view<const T>(d_kd.view()),
                             tamis::device_vector_view<const T>(d_lrd.view()),
                             tamis::device_matrix_view<const T>(d_queries.view()), k, d_out.view());
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-10;
  tamis::test::expect_near_host(tamis::test::download(res, d_fit), want_fit, tol, "train row ");
  tamis::test::expect_near_host(tamis::test::download(res, d_out), want, tol, "query ");
}

}  // namespace
