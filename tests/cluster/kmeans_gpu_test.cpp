// Device k-means against the host overload on the same input and the same starting centres:
// the same labels, inertia within 1e-4 relative, centres within rounding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/cuda_resources.hpp"

namespace {

namespace km = tamis::cluster::kmeans;
using tamis::resources;
using tamis::test::download;
using tamis::test::host_kmeans_fit;
using tamis::test::random_blobs;
using tamis::test::upload;

template <typename T>
class CudaKMeans : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaKMeans, Types);

template <typename T>
using fitted = tamis::test::kmeans_fitted<T>;

template <typename T>
fitted<T> device_fit(resources const& res, km::params const& p, std::vector<T> const& x, int64_t n, int64_t d,
                     std::vector<T> init)
{
  init.resize(static_cast<size_t>(p.n_clusters * d));
  auto dx = upload(res, x, n, d);
  auto dc = upload(res, init, p.n_clusters, d);
  auto dl = tamis::make_device_vector<int64_t>(res, n);
  fitted<T> f;
  f.result = km::fit(res, p, std::as_const(dx).view(), dc.view(), dl.view());
  f.centroids = download(res, dc);
  f.labels = download(res, dl);
  return f;
}

template <typename T>
void expect_same_fit(fitted<T> const& got, fitted<T> const& want)
{
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-9;
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_NEAR(got.result.inertia, want.result.inertia, tol * std::abs(want.result.inertia));
  EXPECT_LE(std::abs(got.result.n_iter - want.result.n_iter), 1) << "device " << got.result.n_iter << ", host "
                                                                  << want.result.n_iter;
  ASSERT_EQ(got.centroids.size(), want.centroids.size());
  tamis::test::expect_near_host(got.centroids, want.centroids, 10 * tol);
}

/// Fits x on the device and on the host from the same start (`init`, or none: p.init's own) and
/// expects the same fit.
template <typename T>
void expect_device_fit_matches_host(resources const& res, km::params const& p, std::vector<T> const& x, int64_t n,
                                    int64_t d, std::vector<T> const& init)
{
  expect_same_fit(device_fit(res, p, x, n, d, init), host_kmeans_fit(res, p, x, n, d, init));
}

/// `random_blobs`, and parameters that start Lloyd from its shifted generating centres.
template <typename T>
struct given_centres_problem {
  int64_t n, d;
  std::vector<T> init;  // before x: random_blobs fills it
  std::vector<T> x;
  km::params p;

  given_centres_problem(int64_t rows, int64_t cols, int64_t k, uint32_t seed)
    : n(rows), d(cols), x(random_blobs<T>(rows, cols, k, seed, init))
  {
    p.n_clusters = k;
    p.init = km::init_method::array;
  }
};

template <typename T>
void expect_device_fit_matches_host(resources const& res, given_centres_problem<T> const& prob)
{
  expect_device_fit_matches_host(res, prob.p, prob.x, prob.n, prob.d, prob.init);
}

TYPED_TEST(CudaKMeans, FitFromGivenCentresMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  given_centres_problem<TypeParam> prob(2000, 16, 8, 1);
  prob.p.max_iter = 50;
  expect_device_fit_matches_host(res, prob);

  prob.p.batch_rows = 333;  // several batches per pass, the last one partial
  expect_device_fit_matches_host(res, prob);
}

TYPED_TEST(CudaKMeans, SphericalFitMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  given_centres_problem<TypeParam> prob(1500, 12, 6, 2);
  prob.p.spherical = true;
  prob.p.max_iter = 50;
  expect_device_fit_matches_host(res, prob);
}

TYPED_TEST(CudaKMeans, EmptyClusterRepairMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  given_centres_problem<T> prob(800, 4, 5, 3);
  const int64_t d = prob.d;
  for (int64_t j = 0; j < d; ++j) prob.init[4 * d + j] = T(1000);  // far from everything: empty at the first step
  prob.p.max_iter = 30;
  expect_device_fit_matches_host(res, prob);
}

