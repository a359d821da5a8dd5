#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "reference.hpp"
#include "tamis/cluster/kmeans.hpp"

namespace {

namespace km = tamis::cluster::kmeans;
using tamis::resources;
using tamis::test::host_kmeans_fit;
using tamis::test::kmeans_fitted;
using tamis::test::separated_blobs;

/// Σ ‖x_i − c_{label_i}‖² in double, and that every label is a nearest centre.
template <typename T>
double check_assignment(std::vector<T> const& x, int64_t n, int64_t d, kmeans_fitted<T> const& f, int64_t k,
                        tamis::distance_metric metric)
{
  double inertia = 0;
  for (int64_t i = 0; i < n; ++i) {
    double own = tamis::test::reference_distance(x.data() + i * d, f.centroids.data() + f.labels[i] * d, d, metric);
    for (int64_t c = 0; c < k; ++c) {
      double other = tamis::test::reference_distance(x.data() + i * d, f.centroids.data() + c * d, d, metric);
      EXPECT_LE(own, other + 1e-4 * (1 + other)) << "row " << i << " is nearer centre " << c;
    }
    inertia += own;
  }
  return inertia;
}

template <typename T>
class KMeans : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(KMeans, Types);

TYPED_TEST(KMeans, RecoversSeparatedBlobsAndReportsConsistentInertia)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 3000, d = 8, k = 12;
  std::vector<int64_t> truth;
  auto x = separated_blobs<T>(n, d, k, 1, truth);
  km::params p;
  p.n_clusters = k;
  auto f = host_kmeans_fit(res, p, x, n, d);
  double inertia = check_assignment(x, n, d, f, k, tamis::distance_metric::sqeuclidean);
  EXPECT_NEAR(f.result.inertia, inertia, 1e-4 * inertia);
  EXPECT_GE(f.result.n_iter, 1);
  // Each true blob maps to exactly one cluster and vice versa.
  std::vector<std::set<int64_t>> of_truth(k);
  for (int64_t i = 0; i < n; ++i) of_truth[truth[i]].insert(f.labels[i]);
  std::set<int64_t> used;
  for (auto& s : of_truth) {
    EXPECT_EQ(s.size(), 1u);
    used.insert(*s.begin());
  }
  EXPECT_EQ(used.size(), static_cast<size_t>(k));
  // At convergence every centre is the mean of its members (a Lloyd fixed point).
  for (int64_t c = 0; c < k; ++c) {
    std::vector<double> mean(d, 0.0);
    int64_t count = 0;
    for (int64_t i = 0; i < n; ++i)
      if (f.labels[i] == c) {
        ++count;
        for (int64_t j = 0; j < d; ++j) mean[j] += x[i * d + j];
      }
    for (int64_t j = 0; j < d; ++j) EXPECT_NEAR(f.centroids[c * d + j], mean[j] / count, 1e-4);
  }
}

TYPED_TEST(KMeans, DeterministicAcrossThreadsAndSeedSensitive)
{
  using T = TypeParam;
  const int64_t n = 2500, d = 5, k = 20;
  auto x = tamis::test::random_matrix<T>(n, d, 3);
  km::params p;
  p.n_clusters = k;
  p.seed = 9;
  p.batch_rows = 1000;
  resources one, two;
  tamis::resource::set_num_threads(one, 1);
  tamis::resource::set_num_threads(two, 2);
  auto a = host_kmeans_fit(one, p, x, n, d);
  auto b = host_kmeans_fit(two, p, x, n, d);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.result.inertia, b.result.inertia);
  p.seed = 10;
  auto c = host_kmeans_fit(one, p, x, n, d);
  EXPECT_NE(a.centroids, c.centroids);
}

TYPED_TEST(KMeans, BatchSizeDoesNotChangeTheClustering)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 1000, d = 4, k = 6;
  std::vector<int64_t> truth;
  auto x = separated_blobs<T>(n, d, k, 2, truth);
  km::params p;
  p.n_clusters = k;
  auto whole = host_kmeans_fit(res, p, x, n, d);
  p.batch_rows = 77;  // n is not a multiple of the batch
  auto batched = host_kmeans_fit(res, p, x, n, d);
  EXPECT_EQ(whole.labels, batched.labels);
  EXPECT_NEAR(whole.result.inertia, batched.result.inertia, 1e-5 * whole.result.inertia);
}

TYPED_TEST(KMeans, KEqualsNGivesZeroInertiaAndDistinctCentres)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 40, d = 3;
  auto x = tamis::test::random_matrix<T>(n, d, 4);
  for (auto init : {km::init_method::kmeans_plus_plus, km::init_method::random}) {
    km::params p;
    p.n_clusters = n;
    p.init = init;
    auto f = host_kmeans_fit(res, p, x, n, d);
    EXPECT_NEAR(f.result.inertia, 0.0, 1e-6);
    EXPECT_EQ(std::set<int64_t>(f.labels.begin(), f.labels.end()).size(), static_cast<size_t>(n));
  }
}

