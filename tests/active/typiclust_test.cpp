#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tamis/active/typiclust.hpp"
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/error.hpp"

namespace {

using tamis::active::typiclust::params;

template <typename Call>
void expect_error(Call&& call, const char* what)
{
  try {
    call();
    ADD_FAILURE() << "no error, expected " << what;
  } catch (tamis::exception const& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

struct problem {
  int64_t n, d;
  std::vector<double> x;
  std::vector<int64_t> clusters;
  std::vector<uint8_t> labeled;
};

/// Gaussian blobs of uneven sizes (some at most 5 rows), the rows shuffled, each ~every 8th labeled.
problem make_problem(int64_t n, int64_t d, int64_t n_clusters, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> coin(0, 7);
  std::uniform_int_distribution<int64_t> pick(0, n_clusters - 1);
  problem pr{n, d, std::vector<double>(static_cast<size_t>(n * d)), std::vector<int64_t>(static_cast<size_t>(n)),
             std::vector<uint8_t>(static_cast<size_t>(n))};
  std::vector<double> centres(static_cast<size_t>(n_clusters * d));
  for (auto& c : centres) c = 6 * normal(gen);
  for (int64_t i = 0; i < n; ++i) {
    // Squaring a uniform draw makes low ids frequent and high ids rare, so sizes differ.
    const int64_t c = pick(gen) * pick(gen) / (n_clusters - 1);
    pr.clusters[i] = c;
    for (int64_t j = 0; j < d; ++j) pr.x[i * d + j] = centres[c * d + j] + normal(gen);
    pr.labeled[i] = coin(gen) == 0;
  }
  return pr;
}

/// The reference's loop, written from its definition in double: clusters of more than min_size rows
/// stably sorted by (labeled count, −size) from id order; pick i takes the next cluster with an unlabeled
/// row left, its row of largest 1 / (mean of the K = min(k, r / 2) smallest squared distances to the other
/// r − 1 rows left + 1e-5), the first on ties; a lone row is taken with gain 0.
std::pair<std::vector<int64_t>, std::vector<double>> reference(problem const& pr, params const& p, int64_t budget)
{
  const int64_t ids = *std::max_element(pr.clusters.begin(), pr.clusters.end()) + 1;
  std::vector<int64_t> size(ids, 0), known(ids, 0);
  for (int64_t i = 0; i < pr.n; ++i) {
    ++size[pr.clusters[i]];
    known[pr.clusters[i]] += pr.labeled[i];
  }
  std::vector<int64_t> order;
  for (int64_t c = 0; c < ids; ++c) {
    if (size[c] > p.min_cluster_size) order.push_back(c);
  }
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return std::make_pair(known[a], -size[a]) < std::make_pair(known[b], -size[b]);
  });
  std::vector<uint8_t> taken(pr.labeled);
  std::vector<int64_t> picks;
  std::vector<double> gains;
  auto rows_left = [&](int64_t cluster) {
    std::vector<int64_t> left;
    for (int64_t i = 0; i < pr.n; ++i) {
      if (pr.clusters[i] == cluster && !taken[i]) left.push_back(i);
    }
    return left;
  };
  for (size_t next = 0; static_cast<int64_t>(picks.size()) < budget;) {
    size_t c = next;
    std::vector<int64_t> left = rows_left(order[c]);
    for (size_t tried = 1; left.empty() && tried < order.size(); ++tried) {
      c = (c + 1) % order.size();
      left = rows_left(order[c]);
    }
    if (left.empty()) break;  // exhausted
    next = (c + 1) % order.size();
    const int64_t r = static_cast<int64_t>(left.size()), k = std::min(p.k, r / 2);
    int64_t best = left[0];
    double best_typ = k == 0 ? 0 : -1;
    for (int64_t a = 0; a < r && k > 0; ++a) {
      std::vector<double> dist;
      for (int64_t b = 0; b < r; ++b) {
        if (b == a) continue;
        double s = 0;
        for (int64_t j = 0; j < pr.d; ++j) {
          const double diff = pr.x[left[a] * pr.d + j] - pr.x[left[b] * pr.d + j];
          s += diff * diff;
        }
        dist.push_back(s);
      }
      std::sort(dist.begin(), dist.end());
      double mean = 0;
      for (int64_t j = 0; j < k; ++j) mean += dist[j] / k;
      const double typ = 1 / (mean + 1e-5);
      if (typ > best_typ) {
        best_typ = typ;
        best = left[a];
      }
    }
    picks.push_back(best);
    gains.push_back(best_typ);
    taken[best] = 1;
  }
  return {picks, gains};
}

template <typename T>
std::pair<std::vector<int64_t>, std::vector<T>> run(problem const& pr, params const& p, int64_t budget,
                                                    bool use_mask = true, const int64_t* clusters = nullptr)
{
  std::vector<T> x(pr.x.begin(), pr.x.end());
  std::vector<int64_t> idx(static_cast<size_t>(budget));
  std::vector<T> gains(static_cast<size_t>(budget));
  tamis::resources res;
  tamis::active::typiclust::select(
    res, p, tamis::make_host_matrix_view<const T>(x.data(), pr.n, pr.d),
    tamis::make_host_vector_view<const int64_t>(clusters != nullptr ? clusters : pr.clusters.data(), pr.n),
    tamis::make_host_vector_view<const uint8_t>(use_mask ? pr.labeled.data() : nullptr, use_mask ? pr.n : 0),
    tamis::make_host_vector_view(idx.data(), budget), tamis::make_host_vector_view(gains.data(), budget));
  return {idx, gains};
}

TEST(TypiClust, PicksEqualTheReferenceLoop)
{
  for (uint32_t seed : {1u, 2u, 3u}) {
    auto pr = make_problem(600, 5, 12, seed);
    for (params p : {params{}, params{5, 3}, params{0, 1}, params{30, 50}}) {
      for (int64_t budget : {1, 7, 12, 40}) {
        auto [want, want_gains] = reference(pr, p, budget);
        ASSERT_EQ(static_cast<int64_t>(want.size()), budget);
        auto [got, gains] = run<double>(pr, p, budget);
        EXPECT_EQ(got, want) << "seed " << seed << ", k " << p.k << ", budget " << budget;
        for (int64_t i = 0; i < budget; ++i) EXPECT_NEAR(gains[i], want_gains[i], 1e-9 * want_gains[i]);
        auto [got_f, gains_f] = run<float>(pr, p, budget);
        EXPECT_EQ(got_f, want) << "float, seed " << seed << ", k " << p.k << ", budget " << budget;
      }
    }
  }
}

TEST(TypiClust, WithoutLabelsTheLargestClustersComeFirst)
{
  auto pr = make_problem(500, 3, 10, 4);
  auto unlabeled = pr;
  std::fill(unlabeled.labeled.begin(), unlabeled.labeled.end(), 0);
  auto [want, want_gains] = reference(unlabeled, params{}, 30);
  auto [got, gains] = run<double>(pr, params{}, 30, false);
  EXPECT_EQ(got, want);
  std::vector<int64_t> size(10, 0);
  for (int64_t c : pr.clusters) ++size[c];
  const int64_t eligible = std::count_if(size.begin(), size.end(), [](int64_t s) { return s > 5; });
  for (int64_t i = 1; i < eligible; ++i) {
    EXPECT_GE(size[pr.clusters[got[i - 1]]], size[pr.clusters[got[i]]]);
  }
}

TEST(TypiClust, OnePickPerClusterUntilEachIsVisitedAndNeverALabeledRow)
{
  auto pr = make_problem(800, 4, 16, 5);
  std::vector<int64_t> size(16, 0);
  for (int64_t c : pr.clusters) ++size[c];
  const int64_t eligible = std::count_if(size.begin(), size.end(), [](int64_t s) { return s > 5; });
  ASSERT_GE(eligible, 8);
  auto [got, gains] = run<double>(pr, params{}, eligible);
  std::set<int64_t> visited;
  for (int64_t i : got) {
    EXPECT_FALSE(pr.labeled[i]);
    EXPECT_GT(size[pr.clusters[i]], 5);
    visited.insert(pr.clusters[i]);
  }
  EXPECT_EQ(static_cast<int64_t>(visited.size()), eligible);
  for (double g : gains) EXPECT_GT(g, 0);
}

TEST(TypiClust, TiesGoToTheLowestRow)
{
  // One cluster of 8 rows: rows 2 and 6 coincide at the centre of the others, so both are the most typical.
  const std::vector<double> x = {1, 0, -1, 0, 0, 0, 0, 1, 0, -1, 2, 2, 0, 0, -2, -2};
  problem pr{8, 2, x, std::vector<int64_t>(8, 0), std::vector<uint8_t>(8, 0)};
  auto [got, gains] = run<double>(pr, params{}, 2);
  EXPECT_EQ(got[0], 2);
  EXPECT_EQ(got[1], 6);  // its duplicate left the cluster: now alone at the centre
  EXPECT_EQ(got, reference(pr, params{}, 2).first);
}

TEST(TypiClust, CyclesAndSkipsExhaustedClustersThenFails)
{
  // Cluster 0: 8 rows, row 3 labeled; cluster 1: 6 rows. The order is 1, 0; after 12 alternating picks
  // cluster 1 is dry and the 13th pick skips it.
  std::mt19937 gen(6);
  std::normal_distribution<double> normal;
  problem pr{14, 2, std::vector<double>(28), {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, std::vector<uint8_t>(14, 0)};
  for (auto& v : pr.x) v = normal(gen);
  pr.labeled[3] = 1;
  auto [want, want_gains] = reference(pr, params{}, 13);
  auto [got, gains] = run<double>(pr, params{}, 13);
  EXPECT_EQ(got, want);
  for (int64_t i = 0; i < 13; ++i) EXPECT_EQ(pr.clusters[got[i]], i < 12 && i % 2 == 0 ? 1 : 0) << i;
  EXPECT_EQ(gains[10], 0);  // the last row of a cluster has no neighbour
  EXPECT_GT(gains[11], 0);
  EXPECT_EQ(gains[12], 0);
  // With min_cluster_size 6, cluster 1 is dropped and cluster 0 holds 7 of the 13 unlabeled rows.
  EXPECT_EQ(run<double>(pr, params{6, 20}, 7).first, reference(pr, params{6, 20}, 7).first);
  expect_error([&] { run<double>(pr, params{6, 20}, 8); }, "budget: only 7 picks were possible");
}

TEST(TypiClust, ClusterAndSelectRunsOnTheKmeansLabels)
{
  auto pr = make_problem(700, 6, 9, 7);
  const int64_t budget = 9, known = std::count(pr.labeled.begin(), pr.labeled.end(), 1);
  for (int64_t n_clusters : {int64_t{0}, int64_t{20}}) {
    params p;
    p.n_clusters = n_clusters;
    p.max_clusters = 50;
    p.seed = 11;
    tamis::cluster::kmeans::params kp;
    kp.n_clusters = n_clusters > 0 ? n_clusters : std::min(known + budget, p.max_clusters);
    kp.seed = 11;
    std::vector<double> centroids(static_cast<size_t>(kp.n_clusters * pr.d));
    std::vector<int64_t> labels(static_cast<size_t>(pr.n));
    tamis::resources res;
    tamis::cluster::kmeans::fit(res, kp, tamis::make_host_matrix_view<const double>(pr.x.data(), pr.n, pr.d),
                                tamis::make_host_matrix_view(centroids.data(), kp.n_clusters, pr.d),
                                tamis::make_host_vector_view(labels.data(), pr.n));
    auto want = run<double>(pr, p, budget, true, labels.data());
    std::vector<int64_t> idx(budget);
    std::vector<double> gains(budget);
    tamis::active::typiclust::cluster_and_select(
      res, p, tamis::make_host_matrix_view<const double>(pr.x.data(), pr.n, pr.d),
      tamis::make_host_vector_view<const uint8_t>(pr.labeled.data(), pr.n), tamis::make_host_vector_view(idx.data(),
      budget), tamis::make_host_vector_view(gains.data(), budget));
    EXPECT_EQ(idx, want.first);
    EXPECT_EQ(gains, want.second);
  }
}

TEST(TypiClust, InputsStayUnchangedAndRunsRepeat)
{
  auto pr = make_problem(300, 3, 6, 8);
  const auto copy = pr;
  auto first = run<float>(pr, params{}, 10);
  auto second = run<float>(pr, params{}, 10);
  EXPECT_EQ(first, second);
  EXPECT_EQ(pr.x, copy.x);
  EXPECT_EQ(pr.clusters, copy.clusters);
  EXPECT_EQ(pr.labeled, copy.labeled);
}

TEST(TypiClust, BadInputsNameTheArgument)
{
  auto pr = make_problem(40, 2, 2, 9);
  const int64_t unlabeled = std::count(pr.labeled.begin(), pr.labeled.end(), 0);
  expect_error([&] { run<double>(pr, params{}, 0); }, "budget");
  expect_error([&] { run<double>(pr, params{}, unlabeled + 1); }, "budget");
  expect_error([&] { run<double>(pr, params{5, 0}, 1); }, "k: must be");
  expect_error([&] { run<double>(pr, params{-1, 20}, 1); }, "min_cluster_size");
  expect_error([&] { run<double>(pr, params{40, 20}, 1); }, "clusters: none has more than min_cluster_size = 40");
  auto bad_ids = pr.clusters;
  bad_ids[5] = 40;
  expect_error([&] { run<double>(pr, params{}, 1, true, bad_ids.data()); }, "clusters: id 40 of row 5");
  bad_ids[5] = -1;
  expect_error([&] { run<double>(pr, params{}, 1, true, bad_ids.data()); }, "clusters: id -1");
  auto nan = pr;
  nan.x[7] = std::numeric_limits<double>::quiet_NaN();
  expect_error([&] { run<double>(nan, params{}, 1); }, "x: contains 1 NaN");
  tamis::resources res;
  std::vector<int64_t> idx(1);
  std::vector<double> gains(1);
  auto x = tamis::make_host_matrix_view<const double>(pr.x.data(), pr.n, pr.d);
  expect_error([&] {
    tamis::active::typiclust::select(res, params{}, x, tamis::make_host_vector_view<const int64_t>(
                                     pr.clusters.data(), pr.n - 1), {}, tamis::make_host_vector_view(idx.data(), 1),
                                     tamis::make_host_vector_view(gains.data(), 1));
  }, "clusters: expected length 40");
  expect_error([&] {
    tamis::active::typiclust::select(res, params{}, x, tamis::make_host_vector_view<const int64_t>(
                                     pr.clusters.data(), pr.n), tamis::make_host_vector_view<const uint8_t>(
                                     pr.labeled.data(), 3), tamis::make_host_vector_view(idx.data(), 1),
                                     tamis::make_host_vector_view(gains.data(), 1));
  }, "labeled: expected length 40");
  expect_error([&] {
    params p;
    p.max_clusters = 0;
    tamis::active::typiclust::cluster_and_select(res, p, x, {}, tamis::make_host_vector_view(idx.data(), 1),
                                                 tamis::make_host_vector_view(gains.data(), 1));
  }, "max_clusters");
  expect_error([&] {
    params p;
    p.n_clusters = 41;
    tamis::active::typiclust::cluster_and_select(res, p, x, {}, tamis::make_host_vector_view(idx.data(), 1),
                                                 tamis::make_host_vector_view(gains.data(), 1));
  }, "n_clusters");
}

}  // namespace
