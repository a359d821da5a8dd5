#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/cluster_margin.hpp"

namespace {

TEST(CudaClusterMargin, PicksEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 50000, km = 5000, budget = 1000;
  std::mt19937 gen(6);
  std::uniform_real_distribution<double> unit;
  std::uniform_int_distribution<int64_t> cluster(0, 199);
  std::vector<double> scores(static_cast<size_t>(n));
  std::vector<int64_t> clusters(static_cast<size_t>(n));
  std::vector<uint8_t> labeled(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    scores[i] = unit(gen);
    clusters[i] = cluster(gen) * cluster(gen) % 200;
    labeled[i] = i % 11 == 0;
  }
  std::vector<int64_t> want(budget);
  std::vector<double> want_gains(budget);
  tamis::active::cluster_margin::select(res, tamis::make_host_vector_view<const double>(scores.data(), n),
                                        tamis::make_host_vector_view<const int64_t>(clusters.data(), n),
                                        tamis::make_host_vector_view<const uint8_t>(labeled.data(), n), km, 2,
                                        tamis::make_host_vector_view(want.data(), budget),
                                        tamis::make_host_vector_view(want_gains.data(), budget));
  auto ds = tamis::make_device_vector<double>(res, n);
  auto dc = tamis::make_device_vector<int64_t>(res, n);
  auto dl = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, ds.view(), scores.data());
  tamis::copy_to_device(res, dc.view(), clusters.data());
  tamis::copy_to_device(res, dl.view(), labeled.data());
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<double>(res, budget);
  tamis::active::cluster_margin::select(res, tamis::device_vector_view<const double>(ds.view()),
                                        tamis::device_vector_view<const int64_t>(dc.view()),
                                        tamis::device_vector_view<const uint8_t>(dl.view()), km, 2, got.view(),
                                        gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  EXPECT_EQ(tamis::test::download(res, gains), want_gains);
}

}  // namespace
