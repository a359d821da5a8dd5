#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "tamis/active/select.hpp"

namespace {

namespace active = tamis::active;
using active::sampling;

struct batch {
  std::vector<int64_t> idx;
  std::vector<double> scores;
};

batch top(std::vector<double> const& s, std::vector<uint8_t> const& labeled, int64_t budget)
{
  tamis::resources res;
  batch b{std::vector<int64_t>(static_cast<size_t>(budget)), std::vector<double>(static_cast<size_t>(budget))};
  const auto n = static_cast<int64_t>(s.size());
  active::top_b(res, tamis::make_host_vector_view(s.data(), n),
                tamis::make_host_vector_view(labeled.empty() ? nullptr : labeled.data(), labeled.empty() ? 0 : n),
                tamis::make_host_vector_view(b.idx.data(), budget),
                tamis::make_host_vector_view(b.scores.data(), budget));
  return b;
}

batch stochastic(std::vector<double> const& s, std::vector<uint8_t> const& labeled, int64_t budget, sampling mode,
                 double beta, uint64_t seed)
{
  tamis::resources res;
  batch b{std::vector<int64_t>(static_cast<size_t>(budget)), std::vector<double>(static_cast<size_t>(budget))};
  const auto n = static_cast<int64_t>(s.size());
  active::stochastic_top_b(res, tamis::make_host_vector_view(s.data(), n),
                           tamis::make_host_vector_view(labeled.empty() ? nullptr : labeled.data(),
                                                        labeled.empty() ? 0 : n),
                           mode, beta, seed, tamis::make_host_vector_view(b.idx.data(), budget),
                           tamis::make_host_vector_view(b.scores.data(), budget));
  return b;
}

TEST(TopB, BestUnlabeledFirstTiesToLowestIndex)
{
  std::mt19937 gen(3);
  std::uniform_int_distribution<int> level(0, 9), coin(0, 3);
  const int64_t n = 5000, budget = 700;
  std::vector<double> s(n);
  std::vector<uint8_t> labeled(n);
  for (int64_t i = 0; i < n; ++i) {
    s[i] = level(gen) * 0.1;  // many ties
    labeled[i] = coin(gen) == 0;
  }
  std::vector<int64_t> want;
  for (int64_t i = 0; i < n; ++i) {
    if (!labeled[i]) want.push_back(i);
  }
  std::stable_sort(want.begin(), want.end(), [&](int64_t a, int64_t b) { return s[a] > s[b]; });
  want.resize(budget);
  auto got = top(s, labeled, budget);
  EXPECT_EQ(got.idx, want);
  for (int64_t j = 0; j < budget; ++j) EXPECT_EQ(got.scores[j], s[got.idx[j]]);
  // No mask: every row is a candidate.
  std::vector<int64_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  std::stable_sort(all.begin(), all.end(), [&](int64_t a, int64_t b) { return s[a] > s[b]; });
  all.resize(budget);
  EXPECT_EQ(top(s, {}, budget).idx, all);
}

TEST(StochasticTopB, SeededBatchesAreDistinctUnlabeledAndRepeatable)
{
  const int64_t n = 300, budget = 40;
  std::vector<double> s(n);
  std::vector<uint8_t> labeled(n);
  for (int64_t i = 0; i < n; ++i) {
    s[i] = (i % 17) * 0.05;
    labeled[i] = i % 5 == 0;
  }
  for (auto mode : {sampling::power, sampling::softmax, sampling::softrank}) {
    auto a = stochastic(s, labeled, budget, mode, 1.0, 42), b = stochastic(s, labeled, budget, mode, 1.0, 42);
    EXPECT_EQ(a.idx, b.idx);
    EXPECT_NE(stochastic(s, labeled, budget, mode, 1.0, 43).idx, a.idx);
    auto sorted = a.idx;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (int64_t j = 0; j < budget; ++j) {
      EXPECT_FALSE(labeled[a.idx[j]]);
      EXPECT_EQ(a.scores[j], s[a.idx[j]]);
    }
  }
  // All unlabeled rows fit the budget: every one is taken, zero-score rows (weight 0) included.
  EXPECT_EQ(stochastic(s, labeled, n - n / 5, sampling::power, 1.0, 1).idx.size(), size_t(n - n / 5));
  auto whole = stochastic(s, labeled, n - n / 5, sampling::power, 1.0, 1).idx;
  EXPECT_TRUE(std::none_of(whole.begin(), whole.end(), [&](int64_t i) { return labeled[i] != 0; }));
}

/// The first pick of each mode is row i with probability w_i / Σ w: checked over 20,000 seeds
/// against the exact weights (power s^β, softmax e^{βs}, softrank rank^−β), within 5 binomial sd.
TEST(StochasticTopB, FirstPickFollowsTheWeights)
{
  const std::vector<double> s{0.05, 0.4, 0.1, 0.9, 0.25, 0.0};
  const int64_t n = static_cast<int64_t>(s.size()), trials = 20000;
  const double beta = 2.0;
  std::vector<double> rank_of{5, 2, 4, 1, 3, 6};
  for (auto mode : {sampling::power, sampling::softmax, sampling::softrank}) {
    std::vector<double> w(n), hits(n, 0.0);
    for (int64_t i = 0; i < n; ++i) {
      w[i] = mode == sampling::power     ? std::pow(s[i], beta)
             : mode == sampling::softmax ? std::exp(beta * s[i])
                                         : std::pow(rank_of[i], -beta);
    }
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    for (uint64_t seed = 0; seed < static_cast<uint64_t>(trials); ++seed) {
      hits[stochastic(s, {}, 1, mode, beta, seed).idx[0]] += 1;
    }
    for (int64_t i = 0; i < n; ++i) {
      const double p = w[i] / total, sd = std::sqrt(trials * p * (1 - p));
      EXPECT_NEAR(hits[i], trials * p, 5 * sd + 1) << "mode " << static_cast<int>(mode) << " row " << i;
    }
  }
}

TEST(StochasticTopB, FloatScoresKeepTheirNoiseAtExtremeWeights)
{
  // ln w = β·s far beyond float's range or precision: the keys are doubles, so the larger score
  // still always wins (softmax, β·Δs = 1e40), and equal large scores still split about evenly.
  tamis::resources res;
  std::vector<int64_t> idx(1);
  std::vector<float> picked(1);
  auto first = [&](std::vector<float> const& s, double beta, uint64_t seed) {
    active::stochastic_top_b(res, tamis::make_host_vector_view(s.data(), 2), {}, sampling::softmax, beta, seed,
                             tamis::make_host_vector_view(idx.data(), 1),
                             tamis::make_host_vector_view(picked.data(), 1));
    return idx[0];
  };
  int second_row = 0, wins = 0;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    wins += first({1e30f, 2e30f}, 1e10, seed) == 1;
    second_row += first({1e8f, 1e8f}, 1.0, seed) == 1;
  }
  EXPECT_EQ(wins, 400);
  EXPECT_NEAR(second_row, 200, 50);
}

