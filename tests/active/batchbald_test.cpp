#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "tamis/active/batchbald.hpp"
#include "tamis/active/scores.hpp"

namespace {

struct problem {
  int64_t n, members, classes;
  std::vector<double> probs;  // n × members × classes
  std::vector<uint8_t> labeled;
  double p(int64_t i, int64_t k, int64_t c) const { return probs[(i * members + k) * classes + c]; }
};

/// Members that disagree: each row's K distributions are softmaxes of a shared and a per-member part.
problem make_problem(int64_t n, int64_t members, int64_t classes, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> coin(0, 5);
  problem pr{n, members, classes, std::vector<double>(static_cast<size_t>(n * members * classes)),
             std::vector<uint8_t>(static_cast<size_t>(n))};
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> shared(static_cast<size_t>(classes));
    for (auto& s : shared) s = 1.5 * normal(gen);
    for (int64_t k = 0; k < members; ++k) {
      double* p = pr.probs.data() + (i * members + k) * classes;
      double total = 0;
      for (int64_t c = 0; c < classes; ++c) total += p[c] = std::exp(shared[c] + 1.5 * normal(gen));
      for (int64_t c = 0; c < classes; ++c) p[c] /= total;
    }
    pr.labeled[i] = coin(gen) == 0;
  }
  return pr;
}

/// a(rows) = H(y_rows) − Σ_i mean_k H(p_k(x_i)), the joint enumerated over all C^|rows| configurations.
double acquisition(problem const& pr, std::vector<int64_t> const& rows)
{
  std::vector<double> prod(static_cast<size_t>(pr.members), 1.0);
  double joint_entropy = 0;
  auto walk = [&](auto&& self, size_t depth) -> void {
    if (depth == rows.size()) {
      double joint = 0;
      for (double v : prod) joint += v / static_cast<double>(pr.members);
      joint_entropy -= joint > 0 ? joint * std::log(joint) : 0;
      return;
    }
    const std::vector<double> saved = prod;
    for (int64_t c = 0; c < pr.classes; ++c) {
      for (int64_t k = 0; k < pr.members; ++k) prod[k] = saved[k] * pr.p(rows[depth], k, c);
      self(self, depth + 1);
    }
    prod = saved;
  };
  walk(walk, 0);
  double cond = 0;
  for (int64_t i : rows) {
    for (int64_t k = 0; k < pr.members; ++k) {
      for (int64_t c = 0; c < pr.classes; ++c) {
        const double v = pr.p(i, k, c);
        cond -= v > 0 ? v * std::log(v) / static_cast<double>(pr.members) : 0;
      }
    }
  }
  return joint_entropy - cond;
}

