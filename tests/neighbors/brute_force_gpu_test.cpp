// Device kNN against the host overload on the same random input: the same neighbours (up to exact
// or rounding-level ties) and the same distances within 1e-4 relative (float).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/core/cuda_resources.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace {

using tamis::distance_metric;
using tamis::resources;
using tamis::test::download;
using tamis::test::upload;

template <typename T>
class CudaBruteForce : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaBruteForce, Types);

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 1e-4 : 1e-9;
}

using tamis::test::host_knn;
using tamis::test::knn_output;

template <typename T>
knn_output<T> device_knn(resources const& res, std::vector<T> const& db, int64_t m, std::vector<T> const& q,
                         int64_t n, int64_t d, int64_t k, distance_metric metric, bool exclude_self)
{
  auto ddb = upload(res, db, m, d);
  auto dq = upload(res, q, n, d);
  auto dist = tamis::make_device_matrix<T>(res, n, k);
  auto idx = tamis::make_device_matrix<int64_t>(res, n, k);
  tamis::neighbors::brute_force::knn(res, std::as_const(ddb).view(), std::as_const(dq).view(), metric, exclude_self,
                                     dist.view(), idx.view());
  return {download(res, dist), download(res, idx)};
}

/// Same neighbours in the same order, except where two candidates are tied within rounding:
/// there the indices may swap, but the j-th distances still agree.
template <typename T>
void expect_same_neighbours(knn_output<T> const& got, knn_output<T> const& want, int64_t n, int64_t k,
                            const char* what)
{
  const double tol = tolerance<T>();
  int64_t swapped = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < k; ++j) {
      const int64_t p = i * k + j;
      const double w = want.distances[p];
      const double scale = 1.0 + std::abs(w);
      ASSERT_NEAR(got.distances[p], w, tol * scale) << what << " row " << i << " rank " << j;
      if (got.indices[p] == want.indices[p]) continue;
      // A swap is only allowed inside a near-tie of the host's own ranking (or at the k-th place,
      // where the tie may be with the (k+1)-th candidate the host did not keep).
      bool tied = j == k - 1;
      for (int64_t o = std::max<int64_t>(0, j - 1); o <= std::min(k - 1, j + 1); ++o) {
        if (o != j && std::abs(want.distances[i * k + o] - w) <= tol * scale) tied = true;
      }
      ASSERT_TRUE(tied) << what << " row " << i << " rank " << j << ": device index " << got.indices[p]
                        << ", host index " << want.indices[p] << " at distance " << w;
      ++swapped;
    }
  }
  EXPECT_LE(swapped, n * k / 100 + 2) << what << ": too many near-tie swaps";
}

TYPED_TEST(CudaBruteForce, KnnMatchesHostForEveryMetric)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t m = 1000, n = 300, d = 37, k = 10;
  auto db = tamis::test::random_matrix<T>(m, d, 1);
  auto q = tamis::test::random_matrix<T>(n, d, 2);
  for (auto metric : {distance_metric::sqeuclidean, distance_metric::euclidean, distance_metric::inner_product,
                      distance_metric::cosine}) {
    auto got = device_knn(res, db, m, q, n, d, k, metric, false);
    auto want = host_knn(res, db, m, q, n, d, k, metric, false);
    expect_same_neighbours(got, want, n, k, tamis::to_string(metric));
  }
}

TYPED_TEST(CudaBruteForce, ExcludeSelfAndKnnGraphMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t m = 513, d = 8, k = 7;
  auto x = tamis::test::random_matrix<T>(m, d, 3);
  for (auto metric : {distance_metric::sqeuclidean, distance_metric::cosine}) {
    auto got = device_knn(res, x, m, x, m, d, k, metric, true);
    auto want = host_knn(res, x, m, x, m, d, k, metric, true);
    expect_same_neighbours(got, want, m, k, tamis::to_string(metric));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < k; ++j) ASSERT_NE(got.indices[i * k + j], i);

    auto dx = upload(res, x, m, d);
    auto dist = tamis::make_device_matrix<T>(res, m, k);
    auto idx = tamis::make_device_matrix<int64_t>(res, m, k);
    tamis::neighbors::brute_force::knn_graph(res, std::as_const(dx).view(), metric, dist.view(), idx.view());
    knn_output<T> graph{download(res, dist), download(res, idx)};
    expect_same_neighbours(graph, want, m, k, "knn_graph");
  }
}

TYPED_TEST(CudaBruteForce, SmallWorkspaceForcesManyTilesAndKEqualsM)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  tamis::resource::set_workspace_limit(res, std::size_t{1} << 20);  // tiles far narrower than the database
  const int64_t m = 3001, n = 77, d = 5;
  auto db = tamis::test::random_matrix<T>(m, d, 6);
  auto q = tamis::test::random_matrix<T>(n, d, 7);
  for (int64_t k : {int64_t{1}, int64_t{64}, m}) {
    auto got = device_knn(res, db, m, q, n, d, k, distance_metric::sqeuclidean, false);
    auto want = host_knn(res, db, m, q, n, d, k, distance_metric::sqeuclidean, false);
    expect_same_neighbours(got, want, n, k, "tiled");
  }
}

TYPED_TEST(CudaBruteForce, DuplicateRowsTieByLowerIndex)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t d = 4, m = 40, n = 6, k = 5;
  // Small integers: every distance is exact on both backends, so the ties are exact too.
  std::vector<T> base(static_cast<size_t>(5 * d));
  for (int64_t r = 0; r < 5; ++r)
    for (int64_t j = 0; j < d; ++j) base[r * d + j] = static_cast<T>(j == 0 ? 2 * r : (r * 7 + j * 3) % 5 - 2);
  std::vector<T> db(static_cast<size_t>(m * d));
  for (int64_t r = 0; r < m; ++r)
    for (int64_t j = 0; j < d; ++j) db[r * d + j] = base[(r % 5) * d + j];  // each row 8 times
  std::vector<T> q(db.begin(), db.begin() + n * d);
  auto got = device_knn(res, db, m, q, n, d, k, distance_metric::sqeuclidean, false);
  auto want = host_knn(res, db, m, q, n, d, k, distance_metric::sqeuclidean, false);
  EXPECT_EQ(got.indices, want.indices);  // exact ties: identical distances on both, lower index first
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j) EXPECT_EQ(got.indices[i * k + j], (i % 5) + 5 * j);
}

TYPED_TEST(CudaBruteForce, NonFiniteAndBadKRejectedOnDevice)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  auto db = tamis::test::random_matrix<T>(10, 3, 9);
  db[4] = std::numeric_limits<T>::infinity();
  auto ddb = upload(res, db, 10, 3);
  auto dist = tamis::make_device_matrix<T>(res, 10, 2);
  auto idx = tamis::make_device_matrix<int64_t>(res, 10, 2);
  EXPECT_THROW(tamis::neighbors::brute_force::knn_graph(res, std::as_const(ddb).view(), distance_metric::sqeuclidean,
                                                        dist.view(), idx.view()),
               tamis::logic_error);
  auto clean = upload(res, tamis::test::random_matrix<T>(10, 3, 10), 10, 3);
  auto dist10 = tamis::make_device_matrix<T>(res, 10, 10);
  auto idx10 = tamis::make_device_matrix<int64_t>(res, 10, 10);
  EXPECT_THROW(tamis::neighbors::brute_force::knn_graph(res, std::as_const(clean).view(), distance_metric::sqeuclidean,
                                                        dist10.view(), idx10.view()),
               tamis::logic_error);
}

}  // namespace
