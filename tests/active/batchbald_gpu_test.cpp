#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/batchbald.hpp"

namespace {

/// The device's batch equals the host's, exact steps and sampled ones (the same Philox draws), in one
/// chunk and in many (a 1 MiB workspace), in double and in float.
template <typename T>
void expect_device_batch_equals_hosts(double gain_tolerance)
{
  const int64_t n = 5000, members = 10, classes = 5, budget = 8, max_configurations = 2000;
  std::mt19937 gen(5);
  std::normal_distribution<double> normal;
  std::vector<T> probs(static_cast<size_t>(n * members * classes));
  std::vector<uint8_t> labeled(static_cast<size_t>(n));
  for (int64_t v = 0; v < n * members; ++v) {
    double e[classes], total = 0;
    for (int64_t c = 0; c < classes; ++c) total += e[c] = std::exp(2 * normal(gen));
    for (int64_t c = 0; c < classes; ++c) probs[v * classes + c] = static_cast<T>(e[c] / total);
  }
  for (int64_t i = 0; i < n; ++i) labeled[i] = i % 13 == 0;
  tamis::resources res;
  std::vector<int64_t> want(budget);
  std::vector<T> want_gains(budget);
  tamis::active::batchbald::select(res, tamis::make_host_matrix_view<const T>(probs.data(), n, members * classes),
                                   members, tamis::make_host_vector_view<const uint8_t>(labeled.data(), n),
                                   max_configurations, 3, tamis::make_host_vector_view(want.data(), budget),
                                   tamis::make_host_vector_view(want_gains.data(), budget));
  tamis::resources small;
  tamis::resource::set_workspace_limit(small, 1 << 20);
  for (tamis::resources const* device_res : {&res, &small}) {
    auto dp = tamis::test::upload(*device_res, probs, n, members * classes);
    auto dl = tamis::make_device_vector<uint8_t>(*device_res, n);
    tamis::copy_to_device(*device_res, dl.view(), labeled.data());
    auto got = tamis::make_device_vector<int64_t>(*device_res, budget);
    auto gains = tamis::make_device_vector<T>(*device_res, budget);
    tamis::active::batchbald::select(*device_res, tamis::device_matrix_view<const T>(dp.view()), members,
                                     tamis::device_vector_view<const uint8_t>(dl.view()), max_configurations, 3,
                                     got.view(), gains.view());
    EXPECT_EQ(tamis::test::download(*device_res, got), want);
    tamis::test::expect_near_host(tamis::test::download(*device_res, gains), want_gains, gain_tolerance, "gain ");
  }
}

TEST(CudaBatchBald, PicksEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  expect_device_batch_equals_hosts<double>(1e-9);
  expect_device_batch_equals_hosts<float>(1e-4);
}

}  // namespace
