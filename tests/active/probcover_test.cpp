#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "tamis/active/probcover.hpp"
#include "reference.hpp"

namespace {

namespace pc = tamis::active::probcover;

/// Small integers: every squared distance is an exact integer in float, so δ = 3 puts many pairs
/// exactly on the ball's boundary.
std::vector<float> small_integers(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> value(-2, 2);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = static_cast<float>(value(gen));
  return x;
}

/// Gaussian rows scaled to unit L2 norm, shifted by `offset` in every coordinate afterwards.
std::vector<float> unit_rows(int64_t rows, int64_t cols, uint32_t seed, float offset = 0)
{
  std::mt19937 gen(seed);
  std::normal_distribution<float> g;
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    double s = 0;
    for (int64_t j = 0; j < cols; ++j) s += std::pow(x[i * cols + j] = g(gen), 2);
    for (int64_t j = 0; j < cols; ++j) x[i * cols + j] = static_cast<float>(x[i * cols + j] / std::sqrt(s)) + offset;
  }
  return x;
}

double sq_dist(std::vector<float> const& x, int64_t d, int64_t a, int64_t b)
{
  return tamis::test::reference_distance(x.data() + a * d, x.data() + b * d, d, tamis::distance_metric::sqeuclidean);
}

/// A radius near `target` at the middle of the widest gap between pairwise distances around it, so that
/// no pair is within rounding of the boundary and a double-precision reference decides like float.
float delta_in_gap(std::vector<float> const& x, int64_t n, int64_t d, double target)
{
  std::vector<double> dist;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) dist.push_back(std::sqrt(sq_dist(x, d, i, j)));
  }
  std::sort(dist.begin(), dist.end());
  auto at = std::lower_bound(dist.begin(), dist.end(), target) - dist.begin();
  double best = 0, mid = target;
  for (auto k = std::max<ptrdiff_t>(1, at - 50); k < std::min<ptrdiff_t>(dist.size(), at + 50); ++k) {
    if (dist[k] - dist[k - 1] > best) {
      best = dist[k] - dist[k - 1];
      mid = 0.5 * (dist[k] + dist[k - 1]);
    }
  }
  return static_cast<float>(mid);
}

struct reference_result {
  std::vector<int64_t> picks, gains;
  std::vector<uint8_t> status;
  std::vector<int64_t> degree;
};

/// Dense greedy max coverage on the materialised graph (i → j iff ‖x_i − x_j‖² ≤ δ², δ² rounded to
/// float like the library's), lowest index on ties; farthest-first once every row is covered.
reference_result reference(std::vector<float> const& x, int64_t n, int64_t d, std::vector<uint8_t> const& labeled,
                           float delta, int64_t budget)
{
  const double r2 = static_cast<double>(delta * delta);
  std::vector<std::vector<uint8_t>> edge(n, std::vector<uint8_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) edge[i][j] = sq_dist(x, d, i, j) <= r2;
  }
  reference_result r{{}, {}, std::vector<uint8_t>(n, 0), std::vector<int64_t>(n, 0)};
  auto cover = [&](int64_t c) {
    for (int64_t j = 0; j < n; ++j) {
      if (edge[c][j] && r.status[j] == 0) r.status[j] = 1;
    }
    r.status[c] = 2;
  };
  for (int64_t i = 0; i < n; ++i) {
    if (!labeled.empty() && labeled[i]) cover(i);
  }
  auto degrees = [&] {
    for (int64_t i = 0; i < n; ++i) {
      r.degree[i] = 0;
      for (int64_t j = 0; j < n; ++j) r.degree[i] += edge[i][j] && r.status[j] == 0;
    }
  };
  for (int64_t p = 0; p < budget; ++p) {
    degrees();
    int64_t best = 0;
    for (int64_t i = 1; i < n; ++i) best = r.degree[i] > r.degree[best] ? i : best;
    if (r.degree[best] == 0) {
      double far = -1;
      for (int64_t i = 0; i < n; ++i) {
        double m = std::numeric_limits<double>::infinity();
        for (int64_t c = 0; c < n; ++c) {
          if (r.status[c] == 2) m = std::min(m, sq_dist(x, d, i, c));
        }
        if (m > far) {
          far = m;
          best = i;
        }
      }
    }
    r.picks.push_back(best);
    r.gains.push_back(r.degree[best]);
    cover(best);
  }
  degrees();
  return r;
}

struct state {
  std::vector<float> const& x;
  int64_t n, d;
  float delta;
  std::vector<uint8_t> status;
  std::vector<int64_t> degree;
  tamis::resources res;

