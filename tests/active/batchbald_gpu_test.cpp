#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/batchbald.hpp"

namespace {

/// The device's batch equals the host's, exact steps and sampled ones (the same Philox draws).
TEST(CudaBatchBald, PicksEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 5000, members = 10, classes = 5, budget = 8, max_configurations = 2000;
  std::mt19937 gen(5);
  std::normal_distribution<double> normal;
  std::vector<double> probs(static_cast<size_t>(n * members * classes));
  std::vector<uint8_t> labeled(static_cast<size_t>(n));
  for (int64_t v = 0; v < n * members; ++v) {
    double total = 0;
    for (int64_t c = 0; c < classes; ++c) total += probs[v * classes + c] = std::exp(2 * normal(gen));
    for (int64_t c = 0; c < classes; ++c) probs[v * classes + c] /= total;
  }
  for (int64_t i = 0; i < n; ++i) labeled[i] = i % 13 == 0;
  std::vector<int64_t> want(budget);
  std::vector<double> want_gains(budget);
  tamis::active::batchbald::select(res, tamis::make_host_matrix_view<const double>(probs.data(), n, members * classes),
                                   members, tamis::make_host_vector_view<const uint8_t>(labeled.data(), n),
                                   max_configurations, 3, tamis::make_host_vector_view(want.data(), budget),
                                   tamis::make_host_vector_view(want_gains.data(), budget));
  auto dp = tamis::test::upload(res, probs, n, members * classes);
  auto dl = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, dl.view(), labeled.data());
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<double>(res, budget);
  tamis::active::batchbald::select(res, tamis::device_matrix_view<const double>(dp.view()), members,
                                   tamis::device_vector_view<const uint8_t>(dl.view()), max_configurations, 3,
                                   got.view(), gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  tamis::test::expect_near_host(tamis::test::download(res, gains), want_gains, 1e-9, "gain ");
}

}  // namespace
