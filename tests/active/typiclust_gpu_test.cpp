#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/typiclust.hpp"

namespace {

struct pool {
  int64_t n, d;
  std::vector<double> x;
  std::vector<int64_t> clusters;
  std::vector<uint8_t> labeled;
};

/// 40 Gaussian blobs of uneven sizes (each row's blob the product of two uniform draws, scaled).
pool make_pool(int64_t n, int64_t d)
{
  std::mt19937 gen(21);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int64_t> blob(0, 39);
  pool p{n, d, std::vector<double>(static_cast<size_t>(n * d)), std::vector<int64_t>(static_cast<size_t>(n)),
         std::vector<uint8_t>(static_cast<size_t>(n))};
  std::vector<double> centres(40 * static_cast<size_t>(d));
  for (auto& c : centres) c = 5 * normal(gen);
  for (int64_t i = 0; i < n; ++i) {
    p.clusters[i] = blob(gen) * blob(gen) / 39;
    for (int64_t j = 0; j < d; ++j) p.x[i * d + j] = centres[p.clusters[i] * d + j] + normal(gen);
    p.labeled[i] = i % 17 == 0;
  }
  return p;
}

TEST(CudaTypiClust, PicksEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  auto p = make_pool(20000, 16);
  const int64_t budget = 60;  // more than the blobs: the cycle comes round again
  tamis::active::typiclust::params prm;
  std::vector<int64_t> want(budget);
  std::vector<double> want_gains(budget);
  auto hx = tamis::make_host_matrix_view<const double>(p.x.data(), p.n, p.d);
  auto hl = tamis::make_host_vector_view<const uint8_t>(p.labeled.data(), p.n);
  tamis::active::typiclust::select(res, prm, hx, tamis::make_host_vector_view<const int64_t>(p.clusters.data(), p.n),
                                   hl, tamis::make_host_vector_view(want.data(), budget),
                                   tamis::make_host_vector_view(want_gains.data(), budget));
  auto dx = tamis::test::upload(res, p.x, p.n, p.d);
  auto dc = tamis::make_device_vector<int64_t>(res, p.n);
  tamis::copy_to_device(res, dc.view(), p.clusters.data());
  auto dl = tamis::make_device_vector<uint8_t>(res, p.n);
  tamis::copy_to_device(res, dl.view(), p.labeled.data());
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<double>(res, budget);
  tamis::active::typiclust::select(res, prm, tamis::device_matrix_view<const double>(dx.view()),
                                   tamis::device_vector_view<const int64_t>(dc.view()),
                                   tamis::device_vector_view<const uint8_t>(dl.view()), got.view(), gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  tamis::test::expect_near_host(tamis::test::download(res, gains), want_gains, 1e-9, "gain ");

  // With its k-means, whose double-precision fits match the host's (tests/cluster/kmeans_gpu_test.cpp).
  prm.seed = 5;
  tamis::active::typiclust::cluster_and_select(res, prm, hx, hl, tamis::make_host_vector_view(want.data(), budget),
                                               tamis::make_host_vector_view(want_gains.data(), budget));
  tamis::active::typiclust::cluster_and_select(res, prm, tamis::device_matrix_view<const double>(dx.view()),
                                               tamis::device_vector_view<const uint8_t>(dl.view()), got.view(),
                                               gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  tamis::test::expect_near_host(tamis::test::download(res, gains), want_gains, 1e-9, "k-means gain ");
}

}  // namespace
