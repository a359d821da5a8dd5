#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "tamis/active/cluster_margin.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/rng.hpp"

namespace {

namespace cm = tamis::active::cluster_margin;

struct problem {
  int64_t n;
  std::vector<double> scores;
  std::vector<int64_t> clusters;
  std::vector<uint8_t> labeled;
};

problem make_problem(int64_t n, int64_t n_clusters, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> unit;
  std::uniform_int_distribution<int64_t> cluster(0, n_clusters - 1);
  std::uniform_int_distribution<int> coin(0, 7);
  problem pr{n, std::vector<double>(static_cast<size_t>(n)), std::vector<int64_t>(static_cast<size_t>(n)),
             std::vector<uint8_t>(static_cast<size_t>(n))};
  for (int64_t i = 0; i < n; ++i) {
    pr.scores[i] = unit(gen);
    pr.clusters[i] = cluster(gen) * cluster(gen) % n_clusters;  // skewed sizes
    pr.labeled[i] = coin(gen) == 0;
  }
  return pr;
}

/// The algorithm as the paper states it, written plainly: sort the unlabeled rows by score (ties to
/// the lower row), keep k_m, bucket them per cluster in row order, order buckets by (size, id), visit
/// them round-robin drawing position uniform_index(p, r) of Philox (seed, 0), swap-remove.
std::vector<int64_t> reference(problem const& pr, int64_t km, int64_t budget, uint64_t seed)
{
  std::vector<int64_t> order;
  for (int64_t i = 0; i < pr.n; ++i) {
    if (!pr.labeled[i]) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return pr.scores[a] > pr.scores[b]; });
  order.resize(static_cast<size_t>(km));
  std::sort(order.begin(), order.end());
  std::vector<std::pair<int64_t, std::vector<int64_t>>> buckets;  // (cluster id, rows)
  for (int64_t i : order) {
    auto it = std::find_if(buckets.begin(), buckets.end(), [&](auto const& b) { return b.first == pr.clusters[i]; });
    if (it == buckets.end()) {
      buckets.push_back({pr.clusters[i], {}});
      it = buckets.end() - 1;
    }
    it->second.push_back(i);
  }
  std::sort(buckets.begin(), buckets.end(), [](auto const& a, auto const& b) {
    return a.second.size() != b.second.size() ? a.second.size() < b.second.size() : a.first < b.first;
  });
  tamis::philox_stream rng(seed, 0);
  std::vector<int64_t> picks;
  while (static_cast<int64_t>(picks.size()) < budget) {
    for (auto& b : buckets) {
      auto& rows = b.second;
      if (rows.empty() || static_cast<int64_t>(picks.size()) == budget) continue;
      const auto at = static_cast<size_t>(rng.uniform_index(picks.size(), rows.size()));
      picks.push_back(rows[at]);
      std::swap(rows[at], rows.back());
      rows.pop_back();
    }
  }
  return picks;
}

template <typename T>
std::pair<std::vector<int64_t>, std::vector<T>> run(problem const& pr, int64_t km, int64_t budget, uint64_t seed,
                                                    bool use_mask = true)
{
  std::vector<T> scores(pr.scores.begin(), pr.scores.end());
  std::vector<int64_t> idx(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  tamis::resources res;
  cm::select(res, tamis::make_host_vector_view<const T>(scores.data(), pr.n),
             tamis::make_host_vector_view<const int64_t>(pr.clusters.data(), pr.n),
             tamis::make_host_vector_view<const uint8_t>(use_mask ? pr.labeled.data() : nullptr, use_mask ? pr.n : 0),
             km, seed, tamis::make_host_vector_view(idx.data(), budget),
             tamis::make_host_vector_view(gains.data(), budget));
  return {idx, gains};
}

TEST(ClusterMargin, PicksEqualThePlainReference)
{
  for (uint64_t seed : {0u, 1u, 5u}) {
    auto pr = make_problem(500, 12, static_cast<uint32_t>(seed) + 3);
    for (auto [km, budget] : {std::pair<int64_t, int64_t>{100, 40}, {60, 60}, {300, 7}, {437, 200}}) {
      if (km > 500 - std::count(pr.labeled.begin(), pr.labeled.end(), 1)) continue;
      auto want = reference(pr, km, budget, seed);
      auto [got, gains] = run<double>(pr, km, budget, seed);
      EXPECT_EQ(got, want) << "seed " << seed << " km " << km;
      for (size_t p = 0; p < got.size(); ++p) EXPECT_EQ(gains[p], pr.scores[got[p]]);
      auto [got_f, gains_f] = run<float>(pr, km, budget, seed);
      EXPECT_EQ(got_f, want) << "float, seed " << seed << " km " << km;
    }
  }
}

TEST(ClusterMargin, OneCandidatePerClusterIsDeterministic)
{
  // Each candidate alone in its cluster: every group has size 1, so the order is by cluster id.
  problem pr{6, {0.9, 0.1, 0.8, 0.7, 0.2, 0.95}, {4, 0, 2, 9, 1, 3}, std::vector<uint8_t>(6, 0)};
  for (uint64_t seed : {0u, 11u}) {
    auto [got, gains] = run<double>(pr, 4, 3, seed, false);
    EXPECT_EQ(got, (std::vector<int64_t>{2, 5, 0}));  // candidates 5, 0, 2, 3 by clusters 3, 4, 2, 9
    EXPECT_EQ(gains, (std::vector<double>{0.8, 0.95, 0.9}));
  }
}

TEST(ClusterMargin, RejectsBadInput)
{
  auto pr = make_problem(50, 4, 1);
  const int64_t unlabeled = 50 - std::count(pr.labeled.begin(), pr.labeled.end(), 1);
  EXPECT_THROW(run<double>(pr, 5, 6, 0), tamis::logic_error);              // candidates < budget
  EXPECT_THROW(run<double>(pr, unlabeled + 1, 6, 0), tamis::logic_error);  // more candidates than unlabeled
  EXPECT_THROW(run<double>(pr, unlabeled, unlabeled + 1, 0), tamis::logic_error);
  auto bad = pr;
  bad.clusters[3] = -1;
  EXPECT_THROW(run<double>(bad, 10, 5, 0), tamis::logic_error);
  bad = pr;
  bad.scores[7] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(run<double>(bad, 10, 5, 0), tamis::logic_error);
  std::vector<int64_t> idx(2);
  std::vector<double> gains(2);
  tamis::resources res;
  EXPECT_THROW(cm::select(res, tamis::make_host_vector_view<const double>(pr.scores.data(), 50),
                          tamis::make_host_vector_view<const int64_t>(pr.clusters.data(), 49), {}, 4, 0,
                          tamis::make_host_vector_view(idx.data(), 2), tamis::make_host_vector_view(gains.data(), 2)),
               tamis::logic_error);
}

}  // namespace
