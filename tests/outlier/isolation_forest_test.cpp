#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "reference.hpp"
#include "tamis/outlier/isolation_forest.hpp"

namespace {

namespace iforest = tamis::outlier::isolation_forest;

/// c(n) written out from Liu et al. (2008), in double.
double ref_c(int64_t n)
{
  if (n <= 1) return 0;
  if (n == 2) return 1;
  const double euler_gamma = 0.57721566490153286;
  return 2 * (std::log(n - 1.0) + euler_gamma) - 2.0 * (n - 1.0) / n;
}

template <typename T>
struct forest {
  iforest::forest_shape shape;
  std::vector<int64_t> feature, left;
  std::vector<T> value;

  iforest::forest_view<T, tamis::host_memory> view() const
  {
    const int64_t e = static_cast<int64_t>(feature.size()) / shape.node_capacity;
    return {shape.n_features, shape.sample_size,
            tamis::make_host_matrix_view<const int64_t>(feature.data(), e, shape.node_capacity),
            tamis::make_host_matrix_view<const int64_t>(left.data(), e, shape.node_capacity),
            tamis::make_host_matrix_view<const T>(value.data(), e, shape.node_capacity)};
  }
  int64_t trees() const { return static_cast<int64_t>(feature.size()) / shape.node_capacity; }
};

template <typename T>
forest<T> fit(std::vector<T> const& x, int64_t n, int64_t d, iforest::params const& p, int threads = 0,
              size_t workspace = 0)
{
  tamis::resources res;
  tamis::resource::set_num_threads(res, threads);
  if (workspace > 0) tamis::resource::set_workspace_limit(res, workspace);
  forest<T> f;
  f.shape = iforest::make_forest_shape(p, n, d);
  const int64_t e = f.shape.n_estimators, cap = f.shape.node_capacity;
  f.feature.resize(static_cast<size_t>(e * cap));
  f.left.resize(f.feature.size());
  f.value.resize(f.feature.size());
  auto got = iforest::fit(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                          tamis::make_host_matrix_view(f.feature.data(), e, cap),
                          tamis::make_host_matrix_view(f.left.data(), e, cap),
                          tamis::make_host_matrix_view(f.value.data(), e, cap));
  EXPECT_EQ(got.sample_size, f.shape.sample_size);
  EXPECT_EQ(got.node_capacity, f.shape.node_capacity);
  return f;
}

template <typename T>
std::vector<T> scores(forest<T> const& f, std::vector<T> const& x, int64_t m, int threads = 0)
{
  tamis::resources res;
  tamis::resource::set_num_threads(res, threads);
  std::vector<T> out(static_cast<size_t>(m));
  iforest::scores(res, f.view(), tamis::make_host_matrix_view<const T>(x.data(), m, f.shape.n_features),
                  tamis::make_host_vector_view(out.data(), m));
  return out;
}

/// The leaf a row reaches in tree t, by a plain recursive descent, and its depth.
template <typename T>
void descend(forest<T> const& f, int64_t t, const T* row, int64_t node, int64_t depth, int64_t& leaf,
             int64_t& leaf_depth)
{
  const int64_t k = t * f.shape.node_capacity + node;
  if (f.feature[k] < 0) {
    leaf = node;
    leaf_depth = depth;
    return;
  }
  const bool goes_left = static_cast<double>(row[f.feature[k]]) <= static_cast<double>(f.value[k]);
  descend(f, t, row, goes_left ? f.left[k] : f.left[k] + 1, depth + 1, leaf, leaf_depth);
}

/// 2^(−mean path length / c(ψ)) from the recursive descent (path length = the leaf's stored value).
template <typename T>
double reference_score(forest<T> const& f, const T* row)
{
  double total = 0;
  for (int64_t t = 0; t < f.trees(); ++t) {
    int64_t leaf = 0, depth = 0;
    descend(f, t, row, 0, 0, leaf, depth);
    total += static_cast<double>(f.value[t * f.shape.node_capacity + leaf]);
  }
  const double c = ref_c(f.shape.sample_size);
  return c > 0 ? std::pow(2.0, -total / f.trees() / c) : 0.5;
}

/// ROC-AUC of `s` for labels (1 = positive), ties counted half.
double auc(std::vector<double> const& s, std::vector<int> const& label)
{
  double wins = 0, pairs = 0;
  for (size_t i = 0; i < s.size(); ++i)
    for (size_t j = 0; j < s.size(); ++j)
      if (label[i] == 1 && label[j] == 0) {
        wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0);
        pairs += 1;
      }
  return wins / pairs;
}