  state(std::vector<float> const& data, int64_t rows, int64_t cols, std::vector<uint8_t> const& labeled, float radius,
        size_t workspace = 0)
    : x(data), n(rows), d(cols), delta(radius), status(static_cast<size_t>(rows)), degree(static_cast<size_t>(rows))
  {
    if (workspace > 0) tamis::resource::set_workspace_limit(res, workspace);
    pc::init(res, view(),
             tamis::make_host_vector_view(labeled.empty() ? nullptr : labeled.data(), labeled.empty() ? 0 : n),
             delta, tamis::make_host_vector_view(status.data(), n), tamis::make_host_vector_view(degree.data(), n));
  }
  tamis::host_matrix_view<const float> view() const { return tamis::make_host_matrix_view(x.data(), n, d); }
  std::pair<std::vector<int64_t>, std::vector<int64_t>> select(int64_t budget)
  {
    std::vector<int64_t> idx(static_cast<size_t>(budget)), gains(static_cast<size_t>(budget));
    pc::select(res, view(), delta, tamis::make_host_vector_view(status.data(), n),
               tamis::make_host_vector_view(degree.data(), n), tamis::make_host_vector_view(idx.data(), budget),
               tamis::make_host_vector_view(gains.data(), budget));
    return {idx, gains};
  }
};

std::vector<uint8_t> every(int64_t n, int64_t step, int64_t first = 0)
{
  std::vector<uint8_t> labeled(static_cast<size_t>(n));
  for (int64_t i = first; i < n; i += step) labeled[i] = 1;
  return labeled;
}

TEST(ProbCover, PicksGainsAndStateEqualDenseGreedyWithBoundaryPairsInside)
{
  const int64_t n = 700, d = 3, budget = 25;
  auto x = small_integers(n, d, 1);  // many duplicates and pairs at distance exactly 3
  auto labeled = every(n, 61, 5);
  const auto want = reference(x, n, d, labeled, 3.f, budget);
  state s(x, n, d, labeled, 3.f);
  const auto got = s.select(budget);
  EXPECT_EQ(got.first, want.picks);
  EXPECT_EQ(got.second, want.gains);
  EXPECT_EQ(s.status, want.status);
  EXPECT_EQ(s.degree, want.degree);
  // Rounds continue from the state: 10 + 15 picks equal 25.
  state rounds(x, n, d, labeled, 3.f);
  auto first = rounds.select(10).first, second = rounds.select(15).first;
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_EQ(first, want.picks);
  // No labeled row: the densest row first.
  state cold(x, n, d, {}, 3.f);
  EXPECT_EQ(cold.select(5).first, reference(x, n, d, {}, 3.f, 5).picks);
}

TEST(ProbCover, NormalisedRowsManyTilesAndCancellingNorms)
{
  const int64_t n = 1500, d = 12, budget = 40;
  auto labeled = every(n, 150);
  for (float offset : {0.f, 300.f}) {  // 300: ‖x‖² ≈ 10⁶ against δ² ≈ 0.5, the GEMM form has no digit left
    auto x = unit_rows(n, d, 2, offset);
    const float delta = delta_in_gap(x, n, d, 0.7);
    const auto want = reference(x, n, d, labeled, delta, budget);
    state s(x, n, d, labeled, delta, size_t{1} << 20);  // 1 MiB: 1024 × 256 tiles
    const auto got = s.select(budget);
    EXPECT_EQ(got.first, want.picks) << offset;
    EXPECT_EQ(got.second, want.gains) << offset;
    EXPECT_EQ(s.degree, want.degree) << offset;
    // Submodular: gains never grow; coverage grows by exactly the gains.
    EXPECT_TRUE(std::is_sorted(got.second.rbegin(), got.second.rend()));
    state fresh(x, n, d, labeled, delta);
    const auto uncovered_before = std::count(fresh.status.begin(), fresh.status.end(), pc::uncovered);
    const auto uncovered_after = std::count(s.status.begin(), s.status.end(), pc::uncovered);
    EXPECT_EQ(uncovered_before - uncovered_after, std::accumulate(got.second.begin(), got.second.end(), int64_t{0}));
  }
}

TEST(ProbCover, FarthestFirstOnceEveryRowIsCovered)
{
  const int64_t n = 300, d = 4;
  auto x = unit_rows(n, d, 3);
  auto labeled = every(n, 100);
  const float delta = delta_in_gap(x, n, d, 0.9);
  const auto want = reference(x, n, d, labeled, delta, 60);
  ASSERT_EQ(want.gains.back(), 0);  // the budget runs past full coverage
  state s(x, n, d, labeled, delta);
  const auto got = s.select(60);
  EXPECT_EQ(got.first, want.picks);
  EXPECT_EQ(got.second, want.gains);
  EXPECT_EQ(s.status, want.status);
  state rounds(x, n, d, labeled, delta);  // a round that starts covered continues the same way
  auto first = rounds.select(55).first, second = rounds.select(5).first;
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_EQ(first, want.picks);
}

