// Device k-means against the host overload on the same input and the same starting centres:
// the same labels, inertia within 1e-4 relative, centres within rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

#include "reference.hpp"
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/cuda_resources.hpp"

namespace {

namespace km = tamis::cluster::kmeans;
using tamis::resources;

#define TAMIS_REQUIRE_GPU()                 \
  do {                                      \
    if (!tamis::cuda_device_available()) {  \
      GTEST_SKIP() << "no CUDA device";     \
    }                                       \
  } while (0)

template <typename T>
class CudaKMeans : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaKMeans, Types);

/// n points around k random centres (spread 10, noise 1): labels are decisive, never near-ties.
/// `centres` receives the generating centres, shifted a little, to start Lloyd from.
template <typename T>
std::vector<T> blobs(int64_t n, int64_t d, int64_t k, uint32_t seed, std::vector<T>& centres)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> truth(static_cast<size_t>(k * d));
  for (auto& v : truth) v = 10.0 * normal(gen);
  std::vector<T> x(static_cast<size_t>(n * d));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<T>(truth[(i % k) * d + j] + normal(gen));
  centres.resize(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) centres[i] = static_cast<T>(truth[i] + 0.5 * normal(gen));
  return x;
}

template <typename T>
tamis::device_matrix<T> upload(resources const& res, std::vector<T> const& h, int64_t rows, int64_t cols)
{
  auto m = tamis::make_device_matrix<T>(res, rows, cols);
  tamis::copy_to_device(res, m.view(), h.data());
  return m;
}

template <typename T>
struct fitted {
  std::vector<T> centroids;
  std::vector<int64_t> labels;
  km::fit_result result;
};

template <typename T>
fitted<T> host_fit(resources const& res, km::params const& p, std::vector<T> const& x, int64_t n, int64_t d,
                   std::vector<T> init)
{
  fitted<T> f{std::move(init), std::vector<int64_t>(static_cast<size_t>(n)), {}};
  f.centroids.resize(static_cast<size_t>(p.n_clusters * d));
  f.result = km::fit(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                     tamis::make_host_matrix_view(f.centroids.data(), p.n_clusters, d),
                     tamis::make_host_vector_view(f.labels.data(), n));
  return f;
}

template <typename T>
fitted<T> device_fit(resources const& res, km::params const& p, std::vector<T> const& x, int64_t n, int64_t d,
                     std::vector<T> init)
{
  init.resize(static_cast<size_t>(p.n_clusters * d));
  auto dx = upload(res, x, n, d);
  auto dc = upload(res, init, p.n_clusters, d);
  auto dl = tamis::make_device_vector<int64_t>(res, n);
  fitted<T> f{std::vector<T>(init.size()), std::vector<int64_t>(static_cast<size_t>(n)), {}};
  f.result = km::fit(res, p, std::as_const(dx).view(), dc.view(), dl.view());
  tamis::copy_to_host(res, f.centroids.data(), dc.view());
  tamis::copy_to_host(res, f.labels.data(), dl.view());
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
  for (size_t i = 0; i < got.centroids.size(); ++i) {
    EXPECT_NEAR(got.centroids[i], want.centroids[i], 10 * tol * (1 + std::abs(want.centroids[i]))) << i;
  }
}

TYPED_TEST(CudaKMeans, FitFromGivenCentresMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 2000, d = 16, k = 8;
  std::vector<T> init;
  auto x = blobs<T>(n, d, k, 1, init);
  km::params p;
  p.n_clusters = k;
  p.init = km::init_method::array;
  p.max_iter = 50;
  expect_same_fit(device_fit(res, p, x, n, d, init), host_fit(res, p, x, n, d, init));

  p.batch_rows = 333;  // several batches per pass, the last one partial
  expect_same_fit(device_fit(res, p, x, n, d, init), host_fit(res, p, x, n, d, init));
}

