#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/select.hpp"

namespace {

namespace active = tamis::active;

TEST(CudaSelection, BatchesEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 100000, budget = 1000;
  std::mt19937 gen(8);
  std::uniform_int_distribution<int> level(0, 99), coin(0, 9);
  std::vector<float> s(n);
  std::vector<uint8_t> labeled(n);
  for (int64_t i = 0; i < n; ++i) {
    s[i] = static_cast<float>(level(gen)) / 100;
    labeled[i] = coin(gen) == 0;
  }
  auto d_s = tamis::make_device_vector<float>(res, n);
  auto d_l = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, d_s.view(), s.data());
  tamis::copy_to_device(res, d_l.view(), labeled.data());
  auto hs = tamis::make_host_vector_view<const float>(s.data(), n);
  auto hl = tamis::make_host_vector_view<const uint8_t>(labeled.data(), n);
  auto ds = tamis::device_vector_view<const float>(d_s.view());
  auto dl = tamis::device_vector_view<const uint8_t>(d_l.view());
  for (int mode = -1; mode < 3; ++mode) {  // -1: top_b
    std::vector<int64_t> want(budget);
    std::vector<float> want_scores(budget);
    auto got = tamis::make_device_vector<int64_t>(res, budget);
    auto got_scores = tamis::make_device_vector<float>(res, budget);
    auto hi = tamis::make_host_vector_view(want.data(), budget);
    auto ho = tamis::make_host_vector_view(want_scores.data(), budget);
    if (mode < 0) {
      active::top_b(res, hs, hl, hi, ho);
      active::top_b(res, ds, dl, got.view(), got_scores.view());
    } else {
      auto m = static_cast<active::sampling>(mode);
      active::stochastic_top_b(res, hs, hl, m, 1.5, 7, hi, ho);
      active::stochastic_top_b(res, ds, dl, m, 1.5, 7, got.view(), got_scores.view());
    }
    auto got_idx = tamis::test::download(res, got);
    if (mode < 0) {
      EXPECT_EQ(got_idx, want);
      EXPECT_EQ(tamis::test::download(res, got_scores), want_scores);
      continue;
    }
    // Host and device logs may differ in the last bit, which can swap two nearly equal keys.
    int64_t same = 0;
    for (int64_t j = 0; j < budget; ++j) same += got_idx[j] == want[j];
    EXPECT_GE(same, budget * 99 / 100) << "mode " << mode;
  }
  std::vector<int64_t> want(budget);
  std::vector<double> want_keys(budget);
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto got_keys = tamis::make_device_vector<double>(res, budget);
  active::random_b(res, n, hl, 11, tamis::make_host_vector_view(want.data(), budget),
                   tamis::make_host_vector_view(want_keys.data(), budget));
  active::random_b(res, n, dl, 11, got.view(), got_keys.view());
  EXPECT_EQ(tamis::test::download(res, got), want);  // uniform draws need no log: bit-equal keys
  EXPECT_EQ(tamis::test::download(res, got_keys), want_keys);
}

}  // namespace
