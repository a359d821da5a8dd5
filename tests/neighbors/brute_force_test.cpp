#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "reference.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace {

using tamis::distance_metric;
using tamis::resources;

using tamis::test::knn_output;

/// Same neighbours as the double-precision reference, up to near-ties: every reported distance is
/// the true distance of the reported row, and the sorted distances match the reference's.
template <typename T>
void expect_matches_reference(std::vector<T> const& db, int64_t m, std::vector<T> const& q, int64_t n, int64_t d,
                              int64_t k, distance_metric metric, bool exclude_self, knn_output<T> const& got)
{
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-9;
  for (int64_t i = 0; i < n; ++i) {
    auto ref = tamis::test::reference_knn(db.data(), m, q.data() + i * d, d, k, metric, exclude_self ? i : -1);
    std::set<int64_t> seen;
    for (int64_t j = 0; j < k; ++j) {
      int64_t idx = got.indices[i * k + j];
      ASSERT_GE(idx, 0);
      ASSERT_LT(idx, m);
      ASSERT_TRUE(seen.insert(idx).second) << "duplicate neighbour";
      if (exclude_self) ASSERT_NE(idx, i);
      double truth = tamis::test::reference_distance(q.data() + i * d, db.data() + idx * d, d, metric);
      double scale = 1 + std::abs(ref[j].distance);
      ASSERT_NEAR(got.distances[i * k + j], truth, tol * scale) << "row " << i << " slot " << j;
      ASSERT_NEAR(got.distances[i * k + j], ref[j].distance, tol * scale) << "row " << i << " slot " << j;
    }
  }
}

struct knn_case {
  int64_t m, n, d, k;
};

template <typename T>
class BruteForce : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(BruteForce, Types);

TYPED_TEST(BruteForce, EveryMetricAndShapeMatchesReference)
{
  using T = TypeParam;
  resources res;
  tamis::resource::set_workspace_limit(res, 1u << 20);  // forces several row and column tiles
  for (knn_case c : {knn_case{1, 1, 1, 1}, knn_case{50, 7, 1, 5}, knn_case{300, 20, 16, 300},
                     knn_case{1300, 600, 5, 10}, knn_case{700, 3, 33, 650}}) {
    auto db = tamis::test::random_matrix<T>(c.m, c.d, 21);
    auto q = tamis::test::random_matrix<T>(c.n, c.d, 22);
    for (auto metric : {distance_metric::sqeuclidean, distance_metric::euclidean, distance_metric::inner_product,
                        distance_metric::cosine}) {
      auto got = tamis::test::host_knn(res, db, c.m, q, c.n, c.d, c.k, metric, false);
      expect_matches_reference(db, c.m, q, c.n, c.d, c.k, metric, false, got);
    }
  }
}

TYPED_TEST(BruteForce, ExcludeSelfAndGraph)
{
  using T = TypeParam;
  resources res;
  tamis::resource::set_workspace_limit(res, 1u << 20);
  const int64_t n = 1100, d = 6, k = 9;
  auto x = tamis::test::random_matrix<T>(n, d, 5);
  for (auto metric : {distance_metric::sqeuclidean, distance_metric::cosine}) {
    auto got = tamis::test::host_knn(res, x, n, x, n, d, k, metric, true);
    expect_matches_reference(x, n, x, n, d, k, metric, true, got);
    knn_output<T> graph{std::vector<T>(static_cast<size_t>(n * k)), std::vector<int64_t>(static_cast<size_t>(n * k))};
    tamis::neighbors::brute_force::knn_graph(res, tamis::make_host_matrix_view<const T>(x.data(), n, d), metric,
                                             tamis::make_host_matrix_view(graph.distances.data(), n, k),
                                             tamis::make_host_matrix_view(graph.indices.data(), n, k));
    EXPECT_EQ(graph.indices, got.indices);
    EXPECT_EQ(graph.distances, got.distances);
  }
}

TYPED_TEST(BruteForce, DuplicateRowsTieByLowestIndex)
{
  using T = TypeParam;
  resources res;
  // Integer coordinates make every distance exact, so ties are real ties.
  std::vector<T> db{0, 0, 1, 1, 0, 0, 2, 2, 1, 1, 0, 0};  // rows 0, 2, 5 equal; rows 1, 4 equal
  std::vector<T> q{0, 0, 1, 1};
  auto got = tamis::test::host_knn(res, db, 6, q, 2, 2, 6, distance_metric::sqeuclidean, false);
  EXPECT_EQ(got.indices, (std::vector<int64_t>{0, 2, 5, 1, 4, 3, 1, 4, 0, 2, 3, 5}));
  EXPECT_EQ(got.distances[0], T(0));
  EXPECT_EQ(got.distances[3], T(2));
  // inner_product: largest first, ties still by lowest index.
  auto ip = tamis::test::host_knn(res, db, 6, q, 2, 2, 3, distance_metric::inner_product, false);
  EXPECT_EQ(std::vector<int64_t>(ip.indices.begin() + 3, ip.indices.end()), (std::vector<int64_t>{3, 1, 4}));
  EXPECT_EQ(ip.distances[3], T(4));
}