template <typename T>
class IsolationForest : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(IsolationForest, Types);

TYPED_TEST(IsolationForest, HandBuiltForestScoresAsComputedByHand)
{
  using T = TypeParam;
  // ψ = 4, d = 2. Tree 0: x0 ≤ 0.5 ? leaf(1 + c(1)) : (x1 ≤ 0 ? leaf(2 + c(2)) : leaf(2 + c(1))).
  // Tree 1: a single leaf of 4 identical rows, path length c(4).
  const double c4 = ref_c(4);
  forest<T> f;
  f.shape.n_features = 2;
  f.shape.sample_size = 4;
  f.shape.node_capacity = 7;
  f.feature = {0, -1, 1, -1, -1, -1, -1, /**/ -1, -1, -1, -1, -1, -1, -1};
  f.left = {1, -1, 3, -1, -1, -1, -1, /**/ -1, -1, -1, -1, -1, -1, -1};
  f.value = {T(0.5), T(1), T(0), T(3), T(2), T(0), T(0), /**/ T(c4), T(0), T(0), T(0), T(0), T(0), T(0)};
  std::vector<T> x{T(0), T(0), T(1), T(-1), T(1), T(5), T(0.5), T(0), T(0.6), T(0)};
  auto got = scores(f, x, 5);
  const double want[] = {std::pow(2.0, -(1 + c4) / (2 * c4)), std::pow(2.0, -(3 + c4) / (2 * c4)),
                         std::pow(2.0, -(2 + c4) / (2 * c4)), std::pow(2.0, -(1 + c4) / (2 * c4)),  // 0.5 ≤ 0.5: left
                         std::pow(2.0, -(3 + c4) / (2 * c4))};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(got[i], want[i], 1e-6) << "row " << i;
}

/// A forest need not be in depth-first order nor a tree: a node may have two parents, reached at
/// different depths. Scoring walks a row as many steps as the longest path needs, whatever the
/// number of rows (blocks with a short tail) and threads.
TYPED_TEST(IsolationForest, OutOfOrderForestWithSharedChildrenScoresAsTheRecursiveWalk)
{
  using T = TypeParam;
  // Tree 0 (d = 2): 0: x0 ≤ 0 ? 2 : 3;  2: x1 ≤ 0 ? 4 : 5;  4: x1 ≤ −1 ? 5 : 6;  5: x0 ≤ −1 ? 7 : 8,
  // so node 5 sits at depth 2 (via 2) and 3 (via 4), and (−2, −2) takes 4 steps. Slot 1 is unused.
  // Tree 1: a single leaf.
  forest<T> f;
  f.shape.n_features = 2;
  f.shape.sample_size = 5;
  f.shape.node_capacity = 9;
  f.feature = {0, -1, 1, -1, 1, 0, -1, -1, -1, /**/ -1, -1, -1, -1, -1, -1, -1, -1, -1};
  f.left = {2, -1, 4, -1, 5, 7, -1, -1, -1, /**/ -1, -1, -1, -1, -1, -1, -1, -1, -1};
  f.value = {T(0), T(0), T(0), T(1.5), T(-1), T(-1), T(3.25), T(4.5), T(4.75), /**/ T(2), T(0), T(0), T(0),
             T(0), T(0), T(0), T(0), T(0)};
  for (int64_t m : {1, 15, 16, 17, 33, 100}) {
    auto x = tamis::test::random_matrix<T>(m, 2, static_cast<uint32_t>(m));
    x[0] = T(-2);
    x[1] = T(-2);
    auto got = scores(f, x, m, 1);
    EXPECT_EQ(got, scores(f, x, m, 2)) << "m=" << m;
    for (int64_t i = 0; i < m; ++i) ASSERT_NEAR(got[i], reference_score(f, x.data() + 2 * i), 1e-6) << "row " << i;
    EXPECT_NEAR(got[0], std::pow(2.0, -(4.5 + 2) / (2 * ref_c(5))), 1e-6);
  }
}

