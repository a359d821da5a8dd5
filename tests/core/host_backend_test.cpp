#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "tamis/core/resources.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/transpose.hpp"

namespace {

using backend = tamis::detail::host_backend;

void expect_stable_sorted(std::vector<int64_t> keys)
{
  tamis::resources res;
  const auto n = static_cast<int64_t>(keys.size());
  std::vector<int64_t> values(keys.size());
  std::iota(values.begin(), values.end(), 0);
  std::vector<int64_t> order = values;
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return keys[a] < keys[b]; });
  std::vector<int64_t> sorted_keys(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) sorted_keys[i] = keys[order[i]];
  backend::stable_sort_by_key(res, keys.data(), values.data(), n);
  EXPECT_EQ(values, order);
  EXPECT_EQ(keys, sorted_keys);
}

TEST(HostBackend, StableSortByKeySmallRangeUsesCountingSortAndStaysStable)
{
  std::mt19937 gen(1);
  std::uniform_int_distribution<int64_t> label(-3, 40);
  std::vector<int64_t> keys(5000);
  for (auto& k : keys) k = label(gen);
  expect_stable_sorted(keys);
}

TEST(HostBackend, StableSortByKeyWideRangeFallsBackToComparisonSort)
{
  std::mt19937 gen(2);
  std::uniform_int_distribution<int64_t> wide(std::numeric_limits<int64_t>::min() / 2, std::numeric_limits<int64_t>::max() / 2);
  std::vector<int64_t> keys(3000);
  for (auto& k : keys) k = wide(gen) / (int64_t{1} << 50);  // wide but with repeats
  keys[7] = std::numeric_limits<int64_t>::max();
  keys[9] = std::numeric_limits<int64_t>::min();
  expect_stable_sorted(keys);
  expect_stable_sorted({});
  expect_stable_sorted({5});
}

TEST(HostBackend, SortSegmentsSortsEachRunAlone)
{
  tamis::resources res;
  std::mt19937 gen(3);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int64_t segments : {1, 2, 7}) {
    for (int64_t length : {1, 5, 300}) {
      std::vector<double> keys(static_cast<size_t>(segments * length));
      for (auto& k : keys) k = std::round(u(gen) * 20);  // repeats
      std::vector<double> want = keys;
      for (int64_t s = 0; s < segments; ++s) std::sort(want.begin() + s * length, want.begin() + (s + 1) * length);
      backend::sort_segments(res, keys.data(), segments, length);
      EXPECT_EQ(keys, want) << segments << " runs of " << length;
    }
  }
}

TEST(HostBackend, NthElementPlacesTheOrderStatistic)
{
  tamis::resources res;
  std::mt19937 gen(4);
  std::uniform_int_distribution<int> u(-50, 50);
  for (int64_t n : {1, 2, 7, 1000}) {
    std::vector<double> keys(static_cast<size_t>(n));
    for (auto& k : keys) k = u(gen);  // repeats
    std::vector<double> sorted = keys;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t k : {int64_t{0}, n / 2, n - 1}) {
      std::vector<double> work = keys;
      backend::nth_element(res, work.data(), n, k);
      ASSERT_EQ(work[k], sorted[k]) << n << " " << k;
      for (int64_t i = 0; i < k; ++i) ASSERT_LE(work[i], work[k]);
      for (int64_t i = k + 1; i < n; ++i) ASSERT_GE(work[i], work[k]);
    }
  }
}

TEST(HostBackend, TransposeMovesEveryElement)
{
  tamis::resources res;
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{1, 1}, {3, 5}, {70, 2}, {129, 33}}) {
    std::vector<float> in(static_cast<size_t>(rows * cols)), out(in.size());
    std::iota(in.begin(), in.end(), 0.f);
    tamis::detail::transpose<backend>(res, in.data(), rows, cols, out.data());
    for (int64_t i = 0; i < rows; ++i) {
      for (int64_t j = 0; j < cols; ++j) ASSERT_EQ(out[j * rows + i], in[i * cols + j]) << i << "," << j;
    }
  }
}

TEST(HostBackend, ScanAndDeterministicReductions)
{
  tamis::resources res;
  std::vector<double> x(10001);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 1.0 / double(i + 1);
  std::vector<double> scan(x.size());
  backend::inclusive_scan(res, x.data(), scan.data(), static_cast<int64_t>(x.size()));
  double acc = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    acc += x[i];
    ASSERT_EQ(scan[i], acc);
  }
  double total = tamis::detail::sum<backend>(res, x.data(), static_cast<int64_t>(x.size()));
  EXPECT_NEAR(total, acc, 1e-12);
  tamis::resources one;
  tamis::resource::set_num_threads(one, 1);
  EXPECT_EQ(total, tamis::detail::sum<backend>(one, x.data(), static_cast<int64_t>(x.size())));

  std::vector<float> f(9000, 1.f);
  f[10] = std::numeric_limits<float>::infinity();
  f[8000] = std::numeric_limits<float>::quiet_NaN();
  f[8001] = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(tamis::detail::count_nonfinite<backend>(res, f.data(), 9000), 3);
  EXPECT_EQ(tamis::detail::count_if<backend>(res, f.data(), 9000, tamis::detail::is_nan{}), 1);
  std::vector<float> g = f;
  g[5] = 2.f;
  g[8999] = 0.f;
  EXPECT_EQ(tamis::detail::count_not_equal<backend>(res, f.data(), g.data(), 8000), 1);
}

TEST(HostBackend, ArgmaxTakesTheLowestIndexOfTheLargestAndNeverANaN)
{
  tamis::resources res;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> v(10000, 1.0);  // more than one reduction block
  v[0] = nan;             // a block's first element
  v[backend::reduction_block] = nan;
  v[7] = 3.0;
  v[9000] = 3.0;          // a tie in a later block
  auto [at, value] = tamis::detail::argmax<backend>(res, v.data(), static_cast<int64_t>(v.size()));
  EXPECT_EQ(at, 7);
  EXPECT_EQ(value, 3.0);
  std::vector<double> all_nan(3, nan);
  EXPECT_TRUE(std::isnan(tamis::detail::argmax<backend>(res, all_nan.data(), 3).second));
}

}  // namespace
