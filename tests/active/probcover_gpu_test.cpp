#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/probcover.hpp"

namespace {

namespace pc = tamis::active::probcover;

TEST(CudaProbCover, PicksGainsStateAndPurityEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 40000, d = 16, budget = 300;
  std::mt19937 gen(4);
  std::normal_distribution<float> g;
  std::uniform_int_distribution<int> coin(0, 199), label(0, 9);
  std::vector<float> x(static_cast<size_t>(n * d));  // unit rows: δ = 0.9 holds about 240 rows per ball
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < d; ++j) s += std::pow(x[i * d + j] = g(gen), 2);
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<float>(x[i * d + j] / std::sqrt(s));
  }
  std::vector<uint8_t> labeled(n);
  for (auto& l : labeled) l = coin(gen) == 0;
  std::vector<int64_t> labels(n);
  for (auto& l : labels) l = label(gen);
  const float delta = 0.9f;
  auto hx = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  std::vector<uint8_t> want_status(n);
  std::vector<int64_t> want_degree(n), want(budget), want_gains(budget);
  pc::init(res, hx, tamis::make_host_vector_view<const uint8_t>(labeled.data(), n), delta,
           tamis::make_host_vector_view(want_status.data(), n), tamis::make_host_vector_view(want_degree.data(), n));
  pc::select(res, hx, delta, tamis::make_host_vector_view(want_status.data(), n),
             tamis::make_host_vector_view(want_degree.data(), n), tamis::make_host_vector_view(want.data(), budget),
             tamis::make_host_vector_view(want_gains.data(), budget));
  std::vector<float> want_nearest(n);
  pc::nearest_other(res, hx, tamis::make_host_vector_view<const int64_t>(labels.data(), n),
                    tamis::make_host_vector_view(want_nearest.data(), n));

  auto dx = tamis::test::upload(res, x, n, d);
  auto cx = tamis::device_matrix_view<const float>(dx.view());
  auto dl = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, dl.view(), labeled.data());
  auto status = tamis::make_device_vector<uint8_t>(res, n);
  auto degree = tamis::make_device_vector<int64_t>(res, n);
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<int64_t>(res, budget);
  pc::init(res, cx, tamis::device_vector_view<const uint8_t>(dl.view()), delta, status.view(), degree.view());
  pc::select(res, cx, delta, status.view(), degree.view(), got.view(), gains.view());
  // Ball membership is decided exactly on both sides, so the whole run agrees, not only its start.
  EXPECT_EQ(tamis::test::download(res, got), want);
  EXPECT_EQ(tamis::test::download(res, gains), want_gains);
  EXPECT_EQ(tamis::test::download(res, status), want_status);
  EXPECT_EQ(tamis::test::download(res, degree), want_degree);

  auto dlab = tamis::make_device_vector<int64_t>(res, n);
  tamis::copy_to_device(res, dlab.view(), labels.data());
  auto nearest = tamis::make_device_vector<float>(res, n);
  pc::nearest_other(res, cx, tamis::device_vector_view<const int64_t>(dlab.view()), nearest.view());
  const auto got_nearest = tamis::test::download(res, nearest);
  for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(got_nearest[i], want_nearest[i], 1e-5f) << i;
}

}  // namespace