TYPED_TEST(IsolationForest, ScoresMatchRecursiveReferenceOnFittedForests)
{
  using T = TypeParam;
  for (int64_t d : {1, 3, 17}) {
    const int64_t n = 700, m = 300;
    auto x = tamis::test::random_matrix<T>(n, d, 11 + d);
    auto q = tamis::test::random_matrix<T>(m, d, 12 + d);
    for (int64_t j = 0; j < d; ++j) q[j] = T(6);  // an obvious outlier among the queries
    iforest::params p;
    p.n_estimators = 50;
    p.seed = 3;
    auto f = fit(x, n, d, p);
    EXPECT_EQ(f.shape.sample_size, 256);
    EXPECT_EQ(f.shape.max_depth, 8);
    EXPECT_EQ(f.shape.node_capacity, 511);
    auto got = scores(f, q, m);
    for (int64_t i = 0; i < m; ++i) {
      ASSERT_NEAR(got[i], reference_score(f, q.data() + i * d), 1e-6) << "d=" << d << " row " << i;
      EXPECT_GT(got[i], 0.0);
      EXPECT_LT(got[i], 1.0);
    }
    // In one dimension every point past the sample's range shares the extreme leaf: no clear winner.
    if (d > 1) EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(), 0) << "d=" << d;
  }
}

/// With ψ = n (no bootstrap) every training row is in every tree: walking all of them must fill
/// every leaf with exactly the count its path length records, within max_depth, and growth must
/// stop early only where every feature is constant.
TYPED_TEST(IsolationForest, EveryTrainingRowLandsInALeafThatCountsIt)
{
  using T = TypeParam;
  const int64_t n = 200, d = 4;
  auto x = tamis::test::random_matrix<T>(n, d, 5);
  for (int64_t i = 0; i < n; ++i) x[i * d + 2] = T(i % 3);  // a discrete column: ties and constant nodes
  for (int64_t i = 0; i < 20; ++i)                          // duplicate rows
    for (int64_t j = 0; j < d; ++j) x[(n - 1 - i) * d + j] = x[i * d + j];
  iforest::params p;
  p.n_estimators = 30;
  p.max_samples = n;
  p.seed = 9;
  auto f = fit(x, n, d, p);
  ASSERT_EQ(f.shape.max_depth, 8);  // ⌈log₂ 200⌉
  const int64_t cap = f.shape.node_capacity;
  for (int64_t t = 0; t < f.trees(); ++t) {
    std::map<int64_t, std::vector<int64_t>> rows_of_leaf;
    std::map<int64_t, int64_t> depth_of_leaf;
    for (int64_t i = 0; i < n; ++i) {
      int64_t leaf = 0, depth = 0;
      descend(f, t, x.data() + i * d, 0, 0, leaf, depth);
      rows_of_leaf[leaf].push_back(i);
      depth_of_leaf[leaf] = depth;
      ASSERT_LE(depth, f.shape.max_depth);
    }
    int64_t internal = 0;
    for (int64_t k = 0; k < cap; ++k) internal += f.feature[t * cap + k] >= 0 ? 1 : 0;
    EXPECT_EQ(static_cast<int64_t>(rows_of_leaf.size()), internal + 1) << "every leaf holds a row, tree " << t;
    for (auto const& [leaf, rows] : rows_of_leaf) {
      const int64_t size = static_cast<int64_t>(rows.size()), depth = depth_of_leaf[leaf];
      EXPECT_NEAR(f.value[t * cap + leaf], depth + ref_c(size), 1e-5) << "tree " << t << " leaf " << leaf;
      if (size >= 2 && depth < f.shape.max_depth) {
        for (int64_t j = 0; j < d; ++j)
          for (int64_t r : rows) ASSERT_EQ(x[r * d + j], x[rows[0] * d + j]) << "a splittable leaf, tree " << t;
      }
    }
  }
}