struct random_batch {
  std::vector<int64_t> idx;
  std::vector<double> keys;
};

random_batch uniform(int64_t n, std::vector<uint8_t> const& labeled, int64_t budget, uint64_t seed)
{
  tamis::resources res;
  random_batch b{std::vector<int64_t>(static_cast<size_t>(budget)), std::vector<double>(static_cast<size_t>(budget))};
  active::random_b(res, n, tamis::make_host_vector_view(labeled.empty() ? nullptr : labeled.data(),
                                                        labeled.empty() ? 0 : n),
                   seed, tamis::make_host_vector_view(b.idx.data(), budget),
                   tamis::make_host_vector_view(b.keys.data(), budget));
  return b;
}

TEST(RandomB, IsStochasticTopBOnEqualScores)
{
  const int64_t n = 3000, budget = 400;
  std::vector<uint8_t> labeled(n);
  for (int64_t i = 0; i < n; i += 3) labeled[i] = 1;
  for (uint64_t seed : {0ULL, 5ULL, 1ULL << 40}) {
    auto got = uniform(n, labeled, budget, seed);
    EXPECT_EQ(got.idx, stochastic(std::vector<double>(n, 0.5), labeled, budget, sampling::softmax, 1.0, seed).idx);
    for (int64_t j = 0; j < budget; ++j) {
      EXPECT_EQ(labeled[got.idx[j]], 0);
      EXPECT_GT(got.keys[j], 0.0);
      EXPECT_LT(got.keys[j], 1.0);
      if (j > 0) EXPECT_GE(got.keys[j - 1], got.keys[j]);
    }
    EXPECT_EQ(uniform(n, labeled, budget, seed).idx, got.idx);
  }
  EXPECT_NE(uniform(n, labeled, budget, 1).idx, uniform(n, labeled, budget, 2).idx);
}

/// Every unlabeled row is equally likely to be in a batch: counts over 4,000 seeds within 5 binomial sd.
TEST(RandomB, EveryUnlabeledRowIsEquallyLikely)
{
  const int64_t n = 12, budget = 3, trials = 4000;
  const std::vector<uint8_t> labeled{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  std::vector<double> hits(n, 0.0);
  for (uint64_t seed = 0; seed < static_cast<uint64_t>(trials); ++seed) {
    for (int64_t i : uniform(n, labeled, budget, seed).idx) hits[i] += 1;
  }
  const double p = static_cast<double>(budget) / 10, sd = std::sqrt(trials * p * (1 - p));
  for (int64_t i = 0; i < n; ++i) {
    if (labeled[i]) EXPECT_EQ(hits[i], 0) << "row " << i;
    else EXPECT_NEAR(hits[i], trials * p, 5 * sd) << "row " << i;
  }
}

TEST(Selection, RejectsBadArguments)
{
  const std::vector<double> s{0.1, 0.2, 0.3};
  const std::vector<uint8_t> labeled{1, 1, 0};
  EXPECT_NO_THROW(top(s, labeled, 1));
  EXPECT_THROW(top(s, labeled, 2), tamis::logic_error);  // one unlabeled row
  EXPECT_THROW(top(s, {}, 4), tamis::logic_error);
  EXPECT_THROW(top({0.1, std::nan("")}, {}, 1), tamis::logic_error);
  EXPECT_THROW(stochastic({0.1, -0.2}, {}, 1, sampling::power, 1.0, 0), tamis::logic_error);
  EXPECT_NO_THROW(stochastic({0.1, -0.2}, {}, 1, sampling::softmax, 1.0, 0));
  EXPECT_THROW(stochastic(s, {}, 1, sampling::softmax, 0.0, 0), tamis::logic_error);
  EXPECT_THROW(active::parse_sampling("gibbs"), tamis::logic_error);
  EXPECT_NO_THROW(uniform(3, labeled, 1, 0));
  EXPECT_THROW(uniform(3, labeled, 2, 0), tamis::logic_error);
  EXPECT_THROW(uniform(0, {}, 1, 0), tamis::logic_error);
  tamis::resources res;
  std::vector<int64_t> idx(1);
  std::vector<double> out(1);
  std::vector<uint8_t> short_mask{0, 0};
  EXPECT_THROW(active::top_b(res, tamis::make_host_vector_view(s.data(), 3),
                             tamis::make_host_vector_view<const uint8_t>(short_mask.data(), 2),
                             tamis::make_host_vector_view(idx.data(), 1), tamis::make_host_vector_view(out.data(), 1)),
               tamis::logic_error);
}

}  // namespace
