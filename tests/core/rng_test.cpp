#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tamis/core/rng.hpp"

namespace {

TEST(Philox, MatchesRandom123KnownAnswer)
{
  // Random123's published known-answer vector for Philox4x32-10, counter = key = 0:
  // 6627e8d5 e169c58d bc57ac4c 9b00dbd8. uniform() builds 53 bits from the first two words.
  tamis::philox_stream rng(0, 0);
  uint64_t hi = 0x6627e8d5ull >> 5, lo = 0xe169c58dull >> 6;
  double expected = static_cast<double>((hi << 26) | lo) / 9007199254740992.0;
  EXPECT_EQ(rng.uniform(0), expected);
}

TEST(Philox, PureFunctionOfSeedStreamCounter)
{
  tamis::philox_stream a(42, 3), b(42, 3), c(43, 3), d(42, 4);
  EXPECT_EQ(a.uniform(17), b.uniform(17));
  EXPECT_NE(a.uniform(17), c.uniform(17));
  EXPECT_NE(a.uniform(17), d.uniform(17));
}

TEST(Philox, UniformMomentsAndIndexRange)
{
  tamis::philox_stream rng(7, 0);
  const int n = 200000;
  double sum = 0, sumsq = 0;
  std::vector<int> hist(10, 0);
  for (int i = 0; i < n; ++i) {
    double u = rng.uniform(i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sumsq += u * u;
    auto j = rng.uniform_index(i, 10);
    ASSERT_LT(j, 10u);
    hist[j]++;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sumsq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
  double chi2 = 0;
  for (int h : hist) chi2 += (h - n / 10.0) * (h - n / 10.0) / (n / 10.0);
  EXPECT_LT(chi2, 27.9);  // chi-square, 9 degrees of freedom, p = 0.001
}

}  // namespace