/// For ψ < n the leaf sizes are recovered from the stored path lengths (c is increasing): they must
/// add up to ψ in every tree, bootstrap or not.
TYPED_TEST(IsolationForest, LeafSizesAddUpToTheSampleSize)
{
  using T = TypeParam;
  const int64_t n = 1000, d = 3;
  auto x = tamis::test::random_matrix<T>(n, d, 21);
  for (bool bootstrap : {false, true}) {
    iforest::params p;
    p.n_estimators = 20;
    p.max_samples = 100;
    p.bootstrap = bootstrap;
    auto f = fit(x, n, d, p);
    const int64_t cap = f.shape.node_capacity;
    for (int64_t t = 0; t < f.trees(); ++t) {
      // Depth of every reachable node, from the root down.
      std::vector<int64_t> depth(static_cast<size_t>(cap), -1);
      depth[0] = 0;
      int64_t total = 0;
      for (int64_t k = 0; k < cap; ++k) {
        if (depth[k] < 0) continue;
        if (f.feature[t * cap + k] >= 0) {
          depth[f.left[t * cap + k]] = depth[f.left[t * cap + k] + 1] = depth[k] + 1;
          continue;
        }
        const double c = f.value[t * cap + k] - depth[k];
        int64_t size = 1;
        while (size < f.shape.sample_size && std::abs(ref_c(size) - c) > 1e-4) ++size;
        ASSERT_NEAR(ref_c(size), c, 1e-4) << "tree " << t << " node " << k;
        total += size;
      }
      EXPECT_EQ(total, f.shape.sample_size) << "bootstrap=" << bootstrap << " tree " << t;
    }
  }
}

TYPED_TEST(IsolationForest, IdenticalForAnyThreadCountAndChunkingAndSeedsDiffer)
{
  using T = TypeParam;
  const int64_t n = 3000, d = 40;
  auto x = tamis::test::random_matrix<T>(n, d, 2);
  iforest::params p;
  p.n_estimators = 16;
  p.max_samples = 2000;
  p.max_features = 0.5;
  p.seed = 77;
  auto one = fit(x, n, d, p, 1);
  for (int threads : {2, 3}) {
    auto other = fit(x, n, d, p, threads);
    EXPECT_EQ(one.feature, other.feature);
    EXPECT_EQ(one.left, other.left);
    EXPECT_EQ(one.value, other.value);
  }
  auto chunked = fit(x, n, d, p, 2, size_t{1} << 20);  // 1 MiB: one tree's sample per chunk
  EXPECT_EQ(one.feature, chunked.feature);
  EXPECT_EQ(one.value, chunked.value);
  p.seed = 78;
  auto reseeded = fit(x, n, d, p, 2);
  EXPECT_NE(one.value, reseeded.value);
}

TYPED_TEST(IsolationForest, PlantedOutliersScoreHigher)
{
  using T = TypeParam;
  const int64_t inliers = 1000, outliers = 20, d = 6, n = inliers + outliers;
  auto x = tamis::test::random_matrix<T>(n, d, 4);
  std::vector<int> label(static_cast<size_t>(n), 0);
  for (int64_t i = inliers; i < n; ++i) {
    label[i] = 1;
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = T(x[i * d + j] * 0.5 + ((i + j) % 2 ? 5 : -5));
  }
  const auto before = x;
  iforest::params p;
  p.seed = 1;
  auto f = fit(x, n, d, p);
  EXPECT_EQ(x, before) << "fit must not modify its input";
  auto s = scores(f, x, n);
  EXPECT_EQ(x, before) << "scores must not modify its input";
  std::vector<double> sd(s.begin(), s.end());
  EXPECT_GT(auc(sd, label), 0.999);
  double mean_out = 0, mean_in = 0;
  for (int64_t i = 0; i < n; ++i) (label[i] ? mean_out : mean_in) += sd[i];
  EXPECT_GT(mean_out / outliers, 0.65);
  EXPECT_LT(mean_in / inliers, 0.5);
}