TYPED_TEST(BruteForce, NearestOnlyWithManyTiesMatchesReferenceExactly)
{
  using T = TypeParam;
  resources res;
  // Small integer coordinates: exact distances and many exact ties, over more columns than the
  // k = 1 path's vector lanes, with and without the self match excluded.
  const int64_t n = 203, d = 2;
  std::mt19937 gen(4);
  std::uniform_int_distribution<int> coord(0, 3);
  std::vector<T> x(static_cast<size_t>(n * d));
  for (auto& v : x) v = static_cast<T>(coord(gen));
  for (bool self : {false, true}) {
    for (auto metric : {distance_metric::sqeuclidean, distance_metric::inner_product}) {
      auto got = tamis::test::host_knn(res, x, n, x, n, d, 1, metric, self);
      for (int64_t i = 0; i < n; ++i) {
        auto ref = tamis::test::reference_knn(x.data(), n, x.data() + i * d, d, 1, metric, self ? i : -1);
        ASSERT_EQ(got.indices[i], ref[0].index) << "row " << i;
        ASSERT_EQ(got.distances[i], static_cast<T>(ref[0].distance));
      }
    }
  }
}

TYPED_TEST(BruteForce, ResultsDoNotDependOnThreadCount)
{
  using T = TypeParam;
  const int64_t m = 2000, n = 300, d = 12, k = 15;
  auto db = tamis::test::random_matrix<T>(m, d, 8);
  auto q = tamis::test::random_matrix<T>(n, d, 9);
  resources one, two;
  tamis::resource::set_num_threads(one, 1);
  tamis::resource::set_num_threads(two, 2);
  auto a = tamis::test::host_knn(one, db, m, q, n, d, k, distance_metric::euclidean, false);
  auto b = tamis::test::host_knn(two, db, m, q, n, d, k, distance_metric::euclidean, false);
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_EQ(a.distances, b.distances);
}

TEST(BruteForceErrors, BadArgumentsNameTheArgument)
{
  resources res;
  std::vector<float> db(20, 1.f), q(8, 1.f), dist(16), idx_f(16);
  std::vector<int64_t> idx(16);
  auto call = [&](int64_t m, int64_t n, int64_t dq, int64_t k, bool self) {
    tamis::neighbors::brute_force::knn(res, tamis::make_host_matrix_view<const float>(db.data(), m, 4),
                                       tamis::make_host_matrix_view<const float>(q.data(), n, dq),
                                       distance_metric::sqeuclidean, self, tamis::make_host_matrix_view(dist.data(), n, k),
                                       tamis::make_host_matrix_view(idx.data(), n, k));
  };
  auto message = [&](auto f) {
    try {
      f();
    } catch (tamis::logic_error const& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NO_THROW(call(5, 2, 4, 5, false));
  EXPECT_NE(message([&] { call(5, 2, 4, 0, false); }).find("k: must be in [1, 5]"), std::string::npos);
  EXPECT_NE(message([&] { call(5, 2, 4, 6, false); }).find("k:"), std::string::npos);
  EXPECT_NE(message([&] { call(5, 2, 2, 1, false); }).find("queries:"), std::string::npos);
  EXPECT_NE(message([&] { call(5, 2, 4, 1, true); }).find("exclude_self:"), std::string::npos);
  EXPECT_NE(message([&] { call(0, 2, 4, 1, false); }).find("database:"), std::string::npos);
  q[3] = std::numeric_limits<float>::infinity();
  EXPECT_NE(message([&] { call(5, 2, 4, 1, false); }).find("queries: contains 1 NaN or infinite"), std::string::npos);
  q[3] = 0;
  db[7] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_NE(message([&] { call(5, 2, 4, 1, false); }).find("database: contains"), std::string::npos);
  // k = n is fine, k = n with self excluded is not.
  std::vector<float> x(20, 0.f);
  std::vector<float> d5(25);
  std::vector<int64_t> i5(25);
  EXPECT_THROW(tamis::neighbors::brute_force::knn_graph(res, tamis::make_host_matrix_view<const float>(x.data(), 5, 4),
                                                        distance_metric::sqeuclidean,
                                                        tamis::make_host_matrix_view(d5.data(), 5, 5),
                                                        tamis::make_host_matrix_view(i5.data(), 5, 5)),
               tamis::logic_error);
}

}  // namespace
