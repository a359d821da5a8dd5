#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tamis/core/math.hpp"

namespace {

TEST(ExpNonpositive, FloatWithinThreeUlpOfDoubleExpOverTheWholeRange)
{
  const double ulp = std::ldexp(1.0, -23);
  double worst = 0;
  for (int i = 0; i <= 2000000; ++i) {
    float x = -87.0f * static_cast<float>(i) / 2000000.0f;
    double want = std::exp(static_cast<double>(x));
    double got = tamis::exp_nonpositive(x);
    worst = std::max(worst, std::abs(got - want) / want);
  }
  EXPECT_LT(worst, 3 * ulp) << "worst relative error " << worst;
  EXPECT_EQ(tamis::exp_nonpositive(0.0f), 1.0f);
}

TEST(ExpNonpositive, UnderflowIsExactlyZeroAndDoubleIsStdExp)
{
  EXPECT_EQ(tamis::exp_nonpositive(-87.4f), 0.0f);
  EXPECT_EQ(tamis::exp_nonpositive(-1e30f), 0.0f);
  EXPECT_EQ(tamis::exp_nonpositive(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_GT(tamis::exp_nonpositive(-87.2f), 0.0f);
  for (double x : {0.0, -1e-300, -0.5, -30.0, -700.0}) EXPECT_EQ(tamis::exp_nonpositive(x), std::exp(x));
}

TEST(NegXLogX, MatchesLibmInBothPrecisions)
{
  using tamis::neg_x_log_x;
  EXPECT_EQ(neg_x_log_x(0.0f), 0.0f);
  EXPECT_EQ(neg_x_log_x(1.0f), 0.0f);
  EXPECT_LT(neg_x_log_x(1e-39f), 1e-36f);  // subnormal: read as the smallest normal
  EXPECT_EQ(neg_x_log_x(0.0), 0.0);
  EXPECT_EQ(neg_x_log_x(1.0), 0.0);
  EXPECT_LT(neg_x_log_x(1e-310), 1e-305);
  for (double p = 1.1754944e-38; p <= 1.0; p *= 1.0137) {
    const float pf = static_cast<float>(p);
    const double want = -static_cast<double>(pf) * std::log(static_cast<double>(pf));
    EXPECT_NEAR(neg_x_log_x(pf), want, 3e-7 * want) << "p = " << pf;
  }
  for (double p = 2.2250738585072014e-308; p < 1.0; p *= 1.00731) {
    const double want = -p * std::log(p);
    EXPECT_NEAR(neg_x_log_x(p), want, 5e-16 * want) << "p = " << p;
    const double q = 1.0 - p;  // near 1, where ln q is small
    EXPECT_NEAR(neg_x_log_x(q), -q * std::log(q), 5e-16 * -q * std::log(q)) << "q = 1 - " << p;
  }
}

}  // namespace