/// The root splits on a uniformly random non-constant feature, at a threshold uniform in [min, max).
TYPED_TEST(IsolationForest, RootSplitsAreUniformOverNonConstantFeatures)
{
  using T = TypeParam;
  const int64_t n = 64, d = 4;
  auto x = tamis::test::random_matrix<T>(n, d, 8);
  for (int64_t i = 0; i < n; ++i) x[i * d + 1] = T(2.5);  // constant: never split on
  for (int64_t i = 0; i < n; ++i) x[i * d + 3] = T(i);    // [0, 63]
  iforest::params p;
  p.n_estimators = 3000;
  p.max_samples = n;
  auto f = fit(x, n, d, p);
  std::vector<int64_t> count(d, 0);
  double mean_threshold = 0;
  for (int64_t t = 0; t < f.trees(); ++t) {
    const int64_t k = t * f.shape.node_capacity;
    ASSERT_GE(f.feature[k], 0);
    ++count[f.feature[k]];
    if (f.feature[k] == 3) {
      ASSERT_GE(f.value[k], T(0));
      ASSERT_LT(f.value[k], T(63));
      mean_threshold += f.value[k];
    }
    for (int64_t node = 0; node < f.shape.node_capacity; ++node) ASSERT_NE(f.feature[k + node], 1);
  }
  EXPECT_EQ(count[1], 0);
  for (int64_t j : {0, 2, 3}) EXPECT_NEAR(count[j], 1000, 100) << "feature " << j;
  EXPECT_NEAR(mean_threshold / count[3], 31.5, 2.0);
}

