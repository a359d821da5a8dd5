#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/badge.hpp"

namespace {

TEST(CudaBadge, PicksEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 20000, classes = 10, d = 32, budget = 200;
  std::mt19937 gen(5);
  std::normal_distribution<double> normal;
  std::vector<double> probs(static_cast<size_t>(n * classes)), features(static_cast<size_t>(n * d));
  std::vector<uint8_t> labeled(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    double total = 0;
    for (int64_t c = 0; c < classes; ++c) total += probs[i * classes + c] = std::exp(2 * normal(gen));
    for (int64_t c = 0; c < classes; ++c) probs[i * classes + c] /= total;
    labeled[i] = i % 13 == 0;
  }
  for (auto& f : features) f = normal(gen);
  std::vector<int64_t> want(budget);
  std::vector<double> want_gains(budget);
  tamis::active::badge::select(res, tamis::make_host_matrix_view<const double>(probs.data(), n, classes),
                               tamis::make_host_matrix_view<const double>(features.data(), n, d),
                               tamis::make_host_vector_view<const uint8_t>(labeled.data(), n), 3,
                               tamis::make_host_vector_view(want.data(), budget),
                               tamis::make_host_vector_view(want_gains.data(), budget));
  auto dp = tamis::test::upload(res, probs, n, classes);
  auto df = tamis::test::upload(res, features, n, d);
  auto dl = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, dl.view(), labeled.data());
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<double>(res, budget);
  tamis::active::badge::select(res, tamis::device_matrix_view<const double>(dp.view()),
                               tamis::device_matrix_view<const double>(df.view()),
                               tamis::device_vector_view<const uint8_t>(dl.view()), 3, got.view(), gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  tamis::test::expect_near_host(tamis::test::download(res, gains), want_gains, 1e-9, "gain ");
}

}  // namespace
