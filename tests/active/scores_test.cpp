#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tamis/active/scores.hpp"

namespace {

namespace active = tamis::active;
using active::ensemble;
using active::uncertainty;

/// Random probability vectors (runs of `classes`), about one entry in five exactly 0, and some
/// vectors one-hot, so 0·ln 0 and vote ties are exercised.
template <typename T>
std::vector<T> random_distributions(int64_t vectors, int64_t classes, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::exponential_distribution<double> gamma1;
  std::uniform_int_distribution<int> coin(0, 4);
  std::vector<T> p(static_cast<size_t>(vectors * classes));
  for (int64_t v = 0; v < vectors; ++v) {
    std::vector<double> w(static_cast<size_t>(classes));
    const bool one_hot = v % 7 == 3;
    for (int64_t c = 0; c < classes; ++c) w[c] = one_hot ? (c == v % classes) : (coin(gen) == 0 ? 0.0 : gamma1(gen));
    if (std::all_of(w.begin(), w.end(), [](double x) { return x == 0; })) w[0] = 1;
    double total = 0;
    for (double x : w) total += x;
    for (int64_t c = 0; c < classes; ++c) p[v * classes + c] = static_cast<T>(w[c] / total);
  }
  return p;
}

double entropy_of(std::vector<double> const& q)
{
  double h = 0;
  for (double x : q) h -= x > 0 ? x * std::log(x) : 0.0;
  return h;
}

/// The definitions of scores.hpp in plain double precision, one row at a time.
double reference_uncertainty(std::vector<double> p, uncertainty kind)
{
  if (kind == uncertainty::entropy) return entropy_of(p);
  std::sort(p.begin(), p.end(), std::greater<>());
  const double p1 = p[0], p2 = p.size() > 1 ? p[1] : 0.0;
  if (kind == uncertainty::least_confidence) return 1 - p1;
  if (kind == uncertainty::margin) return 1 - (p1 - p2);
  return p1 > 0 ? p2 / p1 : 0.0;
}

double reference_ensemble(std::vector<std::vector<double>> const& members, ensemble kind)
{
  const size_t k = members.size(), classes = members[0].size();
  std::vector<double> mean(classes, 0.0), votes(classes, 0.0);
  for (auto const& p : members) {
    for (size_t c = 0; c < classes; ++c) mean[c] += p[c] / k;
    votes[std::max_element(p.begin(), p.end()) - p.begin()] += 1.0 / k;  // first maximum: lowest class
  }
  auto kl = [&](std::vector<double> const& p) {
    double s = 0;
    for (size_t c = 0; c < classes; ++c) s += p[c] > 0 ? p[c] * std::log(p[c] / mean[c]) : 0.0;
    return s;
  };
  double mean_member_entropy = 0, kl_max = 0, kl_sum = 0;
  for (auto const& p : members) {
    mean_member_entropy += entropy_of(p) / k;
    kl_max = std::max(kl_max, kl(p));
    kl_sum += kl(p);
  }
  switch (kind) {
    case ensemble::consensus_entropy: return entropy_of(mean);
    case ensemble::vote_entropy: return entropy_of(votes);
    case ensemble::kl_max: return kl_max;
    case ensemble::kl_mean: return kl_sum / k;
    case ensemble::bald: return entropy_of(mean) - mean_member_entropy;
    case ensemble::variation_ratio: return 1 - *std::max_element(mean.begin(), mean.end());
    case ensemble::vote_variation_ratio: return 1 - *std::max_element(votes.begin(), votes.end());
    default: {
      double total = 0;
      for (size_t c = 0; c < classes; ++c) {
        double var = 0;
        for (auto const& p : members) var += (p[c] - mean[c]) * (p[c] - mean[c]) / k;
        total += std::sqrt(var);
      }
      return total / classes;
    }
  }
}

template <typename T>
std::vector<T> uncertainty_of(std::vector<T> const& probs, int64_t n, int64_t classes, uncertainty kind)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(n));
  active::uncertainty_scores(res, tamis::make_host_matrix_view<const T>(probs.data(), n, classes), kind,
                             tamis::make_host_vector_view(out.data(), n));
  return out;
}

