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

}  // namespace