TYPED_TEST(CudaKMeans, SeededInitsMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 1200, d = 6, k = 7;
  std::vector<T> unused;
  auto x = random_blobs<T>(n, d, k, 4, unused);
  km::params p;
  p.n_clusters = k;
  p.seed = 42;
  p.max_iter = 50;
  // random init draws rows on the host from the seed alone: identical starts, identical fits.
  p.init = km::init_method::random;
  expect_device_fit_matches_host(res, p, x, n, d, {});
  // k-means++ samples through a device prefix sum; in double its rounding cannot move a draw.
  if (std::is_same_v<T, double>) {
    p.init = km::init_method::kmeans_plus_plus;
    expect_device_fit_matches_host(res, p, x, n, d, {});
  } else {
    p.init = km::init_method::kmeans_plus_plus;
    auto got = device_fit(res, p, x, n, d, {});
    auto want = host_kmeans_fit(res, p, x, n, d, {});
    EXPECT_NEAR(got.result.inertia, want.result.inertia, 1e-3 * want.result.inertia);
  }
}

/// Largest ‖row‖² of a row-major matrix with d columns.
template <typename T>
double max_sq_norm(std::vector<T> const& m, int64_t d)
{
  double best = 0;
  for (size_t r = 0; r < m.size(); r += static_cast<size_t>(d)) {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) s += static_cast<double>(m[r + j]) * m[r + j];
    best = std::max(best, s);
  }
  return best;
}

TYPED_TEST(CudaKMeans, PredictAndAccumulateMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 1000, d = 10, k = 4;
  std::vector<T> centres;
  auto x = random_blobs<T>(n, d, k, 5, centres);
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-9;
  // Expanded squared distances (‖x‖² + ‖c‖² − 2x·c) round on the scale of the norms, not of the
  // distance, and cuBLAS sums the dot products in its own order (the layout of the tile moves it).
  const double dist_tol = (std::is_same_v<T, float> ? 1e-6 : 1e-13) * (max_sq_norm(x, d) + max_sq_norm(centres, d));
  for (bool spherical : {false, true}) {
    km::params p;
    p.n_clusters = k;
    p.spherical = spherical;
    p.batch_rows = 256;
    auto dx = upload(res, x, n, d);
    auto dc = upload(res, centres, k, d);
    auto dl = tamis::make_device_vector<int64_t>(res, n);
    auto dd = tamis::make_device_vector<T>(res, n);
    double dev_inertia = km::predict(res, p, std::as_const(dx).view(), std::as_const(dc).view(), dl.view(), dd.view());
    auto dev_labels = download(res, dl);
    auto dev_dist = download(res, dd);
    std::vector<int64_t> host_labels(static_cast<size_t>(n));
    std::vector<T> host_dist(static_cast<size_t>(n));
    double host_inertia = km::predict(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                                      tamis::make_host_matrix_view<const T>(centres.data(), k, d),
                                      tamis::make_host_vector_view(host_labels.data(), n),
                                      tamis::make_host_vector_view(host_dist.data(), n));
    EXPECT_EQ(dev_labels, host_labels);
    EXPECT_NEAR(dev_inertia, host_inertia, tol * host_inertia);
    for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(dev_dist[i], host_dist[i], dist_tol) << "row " << i;

    // predict without distances
    EXPECT_NEAR(km::predict(res, p, std::as_const(dx).view(), std::as_const(dc).view(), dl.view(), {}), host_inertia,
                tol * host_inertia);

    km::partial_sums dev_stats(k, d), host_stats(k, d);
    km::accumulate(res, p, std::as_const(dx).view(), std::as_const(dc).view(), dev_stats);
    km::accumulate(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                   tamis::make_host_matrix_view<const T>(centres.data(), k, d), host_stats);
    EXPECT_EQ(dev_stats.counts, host_stats.counts);
    EXPECT_NEAR(dev_stats.inertia, host_stats.inertia, tol * host_stats.inertia);
    // Accumulated in double in the same row order; spherical rows carry a float-rounded scale.
    tamis::test::expect_near_host(dev_stats.sums, host_stats.sums, tol);
  }
}

}  // namespace
