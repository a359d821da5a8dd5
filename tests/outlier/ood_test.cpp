#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "reference.hpp"
#include "tamis/outlier/ood.hpp"

namespace {

namespace ood = tamis::outlier::ood;
using ood::logit_score;

/// Plain double-precision definitions (higher = more OOD), straight from the papers' formulas.
double reference_score(const double* f, int64_t classes, logit_score kind, double t)
{
  double top = f[0];
  for (int64_t c = 1; c < classes; ++c) top = std::max(top, f[c]);
  if (kind == logit_score::max_logit) return -top;
  double lse = 0;
  for (int64_t c = 0; c < classes; ++c) lse += std::exp(f[c] / t - top / t);
  lse = top / t + std::log(lse);
  if (kind == logit_score::energy) return -t * lse;
  double max_p = 0, h = 0;
  for (int64_t c = 0; c < classes; ++c) {
    double p = std::exp(f[c] / t - lse);
    max_p = std::max(max_p, p);
    if (p > 0) h -= p * std::log(p);
  }
  return kind == logit_score::msp ? -max_p : h;
}

template <typename T>
std::vector<T> scores(std::vector<T> const& logits, int64_t n, int64_t classes, logit_score kind, T t)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(n));
  ood::logit_scores(res, tamis::make_host_matrix_view<const T>(logits.data(), n, classes), kind, t,
                    tamis::make_host_vector_view(out.data(), n));
  return out;
}

template <typename T>
class LogitScores : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(LogitScores, Types);

TYPED_TEST(LogitScores, EveryKindMatchesReferenceAcrossTemperatures)
{
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
  for (int64_t classes : {1, 2, 10, 1000}) {
    const int64_t n = 37;
    auto logits = tamis::test::random_matrix<T>(n, classes, 3);
    for (auto& v : logits) v *= T(4);
    for (auto kind : {logit_score::msp, logit_score::max_logit, logit_score::energy, logit_score::entropy}) {
      for (T t : {T(1), T(0.5), T(1000)}) {
        auto got = scores(logits, n, classes, kind, t);
        for (int64_t i = 0; i < n; ++i) {
          std::vector<double> row(logits.begin() + i * classes, logits.begin() + (i + 1) * classes);
          double want = reference_score(row.data(), classes, kind, t);
          ASSERT_NEAR(got[i], want, tol * (1 + std::abs(want))) << "C=" << classes << " t=" << t << " row " << i;
        }
      }
    }
  }
}

TYPED_TEST(LogitScores, KnownValuesAndHugeLogitsDoNotOverflow)
{
  using T = TypeParam;
  // Uniform logits: MSP = −1/C, entropy = ln C, energy = −(f + ln C).
  std::vector<T> uniform(4, T(7));
  EXPECT_NEAR(scores(uniform, 1, 4, logit_score::msp, T(1))[0], -0.25, 1e-6);
  EXPECT_NEAR(scores(uniform, 1, 4, logit_score::entropy, T(1))[0], std::log(4.0), 1e-6);
  EXPECT_NEAR(scores(uniform, 1, 4, logit_score::energy, T(1))[0], -(7 + std::log(4.0)), 1e-5);
  // Logits far past exp's range: still finite, and a confident row scores lower (more ID).
  std::vector<T> huge{T(1000), T(-1000), T(0), T(999), T(999), T(999)};
  for (auto kind : {logit_score::msp, logit_score::entropy}) {
    auto s = scores(huge, 2, 3, kind, T(1));
    EXPECT_TRUE(std::isfinite(double(s[0])) && std::isfinite(double(s[1])));
    EXPECT_LT(s[0], s[1]) << int(kind);
  }
  auto energy = scores(huge, 2, 3, logit_score::energy, T(1));
  EXPECT_NEAR(energy[0], -1000.0, 1e-3);
  EXPECT_NEAR(energy[1], -(999 + std::log(3.0)), 1e-3);
  EXPECT_EQ(scores(huge, 2, 3, logit_score::entropy, T(1))[0], T(0));  // p = (1, 0, 0): 0·ln 0 = 0
}

TEST(LogitScoresErrors, BadArguments)
{
  tamis::resources res;
  std::vector<float> logits{1, 2, 3, 4}, out(2);
  auto call = [&](float t, int64_t out_len) {
    ood::logit_scores(res, tamis::make_host_matrix_view<const float>(logits.data(), 2, 2), logit_score::energy, t,
                      tamis::make_host_vector_view(out.data(), out_len));
  };
  EXPECT_NO_THROW(call(1.f, 2));
  EXPECT_THROW(call(0.f, 2), tamis::logic_error);
  EXPECT_THROW(call(-1.f, 2), tamis::logic_error);
  EXPECT_THROW(call(std::numeric_limits<float>::infinity(), 2), tamis::logic_error);
  EXPECT_THROW(call(1.f, 3), tamis::logic_error);
  logits[1] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(call(1.f, 2), tamis::logic_error);
  EXPECT_THROW(ood::parse_logit_score("odin"), tamis::logic_error);
  EXPECT_EQ(ood::parse_logit_score("energy"), logit_score::energy);
}

}  // namespace