template <typename T>
std::vector<T> ensemble_of(std::vector<T> const& probs, int64_t n, int64_t members, int64_t classes, ensemble kind)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(n));
  active::ensemble_scores(res, tamis::make_host_matrix_view<const T>(probs.data(), n, members * classes), members,
                          kind, tamis::make_host_vector_view(out.data(), n));
  return out;
}

template <typename T>
class ActiveScores : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ActiveScores, Types);

TYPED_TEST(ActiveScores, UncertaintyMatchesReference)
{
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 2e-6 : 1e-13;
  for (int64_t classes : {1, 2, 3, 10, 257}) {
    const int64_t n = 45;
    auto probs = random_distributions<T>(n, classes, static_cast<uint32_t>(classes));
    for (auto kind : {uncertainty::least_confidence, uncertainty::margin, uncertainty::ratio, uncertainty::entropy}) {
      auto got = uncertainty_of(probs, n, classes, kind);
      for (int64_t i = 0; i < n; ++i) {
        std::vector<double> row(probs.begin() + i * classes, probs.begin() + (i + 1) * classes);
        const double want = reference_uncertainty(row, kind);
        EXPECT_NEAR(got[i], want, tol * (1 + std::abs(want) * classes)) << "C " << classes << " row " << i;
      }
    }
  }
}

TEST(ActiveScores, ScikitActivemlVectors)
{
  // skactiveml pool/tests/test_uncertainty_sampling.py (margin there is 1 − margin, as here).
  const std::vector<double> probs{0.2, 0.5, 0.3, 0.1, 0.7, 0.2};
  auto lc = uncertainty_of(probs, 2, 3, uncertainty::least_confidence);
  auto h = uncertainty_of(probs, 2, 3, uncertainty::entropy);
  auto m = uncertainty_of(probs, 2, 3, uncertainty::margin);
  auto r = uncertainty_of(probs, 2, 3, uncertainty::ratio);
  EXPECT_NEAR(lc[0], 0.5, 1e-12);
  EXPECT_NEAR(lc[1], 0.3, 1e-12);
  EXPECT_NEAR(h[0], 1.029653014, 1e-9);
  EXPECT_NEAR(h[1], 0.8018185525, 1e-9);
  EXPECT_NEAR(m[0], 0.8, 1e-12);
  EXPECT_NEAR(m[1], 0.5, 1e-12);
  EXPECT_NEAR(r[0], 0.6, 1e-12);
  EXPECT_NEAR(r[1], 0.2 / 0.7, 1e-12);
}

TYPED_TEST(ActiveScores, EnsembleMatchesReference)
{
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  for (auto [members, classes] : {std::pair<int64_t, int64_t>{1, 4}, {5, 1}, {5, 3}, {20, 10}, {3, 100}}) {
    const int64_t n = 31;
    auto probs = random_distributions<T>(n * members, classes, static_cast<uint32_t>(members * 100 + classes));
    for (auto kind : {ensemble::consensus_entropy, ensemble::vote_entropy, ensemble::kl_max, ensemble::kl_mean,
                      ensemble::bald, ensemble::variation_ratio, ensemble::vote_variation_ratio, ensemble::mean_std}) {
      auto got = ensemble_of(probs, n, members, classes, kind);
      for (int64_t i = 0; i < n; ++i) {
        std::vector<std::vector<double>> row;
        for (int64_t k = 0; k < members; ++k) {
          auto first = probs.begin() + (i * members + k) * classes;
          row.emplace_back(first, first + classes);
        }
        const double want = reference_ensemble(row, kind);
        EXPECT_NEAR(got[i], want, tol * (1 + std::abs(want)) * (1 + std::log(1.0 + classes)))
          << "K " << members << " C " << classes << " kind " << static_cast<int>(kind) << " row " << i;
      }
    }
  }
}