TEST(ProbCover, RunsOutOnlyWhenEveryRowDuplicatesACentre)
{
  std::vector<float> x = {0, 0, 0, 0, 5, 5, 5, 5};  // rows 0,1 and 2,3 duplicate each other
  state s(x, 4, 2, {}, 1.f);
  auto got = s.select(2);
  EXPECT_EQ(got.first, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(got.second, (std::vector<int64_t>{2, 2}));
  EXPECT_THROW(s.select(1), tamis::logic_error);
  state all(x, 4, 2, {1, 1, 1, 1}, 1.f);
  EXPECT_THROW(all.select(1), tamis::logic_error);  // no row left to pick
}

TEST(ProbCover, NearestOtherEqualsBruteForce)
{
  const int64_t n = 1300, d = 6;
  auto x = unit_rows(n, d, 4);
  std::mt19937 gen(5);
  std::uniform_int_distribution<int64_t> label(0, 3);
  std::vector<int64_t> labels(n);
  for (auto& l : labels) l = label(gen);
  tamis::resources res;
  tamis::resource::set_workspace_limit(res, size_t{1} << 20);
  std::vector<float> got(n);
  pc::nearest_other(res, tamis::make_host_matrix_view<const float>(x.data(), n, d),
                    tamis::make_host_vector_view<const int64_t>(labels.data(), n),
                    tamis::make_host_vector_view(got.data(), n));
  for (int64_t i = 0; i < n; ++i) {
    double want = std::numeric_limits<double>::infinity();
    for (int64_t j = 0; j < n; ++j) {
      if (labels[j] != labels[i]) want = std::min(want, sq_dist(x, d, i, j));
    }
    EXPECT_NEAR(got[i], std::sqrt(want), 1e-5) << i;
  }
  std::vector<int64_t> same(n, 7);
  pc::nearest_other(res, tamis::make_host_matrix_view<const float>(x.data(), n, d),
                    tamis::make_host_vector_view<const int64_t>(same.data(), n),
                    tamis::make_host_vector_view(got.data(), n));
  EXPECT_TRUE(std::all_of(got.begin(), got.end(), [](float v) { return std::isinf(v); }));
}

TEST(ProbCover, BadInputsFailLoudly)
{
  std::vector<float> x = {0, 0, 1, 1, 2, 2, 3, 3};
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), 4, 2);
  std::vector<uint8_t> status(4);
  std::vector<int64_t> degree(4);
  auto st = tamis::make_host_vector_view(status.data(), 4);
  auto dg = tamis::make_host_vector_view(degree.data(), 4);
  const tamis::host_vector_view<const uint8_t> none{};
  for (float bad : {0.f, -1.f, std::nanf(""), std::numeric_limits<float>::infinity()}) {
    EXPECT_THROW(pc::init(res, xv, none, bad, st, dg), tamis::logic_error) << bad;
  }
  std::vector<uint8_t> short_mask(3);
  EXPECT_THROW(pc::init(res, xv, tamis::make_host_vector_view<const uint8_t>(short_mask.data(), 3), 1.f, st, dg),
               tamis::logic_error);
  EXPECT_THROW(pc::init(res, xv, none, 1.f, tamis::make_host_vector_view(status.data(), 3), dg), tamis::logic_error);
  std::vector<float> nan_x = x;
  nan_x[3] = std::nanf("");
  EXPECT_THROW(pc::init(res, tamis::make_host_matrix_view<const float>(nan_x.data(), 4, 2), none, 1.f, st, dg),
               tamis::logic_error);
  pc::init(res, xv, none, 1.f, st, dg);
  std::vector<int64_t> idx(5), gains(5);
  auto run = [&](int64_t budget, float delta) {
    pc::select(res, xv, delta, st, dg, tamis::make_host_vector_view(idx.data(), budget),
               tamis::make_host_vector_view(gains.data(), budget));
  };
  EXPECT_THROW(run(0, 1.f), tamis::logic_error);
  EXPECT_THROW(run(5, 1.f), tamis::logic_error);  // 4 rows
  EXPECT_THROW(run(1, std::nanf("")), tamis::logic_error);
  EXPECT_THROW(pc::select(res, xv, 1.f, st, dg, tamis::make_host_vector_view(idx.data(), 2),
                          tamis::make_host_vector_view(gains.data(), 1)),
               tamis::logic_error);
  std::vector<int64_t> labels(3), out(4);
  std::vector<float> dist(4);
  EXPECT_THROW(pc::nearest_other(res, xv, tamis::make_host_vector_view<const int64_t>(labels.data(), 3),
                                 tamis::make_host_vector_view(dist.data(), 4)),
               tamis::logic_error);
}

}  // namespace