TYPED_TEST(KMeans, EmptyClusterIsRepairedWithTheFarthestPoint)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 200, d = 2, k = 3;
  std::vector<int64_t> truth;
  auto x = separated_blobs<T>(n, d, 2, 5, truth);
  // Third centre far from every point: empty after the first assignment.
  std::vector<T> init{T(10), T(0), T(0), T(10), T(1000), T(1000)};
  km::params p;
  p.n_clusters = k;
  p.init = km::init_method::array;
  auto f = host_kmeans_fit(res, p, x, n, d, init);
  std::vector<int64_t> counts(k, 0);
  for (auto l : f.labels) counts[l]++;
  for (auto c : counts) EXPECT_GT(c, 0);
  check_assignment(x, n, d, f, k, tamis::distance_metric::sqeuclidean);
}

TYPED_TEST(KMeans, SphericalCentresAreUnitAndAssignmentIsCosine)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 1500, d = 6, k = 7;
  auto x = tamis::test::random_matrix<T>(n, d, 6);
  km::params p;
  p.n_clusters = k;
  p.spherical = true;
  auto f = host_kmeans_fit(res, p, x, n, d);
  for (int64_t c = 0; c < k; ++c) {
    double sq = 0;
    for (int64_t j = 0; j < d; ++j) sq += double(f.centroids[c * d + j]) * f.centroids[c * d + j];
    EXPECT_NEAR(sq, 1.0, 1e-5);
  }
  double inertia = check_assignment(x, n, d, f, k, tamis::distance_metric::cosine);
  EXPECT_NEAR(f.result.inertia, inertia, 1e-4 * inertia);
}

TYPED_TEST(KMeans, PredictAndShardedAccumulateAgreeWithFit)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 900, d = 5, k = 4;
  std::vector<int64_t> truth;
  auto x = separated_blobs<T>(n, d, k, 7, truth);
  km::params p;
  p.n_clusters = k;
  auto f = host_kmeans_fit(res, p, x, n, d);
  std::vector<int64_t> labels(n);
  std::vector<T> dist(n);
  double inertia = km::predict(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                               tamis::make_host_matrix_view<const T>(f.centroids.data(), k, d),
                               tamis::make_host_vector_view(labels.data(), n), tamis::make_host_vector_view(dist.data(), n));
  EXPECT_EQ(labels, f.labels);
  EXPECT_NEAR(inertia, f.result.inertia, 1e-6 * inertia);

  // Two shards accumulated separately and merged equal one pass over everything.
  auto centres = tamis::make_host_matrix_view<const T>(f.centroids.data(), k, d);
  km::partial_sums all(k, d), first(k, d), second(k, d);
  km::accumulate(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d), centres, all);
  km::accumulate(res, p, tamis::make_host_matrix_view<const T>(x.data(), 500, d), centres, first);
  km::accumulate(res, p, tamis::make_host_matrix_view<const T>(x.data() + 500 * d, n - 500, d), centres, second);
  first.merge(second);
  EXPECT_EQ(first.counts, all.counts);
  for (size_t i = 0; i < all.sums.size(); ++i) EXPECT_NEAR(first.sums[i], all.sums[i], 1e-9 * (1 + std::abs(all.sums[i])));
  EXPECT_NEAR(first.inertia, all.inertia, 1e-9 * all.inertia);
  std::vector<T> next(static_cast<size_t>(k * d));
  km::centroids_from(all, false, tamis::make_host_matrix_view(next.data(), k, d));
  for (size_t i = 0; i < next.size(); ++i) EXPECT_NEAR(next[i], f.centroids[i], 1e-4);  // converged: a fixed point
}

TEST(KMeansErrors, BadArguments)
{
  resources res;
  std::vector<float> x(20, 1.f), c(8);
  std::vector<int64_t> labels(5);
  auto fit = [&](km::params p, int64_t n, int64_t labels_n) {
    km::fit(res, p, tamis::make_host_matrix_view<const float>(x.data(), n, 4),
            tamis::make_host_matrix_view(c.data(), p.n_clusters, 4), tamis::make_host_vector_view(labels.data(), labels_n));
  };
  km::params p;
  p.n_clusters = 2;
  EXPECT_NO_THROW(fit(p, 5, 5));
  EXPECT_THROW(fit(p, 5, 4), tamis::logic_error);
  EXPECT_THROW(fit(p, 1, 1), tamis::logic_error);  // more clusters than rows
  km::params zero = p;
  zero.n_clusters = 0;
  EXPECT_THROW(fit(zero, 5, 5), tamis::logic_error);
  km::params iters = p;
  iters.max_iter = 0;
  EXPECT_THROW(fit(iters, 5, 5), tamis::logic_error);
  km::params tol = p;
  tol.tol = -1;
  EXPECT_THROW(fit(tol, 5, 5), tamis::logic_error);
  x[3] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(fit(p, 5, 5), tamis::logic_error);
  km::partial_sums a(2, 3), b(3, 3);
  EXPECT_THROW(a.merge(b), tamis::logic_error);
}

}  // namespace
