#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tamis/active/kcenter.hpp"
#include "reference.hpp"

namespace {

namespace kc = tamis::active::kcenter;

/// Small integers: every squared distance is exact in float, so picks can be compared exactly.
std::vector<float> small_integers(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> value(-6, 6);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = static_cast<float>(value(gen));
  return x;
}

double sq_dist(std::vector<float> const& x, int64_t d, int64_t a, int64_t b)
{
  return tamis::test::reference_distance(x.data() + a * d, x.data() + b * d, d, tamis::distance_metric::sqeuclidean);
}

/// Plain greedy k-center: farthest row from all centres, lowest index on ties, row 0 first if none.
std::vector<int64_t> reference_greedy(std::vector<float> const& x, int64_t n, int64_t d,
                                      std::vector<int64_t> centres, int64_t budget)
{
  std::vector<int64_t> picks;
  for (int64_t p = 0; p < budget; ++p) {
    int64_t best = 0;
    double best_d = -1;
    for (int64_t i = 0; i < n; ++i) {
      double m = std::numeric_limits<double>::infinity();
      for (int64_t c : centres) m = std::min(m, sq_dist(x, d, i, c));
      if (m > best_d) {
        best_d = m;
        best = i;
      }
    }
    picks.push_back(best);
    centres.push_back(best);
  }
  return picks;
}

struct state {
  std::vector<float> const& x;
  int64_t n, d;
  std::vector<float> min_dist;
  tamis::resources res;

  state(std::vector<float> const& data, int64_t rows, int64_t cols, std::vector<uint8_t> const& labeled)
    : x(data), n(rows), d(cols), min_dist(static_cast<size_t>(rows))
  {
    kc::init(res, view(), tamis::make_host_vector_view(labeled.empty() ? nullptr : labeled.data(),
                                                       labeled.empty() ? 0 : n),
             tamis::make_host_vector_view(min_dist.data(), n));
  }
  tamis::host_matrix_view<const float> view() const { return tamis::make_host_matrix_view(x.data(), n, d); }
  std::pair<std::vector<int64_t>, std::vector<float>> select(int64_t budget)
  {
    std::vector<int64_t> idx(static_cast<size_t>(budget));
    std::vector<float> gains(static_cast<size_t>(budget));
    kc::select(res, view(), tamis::make_host_vector_view(min_dist.data(), n),
               tamis::make_host_vector_view(idx.data(), budget), tamis::make_host_vector_view(gains.data(), budget));
    return {idx, gains};
  }
};

TEST(KCenter, PicksEqualPlainGreedyAndRoundsContinue)
{
  const int64_t n = 3000, d = 8;
  auto x = small_integers(n, d, 1);
  std::vector<uint8_t> labeled(n);
  std::vector<int64_t> centres;
  for (int64_t i = 0; i < n; i += 97) {
    labeled[i] = 1;
    centres.push_back(i);
  }
  const auto want = reference_greedy(x, n, d, centres, 30);
  state whole(x, n, d, labeled);
  EXPECT_EQ(whole.select(30).first, want);
  state rounds(x, n, d, labeled);  // three rounds of 10 from the same state
  std::vector<int64_t> got;
  for (int r = 0; r < 3; ++r) {
    auto picks = rounds.select(10).first;
    got.insert(got.end(), picks.begin(), picks.end());
  }
  EXPECT_EQ(got, want);
  // Cold start: row 0, then the farthest from it, ...
  state cold(x, n, d, {});
  EXPECT_EQ(cold.select(12).first, reference_greedy(x, n, d, {}, 12));
}

TEST(KCenter, InitIsTheDistanceToTheNearestLabeledRow)
{
  const int64_t n = 2000, d = 5;
  auto x = small_integers(n, d, 2);
  std::vector<uint8_t> labeled(n);
  for (int64_t i = 3; i < n; i += 41) labeled[i] = 1;
  state s(x, n, d, labeled);
  for (int64_t i = 0; i < n; ++i) {
    double want = std::numeric_limits<double>::infinity();
    for (int64_t c = 0; c < n; ++c) {
      if (labeled[c]) want = std::min(want, sq_dist(x, d, i, c));
    }
    EXPECT_NEAR(s.min_dist[i], want, 1e-3) << i;
    if (labeled[i]) EXPECT_EQ(s.min_dist[i], 0.f);
  }
  state none(x, n, d, std::vector<uint8_t>(n, 0));
  EXPECT_TRUE(std::all_of(none.min_dist.begin(), none.min_dist.end(), [](float v) { return std::isinf(v); }));
  // add_centres on the unlabeled state reproduces the labeled one.
  std::vector<int64_t> centres;
  for (int64_t i = 0; i < n; ++i) {
    if (labeled[i]) centres.push_back(i);
  }
  kc::add_centres(none.res, none.view(), centres, tamis::make_host_vector_view(none.min_dist.data(), n));
  for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(none.min_dist[i], s.min_dist[i], 1e-3) << i;
}

TEST(KCenter, RadiusNeverGrowsAndStaysWithinTwiceTheOptimum)
{
  const int64_t n = 12, d = 2, k = 3;
  for (uint32_t seed = 0; seed < 20; ++seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> normal;
    std::vector<float> x(static_cast<size_t>(n * d));
    for (auto& v : x) v = normal(gen);
    state s(x, n, d, {});
    auto [picks, gains] = s.select(k + 1);
    for (int64_t p = 1; p < k + 1; ++p) EXPECT_LE(gains[p], gains[p - 1]);
    // Radius of the k greedy centres = the next pick's gain; the optimum by brute force over all triples.
    double optimum = std::numeric_limits<double>::infinity();
    for (int64_t a = 0; a < n; ++a) {
      for (int64_t b = a + 1; b < n; ++b) {
        for (int64_t c = b + 1; c < n; ++c) {
          double radius = 0;
          for (int64_t i = 0; i < n; ++i) {
            radius = std::max(radius, std::min({sq_dist(x, d, i, a), sq_dist(x, d, i, b), sq_dist(x, d, i, c)}));
          }
          optimum = std::min(optimum, std::sqrt(radius));
        }
      }
    }
    EXPECT_LE(gains[k], 2 * optimum + 1e-5) << "seed " << seed;
  }
}

TEST(KCenter, RejectsExhaustedPoolsAndBadShapes)
{
  // Four rows, two of them duplicates: after 3 picks every row is a centre or duplicates one.
  const std::vector<float> x{0, 0, 1, 1, 0, 0, 5, 5};
  state s(x, 4, 2, {});
  EXPECT_NO_THROW(s.select(3));
  EXPECT_THROW(s.select(1), tamis::logic_error);
  state t(x, 4, 2, {});
  EXPECT_THROW(t.select(5), tamis::logic_error);
  std::vector<float> short_state(3);
  std::vector<int64_t> idx(1);
  std::vector<float> gains(1);
  EXPECT_THROW(kc::select(t.res, t.view(), tamis::make_host_vector_view(short_state.data(), 3),
                          tamis::make_host_vector_view(idx.data(), 1), tamis::make_host_vector_view(gains.data(), 1)),
               tamis::logic_error);
  EXPECT_THROW(kc::add_centres(t.res, t.view(), {4}, tamis::make_host_vector_view(t.min_dist.data(), 4)),
               tamis::logic_error);
}

}  // namespace
