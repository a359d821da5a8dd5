#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "reference.hpp"
#include "tamis/outlier/knn.hpp"

namespace {

using tamis::outlier::knn_method;

/// Sorted Euclidean distances of query q to every training row (row `self` left out), in double.
template <typename T>
std::vector<double> sorted_distances(std::vector<T> const& train, int64_t n, const T* q, int64_t d, int64_t self)
{
  std::vector<double> dist;
  for (int64_t j = 0; j < n; ++j) {
    if (j == self) continue;
    double s = 0;
    for (int64_t c = 0; c < d; ++c) s += (double(q[c]) - double(train[j * d + c])) * (double(q[c]) - double(train[j * d + c]));
    dist.push_back(std::sqrt(s));
  }
  std::sort(dist.begin(), dist.end());
  return dist;
}

double reference_score(std::vector<double> const& dist, int64_t k, knn_method method)
{
  if (method == knn_method::largest) return dist[k - 1];
  if (method == knn_method::median) return k % 2 ? dist[k / 2] : (dist[k / 2 - 1] + dist[k / 2]) / 2;
  double s = 0;
  for (int64_t j = 0; j < k; ++j) s += dist[j];
  return s / k;
}

template <typename T>
class KnnDetector : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(KnnDetector, Types);

TYPED_TEST(KnnDetector, TrainAndQueryScoresMatchPlainReference)
{
  using T = TypeParam;
  tamis::resources res;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  for (auto [n, m, d] : {std::tuple<int64_t, int64_t, int64_t>{2, 3, 1}, {37, 11, 3}, {600, 150, 17}}) {
    auto train = tamis::test::random_matrix<T>(n, d, 1 + static_cast<uint32_t>(n));
    auto queries = tamis::test::random_matrix<T>(m, d, 2 + static_cast<uint32_t>(n));
    for (int64_t k : {int64_t{1}, std::min<int64_t>(4, n - 1), n - 1}) {
      for (auto method : {knn_method::largest, knn_method::mean, knn_method::median}) {
        std::vector<T> got_train(n), got_query(m);
        tamis::outlier::knn_train_scores(res, tamis::make_host_matrix_view<const T>(train.data(), n, d), k, method,
                                         tamis::make_host_vector_view(got_train.data(), n));
        tamis::outlier::knn_scores(res, tamis::make_host_matrix_view<const T>(train.data(), n, d),
                                   tamis::make_host_matrix_view<const T>(queries.data(), m, d), k, method,
                                   tamis::make_host_vector_view(got_query.data(), m));
        for (int64_t i = 0; i < n; ++i) {
          double want = reference_score(sorted_distances(train, n, train.data() + i * d, d, i), k, method);
          ASSERT_NEAR(got_train[i], want, tol * (1 + want)) << "train row " << i << " k=" << k;
        }
        for (int64_t i = 0; i < m; ++i) {
          double want = reference_score(sorted_distances(train, n, queries.data() + i * d, d, -1), k, method);
          ASSERT_NEAR(got_query[i], want, tol * (1 + want)) << "query " << i << " k=" << k;
        }
      }
    }
  }
}

TEST(KnnDetector, DuplicateRowsAreNeighboursAtExactlyZero)
{
  tamis::resources res;
  // Rows 0 and 1 coincide; row 2 is far. A query equal to row 2 finds it at distance 0.
  std::vector<double> train = {1e3, -2e3, 1e3, -2e3, 5e3, 7e3};
  std::vector<double> got(3), query = {5e3, 7e3}, got_query(1);
  auto tv = tamis::make_host_matrix_view<const double>(train.data(), 3, 2);
  tamis::outlier::knn_train_scores(res, tv, 1, knn_method::largest, tamis::make_host_vector_view(got.data(), 3));
  EXPECT_EQ(got[0], 0.0);
  EXPECT_EQ(got[1], 0.0);
  EXPECT_NEAR(got[2], std::hypot(4e3, 9e3), 1e-9);
  tamis::outlier::knn_scores(res, tv, tamis::make_host_matrix_view<const double>(query.data(), 1, 2), 1,
                             knn_method::largest, tamis::make_host_vector_view(got_query.data(), 1));
  EXPECT_EQ(got_query[0], 0.0);
}

TEST(KnnDetector, BadInputsFailLoudly)
{
  tamis::resources res;
  auto train = tamis::test::random_matrix<float>(5, 3, 4);
  auto queries = tamis::test::random_matrix<float>(2, 2, 5);
  std::vector<float> out(5);
  auto tv = tamis::make_host_matrix_view<const float>(train.data(), 5, 3);
  auto ov = tamis::make_host_vector_view(out.data(), 5);
  EXPECT_THROW(tamis::outlier::knn_train_scores(res, tv, 5, knn_method::largest, ov), tamis::logic_error);  // k = n
  EXPECT_THROW(tamis::outlier::knn_train_scores(res, tv, 0, knn_method::largest, ov), tamis::logic_error);
  EXPECT_THROW(tamis::outlier::knn_scores(res, tv, tamis::make_host_matrix_view<const float>(queries.data(), 2, 2), 1,
                                          knn_method::largest, tamis::make_host_vector_view(out.data(), 2)),
               tamis::logic_error);  // 2 features against 3
  EXPECT_THROW(tamis::outlier::knn_train_scores(res, tv, 1, knn_method::largest, tamis::make_host_vector_view(out.data(), 4)),
               tamis::logic_error);
  train[7] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(tamis::outlier::knn_train_scores(res, tv, 1, knn_method::largest, ov), tamis::logic_error);
  EXPECT_THROW(tamis::outlier::parse_knn_method("max"), tamis::logic_error);
}

}  // namespace
