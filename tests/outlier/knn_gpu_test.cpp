#include <gtest/gtest.h>

#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/knn.hpp"

namespace {

using tamis::outlier::knn_method;

template <typename T>
class CudaKnnDetector : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaKnnDetector, Types);

TYPED_TEST(CudaKnnDetector, TrainAndQueryScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 3000, m = 500, d = 24, k = 7;
  auto train = tamis::test::random_matrix<T>(n, d, 21);
  auto queries = tamis::test::random_matrix<T>(m, d, 22);
  auto d_train = tamis::test::upload(res, train, n, d);
  auto d_queries = tamis::test::upload(res, queries, m, d);
  auto host_train = tamis::make_host_matrix_view<const T>(train.data(), n, d);
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  for (auto method : {knn_method::largest, knn_method::mean, knn_method::median}) {
    std::vector<T> want_train(n), want_query(m);
    tamis::outlier::knn_train_scores(res, host_train, k, method, tamis::make_host_vector_view(want_train.data(), n));
    tamis::outlier::knn_scores(res, host_train, tamis::make_host_matrix_view<const T>(queries.data(), m, d), k, method,
                               tamis::make_host_vector_view(want_query.data(), m));
    auto got_train = tamis::make_device_vector<T>(res, n);
    auto got_query = tamis::make_device_vector<T>(res, m);
    tamis::outlier::knn_train_scores(res, tamis::device_matrix_view<const T>(d_train.view()), k, method,
                                     got_train.view());
    tamis::outlier::knn_scores(res, tamis::device_matrix_view<const T>(d_train.view()),
                               tamis::device_matrix_view<const T>(d_queries.view()), k, method, got_query.view());
    tamis::test::expect_near_host(tamis::test::download(res, got_train), want_train, tol, "train row ");
    tamis::test::expect_near_host(tamis::test::download(res, got_query), want_query, tol, "query ");
  }
}

}  // namespace