TYPED_TEST(CudaKMeans, SphericalFitMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 1500, d = 12, k = 6;
  std::vector<T> init;
  auto x = blobs<T>(n, d, k, 2, init);
  km::params p;
  p.n_clusters = k;
  p.init = km::init_method::array;
  p.spherical = true;
  p.max_iter = 50;
  expect_same_fit(device_fit(res, p, x, n, d, init), host_fit(res, p, x, n, d, init));
}

TYPED_TEST(CudaKMeans, EmptyClusterRepairMatchesHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 800, d = 4, k = 5;
  std::vector<T> init;
  auto x = blobs<T>(n, d, k, 3, init);
  for (int64_t j = 0; j < d; ++j) init[4 * d + j] = T(1000);  // far from everything: empty at the first step
  km::params p;
  p.n_clusters = k;
  p.init = km::init_method::array;
  p.max_iter = 30;
  expect_same_fit(device_fit(res, p, x, n, d, init), host_fit(res, p, x, n, d, init));
}

TYPED_TEST(CudaKMeans, SeededInitsMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 1200, d = 6, k = 7;
  std::vector<T> unused;
  auto x = blobs<T>(n, d, k, 4, unused);
  km::params p;
  p.n_clusters = k;
  p.seed = 42;
  p.max_iter = 50;
  // random init draws rows on the host from the seed alone: identical starts, identical fits.
  p.init = km::init_method::random;
  expect_same_fit(device_fit(res, p, x, n, d, {}), host_fit(res, p, x, n, d, {}));
  // k-means++ samples through a device prefix sum; in double its rounding cannot move a draw.
  if (std::is_same_v<T, double>) {
    p.init = km::init_method::kmeans_plus_plus;
    expect_same_fit(device_fit(res, p, x, n, d, {}), host_fit(res, p, x, n, d, {}));
  } else {
    p.init = km::init_method::kmeans_plus_plus;
    auto got = device_fit(res, p, x, n, d, {});
    auto want = host_fit(res, p, x, n, d, {});
    EXPECT_NEAR(got.result.inertia, want.result.inertia, 1e-3 * want.result.inertia);
  }
}

TYPED_TEST(CudaKMeans, PredictAndAccumulateMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 1000, d = 10, k = 4;
  std::vector<T> centres;
  auto x = blobs<T>(n, d, k, 5, centres);
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-9;
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
    std::vector<int64_t> dev_labels(static_cast<size_t>(n)), host_labels(static_cast<size_t>(n));
    std::vector<T> dev_dist(static_cast<size_t>(n)), host_dist(static_cast<size_t>(n));
    tamis::copy_to_host(res, dev_labels.data(), dl.view());
    tamis::copy_to_host(res, dev_dist.data(), dd.view());
    double host_inertia = km::predict(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                                      tamis::make_host_matrix_view<const T>(centres.data(), k, d),
                                      tamis::make_host_vector_view(host_labels.data(), n),
                                      tamis::make_host_vector_view(host_dist.data(), n));
    EXPECT_EQ(dev_labels, host_labels);
    EXPECT_NEAR(dev_inertia, host_inertia, tol * host_inertia);
    for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(dev_dist[i], host_dist[i], tol * (1 + std::abs(host_dist[i])));

    // predict without distances
    EXPECT_NEAR(km::predict(res, p, std::as_const(dx).view(), std::as_const(dc).view(), dl.view(), {}), host_inertia,
                tol * host_inertia);

    km::partial_sums dev_stats(k, d), host_stats(k, d);
    km::accumulate(res, p, std::as_const(dx).view(), std::as_const(dc).view(), dev_stats);
    km::accumulate(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                   tamis::make_host_matrix_view<const T>(centres.data(), k, d), host_stats);
    EXPECT_EQ(dev_stats.counts, host_stats.counts);
    EXPECT_NEAR(dev_stats.inertia, host_stats.inertia, tol * host_stats.inertia);
    for (size_t i = 0; i < dev_stats.sums.size(); ++i) {
      // Accumulated in double in the same row order; spherical rows carry a float-rounded scale.
      EXPECT_NEAR(dev_stats.sums[i], host_stats.sums[i], tol * (1 + std::abs(host_stats.sums[i])));
    }
  }
}

}  // namespace