TEST(ActiveScores, KlMeanIsBaldAndAgreementScoresZero)
{
  const int64_t n = 50, members = 8, classes = 6;
  auto probs = random_distributions<double>(n * members, classes, 9);
  auto bald = ensemble_of(probs, n, members, classes, ensemble::bald);
  auto kl_mean = ensemble_of(probs, n, members, classes, ensemble::kl_mean);
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_NEAR(bald[i], kl_mean[i], 1e-12);
    EXPECT_GE(bald[i], 0.0);
  }
  // Members that agree exactly carry no disagreement, whatever their own uncertainty.
  std::vector<double> same;
  auto one = random_distributions<double>(n, classes, 10);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t k = 0; k < members; ++k) {
      same.insert(same.end(), one.begin() + i * classes, one.begin() + (i + 1) * classes);
    }
  }
  for (auto kind : {ensemble::bald, ensemble::kl_max, ensemble::kl_mean, ensemble::vote_entropy,
                    ensemble::vote_variation_ratio, ensemble::mean_std}) {
    for (double v : ensemble_of(same, n, members, classes, kind)) EXPECT_NEAR(v, 0.0, 1e-12);
  }
}

TEST(ActiveScores, SubnormalProbabilityKeepsKlFinite)
{
  // The mean of one subnormal and two zeros underflows to 0: the KL term must not divide by it.
  const float tiny = std::numeric_limits<float>::denorm_min();
  const std::vector<float> probs{1 - tiny, tiny, 1, 0, 1, 0};
  for (auto kind : {ensemble::kl_max, ensemble::kl_mean}) {
    auto got = ensemble_of(probs, 1, 3, 2, kind);
    EXPECT_TRUE(std::isfinite(got[0]));
    EXPECT_NEAR(got[0], 0.0, 1e-30);
  }
}

TEST(ActiveScores, RejectsWhatIsNotADistribution)
{
  tamis::resources res;
  std::vector<double> out(2);
  auto run = [&](std::vector<double> probs, int64_t cols) {
    active::uncertainty_scores(res, tamis::make_host_matrix_view<const double>(probs.data(), 2, cols),
                               uncertainty::entropy, tamis::make_host_vector_view(out.data(), 2));
  };
  EXPECT_NO_THROW(run({0.5, 0.5, 0.25, 0.75}, 2));
  EXPECT_THROW(run({0.5, 0.4, 0.25, 0.75}, 2), tamis::logic_error);                                 // sum 0.9
  EXPECT_THROW(run({1.5, -0.5, 0.25, 0.75}, 2), tamis::logic_error);                                // negative
  EXPECT_THROW(run({std::nan(""), 0.5, 0.25, 0.75}, 2), tamis::logic_error);                        // NaN
  EXPECT_THROW(run({std::numeric_limits<double>::infinity(), 0, 0.25, 0.75}, 2), tamis::logic_error);
  std::vector<double> probs{0.5, 0.5, 0.25, 0.75};
  EXPECT_THROW(active::uncertainty_scores(res, tamis::make_host_matrix_view<const double>(probs.data(), 2, 2),
                                          uncertainty::entropy, tamis::make_host_vector_view(out.data(), 1)),
               tamis::logic_error);  // out too short
  std::vector<double> ens{0.5, 0.5, 0.2, 0.8, 0.1, 0.9};
  EXPECT_THROW(active::ensemble_scores(res, tamis::make_host_matrix_view<const double>(ens.data(), 1, 6), 4,
                                       ensemble::bald, tamis::make_host_vector_view(out.data(), 1)),
               tamis::logic_error);  // 4 members do not divide 6 columns
  EXPECT_THROW(active::ensemble_scores(res, tamis::make_host_matrix_view<const double>(ens.data(), 2, 3), 3,
                                       ensemble::bald, tamis::make_host_vector_view(out.data(), 2)),
               tamis::logic_error);  // members of one class each: 0.5 is not a distribution over 1 class
  EXPECT_THROW(active::parse_uncertainty("margins"), tamis::logic_error);
  EXPECT_THROW(active::parse_ensemble("BALD"), tamis::logic_error);
}

}  // namespace
