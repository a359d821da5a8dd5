#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "tamis/cluster/average_linkage.hpp"
#include "tamis/core/error.hpp"
#include "reference.hpp"

namespace {

namespace al = tamis::cluster::average_linkage;

/// Textbook UPGMA on the full matrix of squared distances, O(n³): merge the closest pair of
/// clusters (mean pairwise squared distance), Lance–Williams update. Returns the merge heights and,
/// per cut, the partition — as labels numbered by each cluster's lowest row.
struct reference {
  std::vector<double> heights;                  // in merge order (non-decreasing: UPGMA is monotone)
  std::vector<std::vector<int64_t>> partitions;  // partitions[k] = the cut into k clusters (k = 1 .. n)
};

std::vector<int64_t> canonical(std::vector<int64_t> const& raw)
{
  std::vector<int64_t> id(raw.size(), -1), out(raw.size());
  int64_t next = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (id[raw[i]] < 0) id[raw[i]] = next++;
    out[i] = id[raw[i]];
  }
  return out;
}

reference upgma(std::vector<double> const& x, int64_t n, int64_t d)
{
  std::vector<double> dist(static_cast<size_t>(n * n));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t k = 0; k < d; ++k) s += (x[i * d + k] - x[j * d + k]) * (x[i * d + k] - x[j * d + k]);
      dist[i * n + j] = s;
    }
  }
  std::vector<int64_t> size(static_cast<size_t>(n), 1), owner(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) owner[i] = i;
  std::vector<char> alive(static_cast<size_t>(n), 1);
  reference r;
  r.partitions.resize(static_cast<size_t>(n + 1));
  r.partitions[n] = canonical(owner);
  for (int64_t left = n; left > 1; --left) {
    int64_t a = -1, b = -1;
    double best = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = i + 1; j < n; ++j) {
        if (alive[i] && alive[j] && dist[i * n + j] < best) {
          best = dist[i * n + j];
          a = i;
          b = j;
        }
      }
    }
    for (int64_t k = 0; k < n; ++k) {
      const double merged = (size[a] * dist[a * n + k] + size[b] * dist[b * n + k]) / (size[a] + size[b]);
      dist[a * n + k] = dist[k * n + a] = merged;
    }
    size[a] += size[b];
    alive[b] = 0;
    for (auto& o : owner) o = o == b ? a : o;
    r.heights.push_back(best);
    r.partitions[left - 1] = canonical(owner);
  }
  return r;
}

template <typename T>
std::vector<int64_t> run(std::vector<double> const& x64, int64_t n, int64_t d, al::params const& p,
                         int64_t* clusters = nullptr)
{
  std::vector<T> x(x64.begin(), x64.end());
  std::vector<int64_t> labels(static_cast<size_t>(n));
  tamis::resources res;
  const int64_t k = al::fit(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                            tamis::make_host_vector_view(labels.data(), n));
  if (clusters != nullptr) *clusters = k;
  return labels;
}

TEST(AverageLinkage, NClustersCutEqualsTextbookUpgma)
{
  for (uint32_t seed : {1u, 2u, 3u}) {
    const int64_t n = 70, d = 3;
    auto x = tamis::test::random_matrix<double>(n, d, seed);
    auto want = upgma(x, n, d);
    for (int64_t k : {int64_t{1}, int64_t{2}, int64_t{5}, int64_t{17}, n}) {
      al::params p;
      p.n_clusters = k;
      int64_t got_k = 0;
      EXPECT_EQ(run<double>(x, n, d, p, &got_k), want.partitions[k]) << "seed " << seed << " k " << k;
      EXPECT_EQ(got_k, k);
      EXPECT_EQ(run<float>(x, n, d, p), want.partitions[k]) << "float, seed " << seed << " k " << k;
    }
  }
}

TEST(AverageLinkage, DistanceThresholdCutEqualsTextbookUpgma)
{
  const int64_t n = 60, d = 4;
  auto x = tamis::test::random_matrix<double>(n, d, 9);
  auto want = upgma(x, n, d);
  for (int64_t merges : {int64_t{0}, int64_t{10}, int64_t{40}, n - 3, n - 1}) {
    // Halfway between merge `merges` and the next: exactly n − merges clusters.
    const double lo = merges == 0 ? 0.0 : want.heights[merges - 1];
    const double t = merges == n - 1 ? lo + 1 : (lo + want.heights[merges]) / 2;
    al::params p;
    p.distance_threshold = t;
    int64_t k = 0;
    EXPECT_EQ(run<double>(x, n, d, p, &k), want.partitions[n - merges]) << "merges " << merges;
    EXPECT_EQ(k, n - merges);
  }
}

TEST(AverageLinkage, OneRowAndDuplicates)
{
  al::params p;
  p.n_clusters = 1;
  EXPECT_EQ(run<double>({3.0, 4.0}, 1, 2, p), std::vector<int64_t>{0});
  // Three copies of two points: the duplicates merge at height 0 first.
  std::vector<double> x{0, 0, 5, 5, 0, 0, 5, 5, 0, 0, 5, 5};
  p.n_clusters = 2;
  EXPECT_EQ(run<double>(x, 6, 2, p), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
  p.n_clusters = 0;
  p.distance_threshold = 0;
  EXPECT_EQ(run<double>(x, 6, 2, p), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
}

TEST(AverageLinkage, MicroClusterLeavesKeepSeparatedBlobs)
{
  // 4 far-apart blobs of 300 rows, 64 micro-clusters as leaves: the 4-cluster cut is the blobs.
  const int64_t per = 300, n = 4 * per, d = 5;
  std::mt19937 gen(4);
  std::normal_distribution<double> normal;
  std::vector<double> x(static_cast<size_t>(n * d));
  std::vector<int64_t> blob(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    blob[i] = (i * 7) % 4;  // interleaved, so cluster numbering by lowest row is checked too
    for (int64_t k = 0; k < d; ++k) x[i * d + k] = normal(gen) + (k == blob[i] ? 100.0 : 0.0);
  }
  al::params p;
  p.n_clusters = 4;
  p.max_leaves = 64;
  EXPECT_EQ(run<double>(x, n, d, p), canonical(blob));
  EXPECT_EQ(run<float>(x, n, d, p), canonical(blob));
}

TEST(AverageLinkage, RejectsBadInput)
{
  auto x = tamis::test::random_matrix<double>(10, 2, 1);
  al::params p;
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);  // neither criterion
  p.n_clusters = 3;
  p.distance_threshold = 1;
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);  // both
  p.distance_threshold = -1;
  p.n_clusters = 11;
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);
  p.n_clusters = 4;
  p.max_leaves = 3;
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);  // more clusters than leaves
  p.max_leaves = 0;
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);
  p.max_leaves = 4096;
  x[5] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(run<double>(x, 10, 2, p), tamis::logic_error);
  std::vector<double> y(4, 0.0);
  std::vector<int64_t> labels(3);
  tamis::resources res;
  EXPECT_THROW(al::fit(res, p, tamis::make_host_matrix_view<const double>(y.data(), 2, 2),
                       tamis::make_host_vector_view(labels.data(), 3)),
               tamis::logic_error);
}

}  // namespace
