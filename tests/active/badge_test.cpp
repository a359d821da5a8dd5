#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tamis/active/badge.hpp"
#include "tamis/core/rng.hpp"

namespace {

struct problem {
  int64_t n, classes, d;
  std::vector<double> probs, features;
  std::vector<uint8_t> labeled;
};

problem make_problem(int64_t n, int64_t classes, int64_t d, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> coin(0, 9);
  problem pr{n, classes, d, std::vector<double>(static_cast<size_t>(n * classes)),
             std::vector<double>(static_cast<size_t>(n * d)), std::vector<uint8_t>(static_cast<size_t>(n))};
  for (int64_t i = 0; i < n; ++i) {
    double total = 0;
    for (int64_t c = 0; c < classes; ++c) total += pr.probs[i * classes + c] = std::exp(2 * normal(gen));
    for (int64_t c = 0; c < classes; ++c) pr.probs[i * classes + c] /= total;
    for (int64_t j = 0; j < d; ++j) pr.features[i * d + j] = normal(gen);
    pr.labeled[i] = coin(gen) == 0;
  }
  return pr;
}

/// BADGE on the materialised gradient embeddings g_i = (e_ŷ − p_i) ⊗ h_i, in double, with the same
/// Philox draws: the first pick the largest ‖g‖, then the first row whose running sum of D² exceeds u·ΣD².
std::pair<std::vector<int64_t>, std::vector<double>> reference(problem const& pr, uint64_t seed, int64_t budget)
{
  const int64_t n = pr.n, dim = pr.classes * pr.d;
  std::vector<double> g(static_cast<size_t>(n * dim));
  for (int64_t i = 0; i < n; ++i) {
    const double* p = pr.probs.data() + i * pr.classes;
    const int64_t yhat = std::max_element(p, p + pr.classes) - p;
    for (int64_t c = 0; c < pr.classes; ++c) {
      for (int64_t j = 0; j < pr.d; ++j) g[i * dim + c * pr.d + j] = ((c == yhat) - p[c]) * pr.features[i * pr.d + j];
    }
  }
  auto dist2 = [&](int64_t a, int64_t b) {
    double s = 0;
    for (int64_t k = 0; k < dim; ++k) s += (g[a * dim + k] - g[b * dim + k]) * (g[a * dim + k] - g[b * dim + k]);
    return s;
  };
  std::vector<int64_t> picks;
  std::vector<double> gains;
  int64_t first = -1;
  double best = -1;
  for (int64_t i = 0; i < n; ++i) {
    const double norm2 = pr.labeled[i] ? -1 : dist2(i, i) + [&] {
      double s = 0;
      for (int64_t k = 0; k < dim; ++k) s += g[i * dim + k] * g[i * dim + k];
      return s;
    }();
    if (norm2 > best) {
      best = norm2;
      first = i;
    }
  }
  picks.push_back(first);
  gains.push_back(best);
  std::vector<double> d2(static_cast<size_t>(n), std::numeric_limits<double>::infinity());
  tamis::philox_stream rng(seed, 0);
  for (int64_t p = 1; p < budget; ++p) {
    double total = 0;
    std::vector<double> cumsum(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      d2[i] = pr.labeled[i] ? 0.0 : std::min(d2[i], dist2(i, picks.back()));
      cumsum[i] = total += d2[i];
    }
    const double u = rng.uniform(static_cast<uint64_t>(p)) * total;
    const int64_t pick = std::upper_bound(cumsum.begin(), cumsum.end(), u) - cumsum.begin();
    picks.push_back(pick);
    gains.push_back(d2[pick]);
  }
  return {picks, gains};
}

template <typename T>
std::pair<std::vector<int64_t>, std::vector<T>> run(problem const& pr, uint64_t seed, int64_t budget,
                                                    bool use_mask = true)
{
  std::vector<T> probs(pr.probs.begin(), pr.probs.end()), features(pr.features.begin(), pr.features.end());
  std::vector<int64_t> idx(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  tamis::resources res;
  tamis::active::badge::select(
    res, tamis::make_host_matrix_view<const T>(probs.data(), pr.n, pr.classes),
    tamis::make_host_matrix_view<const T>(features.data(), pr.n, pr.d),
    tamis::make_host_vector_view<const uint8_t>(use_mask ? pr.labeled.data() : nullptr, use_mask ? pr.n : 0), seed,
    tamis::make_host_vector_view(idx.data(), budget), tamis::make_host_vector_view(gains.data(), budget));
  return {idx, gains};
}

TEST(Badge, FactorisedSeedingEqualsMaterialisedReference)
{
  for (uint64_t seed : {0u, 1u, 7u}) {
    auto pr = make_problem(400, 6, 9, static_cast<uint32_t>(seed) + 10);
    auto [want, want_gains] = reference(pr, seed, 40);
    auto [got, gains] = run<double>(pr, seed, 40);
    EXPECT_EQ(got, want) << "seed " << seed;
    for (size_t p = 0; p < got.size(); ++p) EXPECT_NEAR(gains[p], want_gains[p], 1e-9 * (1 + want_gains[p]));
    for (int64_t i : got) EXPECT_FALSE(pr.labeled[i]);
    auto sorted = got;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end());
    auto [got_f, gains_f] = run<float>(pr, seed, 40);
    EXPECT_EQ(got_f, want) << "float, seed " << seed;
  }
}

TEST(Badge, ConfidentRowsKeepTheirDistances)
{
  // p = (1 − ε, 0.3ε, 0.7ε) with ε down to 1e-9: ‖a‖ ~ ε, where 1 − 2p_ŷ + ‖p‖² would cancel to noise.
  problem pr = make_problem(50, 3, 6, 21);
  std::mt19937 gen(2);
  std::uniform_real_distribution<double> eps(1e-10, 1e-9);
  for (int64_t i = 0; i < pr.n; ++i) {
    const double e = eps(gen);
    pr.probs[i * 3] = 1 - e;
    pr.probs[i * 3 + 1] = 0.3 * e;
    pr.probs[i * 3 + 2] = 0.7 * e;
  }
  auto [want, want_gains] = reference(pr, 5, 10);
  auto [got, gains] = run<double>(pr, 5, 10);
  EXPECT_EQ(got, want);
  for (size_t p = 0; p < got.size(); ++p) EXPECT_NEAR(gains[p], want_gains[p], 1e-6 * want_gains[p]);
}

TEST(Badge, RejectsBadInputAndExhaustedPools)
{
  auto pr = make_problem(50, 3, 4, 3);
  EXPECT_THROW(run<double>(pr, 0, 60, false), tamis::logic_error);   // budget > rows
  auto bad = pr;
  bad.probs[5] += 0.1;                                                 // a row summing to 1.1
  EXPECT_THROW(run<double>(bad, 0, 5), tamis::logic_error);
  bad = pr;
  bad.features[7] = std::nan("");
  EXPECT_THROW(run<double>(bad, 0, 5), tamis::logic_error);
  // Three distinct rows repeated: only three picks have D² > 0.
  problem dup{9, 3, 4, {}, {}, std::vector<uint8_t>(9)};
  for (int64_t i = 0; i < 9; ++i) {
    dup.probs.insert(dup.probs.end(), pr.probs.begin() + (i % 3) * 3, pr.probs.begin() + (i % 3) * 3 + 3);
    dup.features.insert(dup.features.end(), pr.features.begin() + (i % 3) * 4, pr.features.begin() + (i % 3) * 4 + 4);
  }
  EXPECT_NO_THROW(run<double>(dup, 0, 3));
  EXPECT_THROW(run<double>(dup, 0, 4), tamis::logic_error);
}

}  // namespace