/// Greedy BatchBALD by brute force: each step the unlabeled, unpicked row of largest a(picks + row),
/// the lowest index on ties; gains are the differences of a along the picks.
std::pair<std::vector<int64_t>, std::vector<double>> reference(problem const& pr, int64_t budget, bool use_mask)
{
  std::vector<int64_t> picks;
  std::vector<double> gains;
  double previous = 0;
  for (int64_t step = 0; step < budget; ++step) {
    int64_t best = -1;
    double best_value = 0;
    for (int64_t i = 0; i < pr.n; ++i) {
      if ((use_mask && pr.labeled[i]) || std::find(picks.begin(), picks.end(), i) != picks.end()) continue;
      auto rows = picks;
      rows.push_back(i);
      const double value = acquisition(pr, rows);
      if (best < 0 || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    picks.push_back(best);
    gains.push_back(best_value - previous);
    previous = best_value;
  }
  return {picks, gains};
}

/// The reference gains of a given pick sequence.
std::vector<double> reference_gains(problem const& pr, std::vector<int64_t> const& picks)
{
  std::vector<double> gains;
  double previous = 0;
  for (size_t j = 1; j <= picks.size(); ++j) {
    const double value = acquisition(pr, std::vector<int64_t>(picks.begin(), picks.begin() + j));
    gains.push_back(value - previous);
    previous = value;
  }
  return gains;
}

template <typename T>
std::pair<std::vector<int64_t>, std::vector<T>> run(problem const& pr, int64_t budget, int64_t max_configurations,
                                                    uint64_t seed = 0, bool use_mask = true,
                                                    tamis::resources const& res = tamis::resources{})
{
  std::vector<T> probs(pr.probs.begin(), pr.probs.end());
  std::vector<int64_t> idx(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  tamis::active::batchbald::select(
    res, tamis::make_host_matrix_view<const T>(probs.data(), pr.n, pr.members * pr.classes), pr.members,
    tamis::make_host_vector_view<const uint8_t>(use_mask ? pr.labeled.data() : nullptr, use_mask ? pr.n : 0),
    max_configurations, seed, tamis::make_host_vector_view(idx.data(), budget),
    tamis::make_host_vector_view(gains.data(), budget));
  return {idx, gains};
}

TEST(BatchBald, ExactPicksEqualBruteForceGreedy)
{
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    auto pr = make_problem(12, 5, 3, seed);
    for (bool use_mask : {true, false}) {
      const int64_t budget = use_mask ? 4 : 6;
      auto [want, want_gains] = reference(pr, budget, use_mask);
      auto [got, gains] = run<double>(pr, budget, 1000, 0, use_mask);
      EXPECT_EQ(got, want) << "seed " << seed;
      for (size_t j = 0; j < got.size(); ++j) EXPECT_NEAR(gains[j], want_gains[j], 1e-10);
      if (use_mask) {
        for (int64_t i : got) EXPECT_FALSE(pr.labeled[i]);
      }
      auto [got_f, gains_f] = run<float>(pr, budget, 1000, 0, use_mask);
      EXPECT_EQ(got_f, want) << "float, seed " << seed;
      for (size_t j = 0; j < got.size(); ++j) EXPECT_NEAR(gains_f[j], want_gains[j], 1e-5);
    }
  }
}

TEST(BatchBald, FirstPickIsBaldsTopPick)
{
  auto pr = make_problem(300, 8, 10, 9);
  std::vector<double> bald(static_cast<size_t>(pr.n));
  tamis::resources res;
  tamis::active::ensemble_scores(res, tamis::make_host_matrix_view<const double>(pr.probs.data(), pr.n, 80), 8,
                                 tamis::active::ensemble::bald, tamis::make_host_vector_view(bald.data(), pr.n));
  int64_t best = -1;
  for (int64_t i = 0; i < pr.n; ++i) {
    if (!pr.labeled[i] && (best < 0 || bald[i] > bald[best])) best = i;
  }
  auto [got, gains] = run<double>(pr, 1, 100);
  EXPECT_EQ(got[0], best);
  EXPECT_NEAR(gains[0], bald[best], 1e-12);
}

TEST(BatchBald, ChunksAndThreadsGiveTheSameBatch)
{
  // 1 MiB of workspace holds a few of the 2,000 candidates' joints at once (13 once sampled); the last
  // picks are sampled.
  auto pr = make_problem(2000, 5, 10, 4);
  tamis::resources small, one_thread;
  tamis::resource::set_workspace_limit(small, 1 << 20);
  tamis::resource::set_num_threads(one_thread, 1);
  auto want = run<double>(pr, 5, 1000, 3);
  EXPECT_EQ(run<double>(pr, 5, 1000, 3, true, small), want);
  EXPECT_EQ(run<double>(pr, 5, 1000, 3, true, one_thread), want);
  EXPECT_EQ(run<float>(pr, 5, 1000, 3, true, small), run<float>(pr, 5, 1000, 3, true, one_thread));
}

TEST(BatchBald, SampledEstimateConvergesToExact)
{
  // C^8 = 65,536 > every limit below: the last steps are sampled, from ⌊limit / K⌋ draws per member.
  // Each run's gains are compared with the exact gains of the picks it made.
  const int64_t budget = 8;
  std::vector<double> error;
  for (int64_t limit : {48, 480, 4800, 48000}) {
    double worst = 0;
    for (uint32_t seed : {1u, 2u, 3u}) {
      auto pr = make_problem(16, 6, 4, seed + 20);
      auto [got, gains] = run<double>(pr, budget, limit, seed);
      auto want = reference_gains(pr, got);
      for (size_t j = 0; j < got.size(); ++j) worst = std::max(worst, std::abs(gains[j] - want[j]));
      EXPECT_EQ(run<double>(pr, budget, limit, seed), std::make_pair(got, gains)) << "not deterministic";
    }
    error.push_back(worst);
  }
  // Measured: 0.32, 0.20, 0.041, 0.014 nats, about 1/√M once the draws outnumber the configurations.
  EXPECT_GT(error.front(), 0.1);  // 8 draws per member are coarse
  EXPECT_LT(error.back(), 0.03);
  for (size_t i = 1; i < error.size(); ++i) EXPECT_LT(error[i], error[i - 1]) << "limit index " << i;
}

/// Twenty picks of C = 100 classes: their raw product falls below float's range. The sampled state is
/// normalised, so float follows double, draw for draw, until two near-equal candidates swap.
TEST(BatchBald, FloatFollowsDoubleOverManySampledPicks)
{
  auto pr = make_problem(150, 8, 100, 11);
  auto [float_picks, float_gains] = run<float>(pr, 20, 800, 3);
  auto [double_picks, double_gains] = run<double>(pr, 20, 800, 3);
  EXPECT_EQ(float_picks, double_picks);
  for (size_t j = 0; j < float_gains.size(); ++j) EXPECT_NEAR(float_gains[j], double_gains[j], 2e-3) << "pick " << j;
}

TEST(BatchBald, SeedChangesOnlyTheSampledSteps)
{
  auto pr = make_problem(40, 5, 3, 7);
  // Exact throughout (3^5 = 243 ≤ 1000): the seed is unused.
  EXPECT_EQ(run<double>(pr, 5, 1000, 1), run<double>(pr, 5, 1000, 2));
  // Sampled from the fourth pick on (3^4 = 81 > 60).
  auto a = run<double>(pr, 6, 60, 1), b = run<double>(pr, 6, 60, 2);
  EXPECT_EQ(std::vector<int64_t>(a.first.begin(), a.first.begin() + 3),
            std::vector<int64_t>(b.first.begin(), b.first.begin() + 3));
  EXPECT_NE(a.second, b.second);
}

TEST(BatchBald, RejectsBadInput)
{
  auto pr = make_problem(20, 4, 3, 5);
  const int64_t unlabeled = std::count(pr.labeled.begin(), pr.labeled.end(), 0);
  EXPECT_THROW(run<double>(pr, unlabeled + 1, 100), tamis::logic_error);  // budget > unlabeled rows
  EXPECT_THROW(run<double>(pr, 21, 100, 0, false), tamis::logic_error);
  EXPECT_NO_THROW(run<double>(pr, unlabeled, 100));
  EXPECT_THROW(run<double>(pr, 2, 3), tamis::logic_error);  // fewer configurations than members
  auto bad = pr;
  bad.probs[7] += 0.1;  // a member's row summing to 1.1
  EXPECT_THROW(run<double>(bad, 2, 100), tamis::logic_error);
  bad = pr;
  bad.probs[4] = std::nan("");
  EXPECT_THROW(run<double>(bad, 2, 100), tamis::logic_error);
  bad = pr;
  bad.probs[4] = -bad.probs[4];
  EXPECT_THROW(run<double>(bad, 2, 100), tamis::logic_error);
  tamis::resources res;
  std::vector<int64_t> idx(2);
  std::vector<double> gains(2);
  auto out_i = tamis::make_host_vector_view(idx.data(), 2);
  auto out_g = tamis::make_host_vector_view(gains.data(), 2);
  auto probs = tamis::make_host_matrix_view<const double>(pr.probs.data(), pr.n, 12);
  EXPECT_THROW(tamis::active::batchbald::select(res, probs, 5, {}, 100, 0, out_i, out_g), tamis::logic_error);
  EXPECT_THROW(tamis::active::batchbald::select(res, probs, 0, {}, 100, 0, out_i, out_g), tamis::logic_error);
  auto short_mask = tamis::make_host_vector_view<const uint8_t>(pr.labeled.data(), 19);
  EXPECT_THROW(tamis::active::batchbald::select(res, probs, 4, short_mask, 100, 0, out_i, out_g),
               tamis::logic_error);
  EXPECT_THROW(tamis::active::batchbald::select(res, probs, 4, {}, 100, 0, out_i,
                                                tamis::make_host_vector_view(gains.data(), 1)),
               tamis::logic_error);
  // The seventh pick is sampled from 10^6 configurations of 10 classes: ~80 MB per candidate.
  tamis::resources small;
  tamis::resource::set_workspace_limit(small, 1 << 20);
  auto wide = make_problem(8, 2, 10, 1);
  EXPECT_THROW(run<double>(wide, 7, 1000000, 0, false, small), tamis::logic_error);
}

}  // namespace
