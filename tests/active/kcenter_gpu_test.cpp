#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/kcenter.hpp"

namespace {

namespace kc = tamis::active::kcenter;

TEST(CudaKCenter, PicksAndStateEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 50000, d = 16, budget = 100;
  std::mt19937 gen(4);
  std::uniform_int_distribution<int> value(-6, 6), coin(0, 49);
  std::vector<float> x(static_cast<size_t>(n * d));  // small integers: exact distances on both sides
  for (auto& v : x) v = static_cast<float>(value(gen));
  std::vector<uint8_t> labeled(n);
  for (auto& l : labeled) l = coin(gen) == 0;
  auto dx = tamis::test::upload(res, x, n, d);
  auto dl = tamis::make_device_vector<uint8_t>(res, n);
  tamis::copy_to_device(res, dl.view(), labeled.data());
  auto hx = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  std::vector<float> want_dist(n), want_gains(budget);
  std::vector<int64_t> want(budget);
  kc::init(res, hx, tamis::make_host_vector_view<const uint8_t>(labeled.data(), n),
           tamis::make_host_vector_view(want_dist.data(), n));
  kc::select(res, hx, tamis::make_host_vector_view(want_dist.data(), n), tamis::make_host_vector_view(want.data(), budget),
             tamis::make_host_vector_view(want_gains.data(), budget));
  auto dist = tamis::make_device_vector<float>(res, n);
  auto got = tamis::make_device_vector<int64_t>(res, budget);
  auto gains = tamis::make_device_vector<float>(res, budget);
  auto cx = tamis::device_matrix_view<const float>(dx.view());
  kc::init(res, cx, tamis::device_vector_view<const uint8_t>(dl.view()), dist.view());
  kc::select(res, cx, dist.view(), got.view(), gains.view());
  EXPECT_EQ(tamis::test::download(res, got), want);
  EXPECT_EQ(tamis::test::download(res, gains), want_gains);
  EXPECT_EQ(tamis::test::download(res, dist), want_dist);
}

}  // namespace