TYPED_TEST(IsolationForest, SampleAndFeatureSizesFollowScikitLearn)
{
  using T = TypeParam;
  iforest::params p;
  auto s = iforest::make_forest_shape(p, 100, 5);  // max_samples clamped to n
  EXPECT_EQ(s.sample_size, 100);
  EXPECT_EQ(s.max_depth, 7);
  EXPECT_EQ(s.node_capacity, 199);
  EXPECT_EQ(s.features_per_tree, 5);
  p.max_samples_fraction = 0.5;
  p.max_features = 0.5;
  s = iforest::make_forest_shape(p, 101, 5);
  EXPECT_EQ(s.sample_size, 50);
  EXPECT_EQ(s.max_depth, 6);
  EXPECT_EQ(s.features_per_tree, 2);
  p.max_features = 0.01;
  EXPECT_EQ(iforest::make_forest_shape(p, 101, 5).features_per_tree, 1);
  p.max_features_count = 3;
  EXPECT_EQ(iforest::make_forest_shape(p, 101, 5).features_per_tree, 3);
  p = {};
  p.max_samples = 1;
  EXPECT_EQ(iforest::make_forest_shape(p, 10, 1).max_depth, 1);
  p.max_samples = 2;
  EXPECT_EQ(iforest::make_forest_shape(p, 10, 1).max_depth, 1);
  p.max_samples = 257;
  EXPECT_EQ(iforest::make_forest_shape(p, 1000, 1).max_depth, 9);

  // Each tree splits only on its own max(1, ⌊0.5 · 7⌋) = 3 features.
  const int64_t n = 300, d = 7;
  auto x = tamis::test::random_matrix<T>(n, d, 6);
  p = {};
  p.max_features = 0.5;
  p.n_estimators = 40;
  auto f = fit(x, n, d, p);
  std::set<int64_t> all;
  for (int64_t t = 0; t < f.trees(); ++t) {
    std::set<int64_t> used;
    for (int64_t k = 0; k < f.shape.node_capacity; ++k) {
      int64_t j = f.feature[t * f.shape.node_capacity + k];
      if (j >= 0) used.insert(j);
    }
    EXPECT_LE(used.size(), 3u) << "tree " << t;
    all.insert(used.begin(), used.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(d));
}

TYPED_TEST(IsolationForest, DegenerateDataGiveNeutralScores)
{
  using T = TypeParam;
  iforest::params p;
  p.n_estimators = 10;
  // Identical rows: every tree is one leaf of ψ rows, so the mean path length is c(ψ) and s = 1/2.
  std::vector<T> same(50 * 3, T(1.25));
  auto f = fit(same, 50, 3, p);
  for (double s : scores(f, same, 50)) EXPECT_NEAR(s, 0.5, 1e-6);
  // One row (ψ = 1): scikit-learn's score is 1/2 too.
  std::vector<T> one{T(1), T(2)};
  auto g = fit(one, 1, 2, p);
  EXPECT_EQ(g.shape.node_capacity, 1);
  std::vector<T> q{T(1), T(2), T(-3), T(9)};
  for (double s : scores(g, q, 2)) EXPECT_EQ(s, 0.5);
  // Two rows, one feature: the root always splits between them, both leaves have c(1) = 0.
  std::vector<T> two{T(0), T(1)};
  auto h = fit(two, 2, 1, p);
  for (double s : scores(h, two, 2)) EXPECT_NEAR(s, 0.5, 1e-6);  // 2^(−1 / c(2))
}

TYPED_TEST(IsolationForest, RejectsBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 20, d = 2;
  auto x = tamis::test::random_matrix<T>(n, d, 1);
  iforest::params p;
  p.n_estimators = 3;
  auto f = fit(x, n, d, p);
  const int64_t e = 3, cap = f.shape.node_capacity;
  std::vector<int64_t> feature(e * cap), left(e * cap);
  std::vector<T> value(e * cap);
  auto run_fit = [&](std::vector<T> const& data, int64_t rows, iforest::params const& q, int64_t out_cols) {
    iforest::fit(res, q, tamis::make_host_matrix_view<const T>(data.data(), rows, d),
                 tamis::make_host_matrix_view(feature.data(), e, out_cols),
                 tamis::make_host_matrix_view(left.data(), e, out_cols),
                 tamis::make_host_matrix_view(value.data(), e, out_cols));
  };
  EXPECT_NO_THROW(run_fit(x, n, p, cap));
  EXPECT_THROW(run_fit(x, n, p, cap - 1), tamis::logic_error);
  for (T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
    auto y = x;
    y[7] = bad;
    EXPECT_THROW(run_fit(y, n, p, cap), tamis::logic_error);
  }
  EXPECT_THROW(run_fit(x, 0, p, cap), tamis::logic_error);
  for (auto mutate : std::vector<void (*)(iforest::params&)>{
         [](iforest::params& q) { q.n_estimators = 0; }, [](iforest::params& q) { q.max_samples = 0; },
         [](iforest::params& q) { q.max_samples_fraction = 1.5; },
         [](iforest::params& q) { q.max_samples_fraction = 0.01; },  // ⌊0.01 · 20⌋ = 0 rows
         [](iforest::params& q) { q.max_samples_fraction = -0.5; }, [](iforest::params& q) { q.max_features = 0; },
         [](iforest::params& q) { q.max_features = 1.01; },
         [](iforest::params& q) { q.max_features = std::numeric_limits<double>::quiet_NaN(); },
         [](iforest::params& q) { q.max_features_count = 3; }, [](iforest::params& q) { q.max_features_count = -1; }}) {
    auto q = p;
    mutate(q);
    EXPECT_THROW(run_fit(x, n, q, cap), tamis::logic_error);
  }

  std::vector<T> out(n);
  auto run_scores = [&](iforest::forest_view<T, tamis::host_memory> fv, std::vector<T> const& data, int64_t cols) {
    iforest::scores(res, fv, tamis::make_host_matrix_view<const T>(data.data(), n * d / cols, cols),
                    tamis::make_host_vector_view(out.data(), n * d / cols));
  };
  EXPECT_NO_THROW(run_scores(f.view(), x, d));
  EXPECT_THROW(run_scores(f.view(), x, 1), tamis::logic_error);  // feature count differs from fit's
  auto y = x;
  y[3] = std::numeric_limits<T>::quiet_NaN();
  EXPECT_THROW(run_scores(f.view(), y, d), tamis::logic_error);
  auto fv = f.view();
  fv.sample_size = 0;
  EXPECT_THROW(run_scores(fv, x, d), tamis::logic_error);
  fv = f.view();
  fv.left.cols -= 1;
  EXPECT_THROW(run_scores(fv, x, d), tamis::logic_error);
  auto broken = f;
  broken.feature[0] = d;  // a feature the data does not have
  EXPECT_THROW(run_scores(broken.view(), x, d), tamis::logic_error);
  broken = f;
  broken.left[0] = 0;  // a cycle
  EXPECT_THROW(run_scores(broken.view(), x, d), tamis::logic_error);
  broken = f;
  broken.value[cap - 1] = std::numeric_limits<T>::infinity();
  EXPECT_THROW(run_scores(broken.view(), x, d), tamis::logic_error);
  std::vector<T> short_out(n - 1);
  EXPECT_THROW(iforest::scores(res, f.view(), tamis::make_host_matrix_view<const T>(x.data(), n, d),
                               tamis::make_host_vector_view(short_out.data(), n - 1)),
               tamis::logic_error);
}

}  // namespace
