#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "reference.hpp"
#include "outlier/sorted_columns.hpp"
#include "tamis/outlier/ecod.hpp"

namespace {

namespace ecod = tamis::outlier::ecod;
using ecod::aggregation;
using ecod::detector;

enum class ref_mode { train, inductive, transductive };

/// Plain O(n·m·d) definitions in double, straight from PyOD's formulas: every ECDF value is a count
/// over the reference sample (train, or train + batch), the skewness a two-pass moment with SciPy's guard.
template <typename T>
std::vector<double> reference_scores(std::vector<T> const& train, int64_t n, std::vector<T> const& x, int64_t m,
                                     int64_t d, detector kind, aggregation agg, ref_mode mode)
{
  std::vector<T> ref(train);
  if (mode == ref_mode::transductive) ref.insert(ref.end(), x.begin(), x.end());
  const int64_t size = mode == ref_mode::transductive ? n + m : n;
  std::vector<int> sign(static_cast<size_t>(d));
  for (int64_t j = 0; j < d; ++j) {
    double mean = 0, m2 = 0, m3 = 0;
    for (int64_t i = 0; i < size; ++i) mean += ref[i * d + j];
    mean /= static_cast<double>(size);
    for (int64_t i = 0; i < size; ++i) {
      double delta = ref[i * d + j] - mean;
      m2 += delta * delta / static_cast<double>(size);
      m3 += delta * delta * delta / static_cast<double>(size);
    }
    double eps = std::numeric_limits<T>::epsilon();
    sign[j] = m2 <= (eps * mean) * (eps * mean) ? 0 : (m3 > 0 ? 1 : (m3 < 0 ? -1 : 0));
  }
  const double self = mode == ref_mode::inductive ? 1 : 0;
  std::vector<double> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) {
    double l_sum = 0, r_sum = 0, s_sum = 0, term_sum = 0;
    for (int64_t j = 0; j < d; ++j) {
      double v = x[i * d + j], le = self, ge = self;
      for (int64_t r = 0; r < size; ++r) {
        le += ref[r * d + j] <= v ? 1 : 0;
        ge += ref[r * d + j] >= v ? 1 : 0;
      }
      double ul = -std::log(le / (size + self)), ur = -std::log(ge / (size + self));
      double us = sign[j] < 0 ? ul : (sign[j] > 0 ? ur : ul + ur);
      l_sum += ul;
      r_sum += ur;
      s_sum += us;
      term_sum += kind == detector::ecod ? std::max({ul, ur, us}) : std::max(us, (ul + ur) / 2);
    }
    out[i] = agg == aggregation::pyod ? term_sum : std::max({l_sum, r_sum, s_sum});
  }
  return out;
}

using tamis::test::sorted_columns;

template <typename T>
std::vector<T> train_scores(std::vector<T> const& s, std::vector<T> const& x, int64_t n, int64_t d, detector kind,
                            aggregation agg)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(n));
  ecod::train_scores(res, tamis::make_host_matrix_view<const T>(s.data(), d, n),
                     tamis::make_host_matrix_view<const T>(x.data(), n, d), kind, agg,
                     tamis::make_host_vector_view(out.data(), n));
  return out;
}

template <typename T>
std::vector<T> scores(std::vector<T> const& s, int64_t n, std::vector<T> const& x, int64_t m, int64_t d, detector kind,
                      aggregation agg, ecod::ecdf_mode mode)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(m));
  ecod::scores(res, tamis::make_host_matrix_view<const T>(s.data(), d, n),
               tamis::make_host_matrix_view<const T>(x.data(), m, d), kind, agg, mode,
               tamis::make_host_vector_view(out.data(), m));
  return out;
}

/// Random training data with the awkward columns: ties (rounded), a constant column, a skewed one.
template <typename T>
std::vector<T> awkward_matrix(int64_t n, int64_t d, uint32_t seed)
{
  auto x = tamis::test::random_matrix<T>(n, d, seed);
  for (int64_t i = 0; i < n; ++i) {
    x[i * d] = std::round(x[i * d] * 2);
    if (d > 2) x[i * d + 2] = T(1.5);
    if (d > 3) x[i * d + 3] = std::exp(x[i * d + 3]);
  }
  return x;
}

template <typename T>
class Ecod : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Ecod, Types);

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 2e-6 : 1e-12;
}

const detector kDetectors[] = {detector::ecod, detector::copod};
const aggregation kAggregations[] = {aggregation::pyod, aggregation::paper};

TYPED_TEST(Ecod, SortColumnsSortsEachFeature)
{
  using T = TypeParam;
  const int64_t n = 301, d = 5;
  auto x = awkward_matrix<T>(n, d, 1);
  auto s = sorted_columns(x, n, d);
  for (int64_t j = 0; j < d; ++j) {
    std::vector<T> col(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) col[i] = x[i * d + j];
    std::sort(col.begin(), col.end());
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(s[j * n + i], col[i]) << "feature " << j << " rank " << i;
  }
}

TYPED_TEST(Ecod, MergeEqualsSortOfTheUnion)
{
  using T = TypeParam;
  const int64_t d = 4;
  for (auto [n1, n2] : {std::pair<int64_t, int64_t>{1, 1}, {37, 5}, {5, 200}, {130, 130}}) {
    auto a = awkward_matrix<T>(n1, d, 2);
    auto b = awkward_matrix<T>(n2, d, 3);
    std::copy(a.begin(), a.begin() + d, b.begin());  // a row present in both
    std::vector<T> both(a);
    both.insert(both.end(), b.begin(), b.end());
    auto sa = sorted_columns(a, n1, d), sb = sorted_columns(b, n2, d);
    std::vector<T> merged(static_cast<size_t>(d * (n1 + n2)));
    tamis::resources res;
    tamis::outlier::merge_sorted_columns(res, tamis::make_host_matrix_view<const T>(sa.data(), d, n1),
                                         tamis::make_host_matrix_view<const T>(sb.data(), d, n2),
                                         tamis::make_host_matrix_view(merged.data(), d, n1 + n2));
    EXPECT_EQ(merged, sorted_columns(both, n1 + n2, d)) << n1 << " + " << n2;
  }
}

TYPED_TEST(Ecod, TrainScoresMatchReference)
{
  using T = TypeParam;
  for (auto [n, d] : {std::pair<int64_t, int64_t>{200, 6}, {1, 3}, {2, 1}, {57, 1}, {90, 4}}) {
    auto x = awkward_matrix<T>(n, d, 4 + static_cast<uint32_t>(n));
    auto s = sorted_columns(x, n, d);
    for (auto kind : kDetectors) {
      for (auto agg : kAggregations) {
        auto got = train_scores(s, x, n, d, kind, agg);
        auto want = reference_scores(x, n, x, n, d, kind, agg, ref_mode::train);
        for (int64_t i = 0; i < n; ++i)
          ASSERT_NEAR(got[i], want[i], tolerance<T>() * (1 + std::abs(want[i]))) << "n=" << n << " d=" << d << " row " << i;
      }
    }
  }
}

TYPED_TEST(Ecod, TrainRowsInAnyOrderScoreTheSame)
{
  using T = TypeParam;
  const int64_t n = 64, d = 3;
  auto x = awkward_matrix<T>(n, d, 5);
  auto s = sorted_columns(x, n, d);
  std::vector<T> reversed(x.size());
  for (int64_t i = 0; i < n; ++i) std::copy(x.begin() + i * d, x.begin() + (i + 1) * d, reversed.begin() + (n - 1 - i) * d);
  auto forward = train_scores(s, x, n, d, detector::ecod, aggregation::pyod);
  auto backward = train_scores(s, reversed, n, d, detector::ecod, aggregation::pyod);
  for (int64_t i = 0; i < n; ++i) EXPECT_EQ(forward[i], backward[n - 1 - i]);
}

TYPED_TEST(Ecod, NewSamplesMatchReferenceInBothModes)
{
  using T = TypeParam;
  for (auto [n, m, d] : {std::tuple<int64_t, int64_t, int64_t>{150, 40, 5}, {1, 3, 2}, {30, 1, 1}, {80, 80, 4}}) {
    auto train = awkward_matrix<T>(n, d, 6 + static_cast<uint32_t>(m));
    auto x = tamis::test::random_matrix<T>(m, d, 7);
    for (auto& v : x) v *= T(2);  // beyond the training range on both sides
    if (m > 2) std::copy(train.begin(), train.begin() + d, x.begin() + d);  // a training row again
    auto s = sorted_columns(train, n, d);
    for (auto kind : kDetectors) {
      for (auto agg : kAggregations) {
        for (auto [mode, rmode] : {std::pair{ecod::ecdf_mode::inductive, ref_mode::inductive},
                                   std::pair{ecod::ecdf_mode::transductive, ref_mode::transductive}}) {
          auto got = scores(s, n, x, m, d, kind, agg, mode);
          auto want = reference_scores(train, n, x, m, d, kind, agg, rmode);
          for (int64_t i = 0; i < m; ++i)
            ASSERT_NEAR(got[i], want[i], tolerance<T>() * (1 + std::abs(want[i])))
              << "n=" << n << " m=" << m << " mode " << static_cast<int>(mode) << " row " << i;
        }
      }
    }
  }
}

TYPED_TEST(Ecod, InductiveScoresDoNotDependOnTheBatch)
{
  using T = TypeParam;
  const int64_t n = 100, m = 30, d = 4;
  auto train = awkward_matrix<T>(n, d, 8);
  auto x = tamis::test::random_matrix<T>(m, d, 9);
  auto s = sorted_columns(train, n, d);
  for (auto kind : kDetectors) {
    auto batch = scores(s, n, x, m, d, kind, aggregation::pyod, ecod::ecdf_mode::inductive);
    for (int64_t i = 0; i < m; ++i) {
      std::vector<T> row(x.begin() + i * d, x.begin() + (i + 1) * d);
      EXPECT_EQ(scores(s, n, row, 1, d, kind, aggregation::pyod, ecod::ecdf_mode::inductive)[0], batch[i]);
    }
  }
}

TYPED_TEST(Ecod, TransductiveScoresOfTheTrainingSetAreTheTrainScores)
{
  using T = TypeParam;  // concat(train, train) has the same ECDFs and skewness as train
  const int64_t n = 120, d = 3;
  auto x = awkward_matrix<T>(n, d, 10);
  auto s = sorted_columns(x, n, d);
  auto trans = scores(s, n, x, n, d, detector::copod, aggregation::pyod, ecod::ecdf_mode::transductive);
  auto train = train_scores(s, x, n, d, detector::copod, aggregation::pyod);
  for (int64_t i = 0; i < n; ++i) EXPECT_NEAR(trans[i], train[i], tolerance<T>() * (1 + std::abs(train[i])));
}

/// The same definitions as reference_scores, with each count read off a sorted copy of the reference
/// column (std::lower_bound / std::upper_bound), for sets too large for the quadratic reference.
template <typename T>
std::vector<double> sorted_reference_scores(std::vector<T> const& train, int64_t n, std::vector<T> const& x, int64_t m,
                                            int64_t d, detector kind, aggregation agg, ref_mode mode)
{
  const int64_t size = mode == ref_mode::transductive ? n + m : n;
  const double self = mode == ref_mode::inductive ? 1 : 0;
  std::vector<double> l_sum(static_cast<size_t>(m)), r_sum(l_sum), s_sum(l_sum), term_sum(l_sum);
  for (int64_t j = 0; j < d; ++j) {
    std::vector<T> col;
    for (int64_t i = 0; i < n; ++i) col.push_back(train[i * d + j]);
    if (mode == ref_mode::transductive)
      for (int64_t i = 0; i < m; ++i) col.push_back(x[i * d + j]);
    double mean = 0, m2 = 0, m3 = 0;
    for (T v : col) mean += v;
    mean /= static_cast<double>(size);
    for (T v : col) {
      m2 += (v - mean) * (v - mean) / static_cast<double>(size);
      m3 += (v - mean) * (v - mean) * (v - mean) / static_cast<double>(size);
    }
    const double eps = std::numeric_limits<T>::epsilon();
    const int sign = m2 <= (eps * mean) * (eps * mean) ? 0 : (m3 > 0 ? 1 : (m3 < 0 ? -1 : 0));
    std::sort(col.begin(), col.end());
    for (int64_t i = 0; i < m; ++i) {
      const T v = x[i * d + j];
      const double le = static_cast<double>(std::upper_bound(col.begin(), col.end(), v) - col.begin()) + self;
      const double ge = static_cast<double>(col.end() - std::lower_bound(col.begin(), col.end(), v)) + self;
      const double ul = -std::log(le / (size + self)), ur = -std::log(ge / (size + self));
      const double us = sign < 0 ? ul : (sign > 0 ? ur : ul + ur);
      l_sum[i] += ul;
      r_sum[i] += ur;
      s_sum[i] += us;
      term_sum[i] += kind == detector::ecod ? std::max({ul, ur, us}) : std::max(us, (ul + ur) / 2);
    }
  }
  std::vector<double> out(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i)
    out[i] = agg == aggregation::pyod ? term_sum[i] : std::max({l_sum[i], r_sum[i], s_sum[i]});
  return out;
}

TYPED_TEST(Ecod, LargeSetsMatchSortedReference)
{
  using T = TypeParam;  // several fence levels, long runs of ties, more rows than one workspace chunk
  const int64_t n = 70001, m = 1000, d = 16;
  auto train = awkward_matrix<T>(n, d, 12);
  auto x = tamis::test::random_matrix<T>(m, d, 13);
  for (auto& v : x) v *= T(2);
  std::copy(train.begin(), train.begin() + 4 * d, x.begin());
  auto s = sorted_columns(train, n, d);
  for (auto [kind, agg] : {std::pair{detector::ecod, aggregation::pyod}, std::pair{detector::copod, aggregation::paper}}) {
    auto got = train_scores(s, train, n, d, kind, agg);
    auto want = sorted_reference_scores(train, n, train, n, d, kind, agg, ref_mode::train);
    for (int64_t i = 0; i < n; ++i)
      ASSERT_NEAR(got[i], want[i], tolerance<T>() * (1 + std::abs(want[i]))) << "train row " << i;
    for (auto [mode, rmode] : {std::pair{ecod::ecdf_mode::inductive, ref_mode::inductive},
                               std::pair{ecod::ecdf_mode::transductive, ref_mode::transductive}}) {
      auto got_new = scores(s, n, x, m, d, kind, agg, mode);
      auto want_new = sorted_reference_scores(train, n, x, m, d, kind, agg, rmode);
      for (int64_t i = 0; i < m; ++i)
        ASSERT_NEAR(got_new[i], want_new[i], tolerance<T>() * (1 + std::abs(want_new[i])))
          << "mode " << static_cast<int>(mode) << " row " << i;
    }
  }
}

TYPED_TEST(Ecod, RejectsBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 10, d = 3;
  auto x = awkward_matrix<T>(n, d, 11);
  auto s = sorted_columns(x, n, d);
  std::vector<T> out(static_cast<size_t>(n)), wide(static_cast<size_t>(n * (d + 1)), T(0));
  auto sv = tamis::make_host_matrix_view<const T>(s.data(), d, n);
  auto xv = tamis::make_host_matrix_view<const T>(x.data(), n, d);
  auto ov = tamis::make_host_vector_view(out.data(), n);
  const auto ind = ecod::ecdf_mode::inductive;
  for (T bad : {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
    auto poisoned = x;
    poisoned[7] = bad;
    auto pv = tamis::make_host_matrix_view<const T>(poisoned.data(), n, d);
    EXPECT_THROW(tamis::outlier::sort_columns(res, pv, tamis::make_host_matrix_view(s.data(), d, n)),
                 tamis::logic_error);
    EXPECT_THROW(ecod::scores(res, sv, pv, detector::ecod, aggregation::pyod, ind, ov), tamis::logic_error);
    auto bad_sorted = s;
    bad_sorted[n - 1] = bad;
    EXPECT_THROW(ecod::scores(res, tamis::make_host_matrix_view<const T>(bad_sorted.data(), d, n), xv, detector::ecod,
                              aggregation::pyod, ind, ov),
                 tamis::logic_error);
  }
  // Unsorted columns (x passed where its sorted columns belong), mismatched features and lengths.
  EXPECT_THROW(ecod::scores(res, tamis::make_host_matrix_view<const T>(x.data(), d, n), xv, detector::ecod,
                            aggregation::pyod, ind, ov),
               tamis::logic_error);
  EXPECT_THROW(ecod::scores(res, sv, tamis::make_host_matrix_view<const T>(wide.data(), n, d + 1), detector::ecod,
                            aggregation::pyod, ind, ov),
               tamis::logic_error);
  EXPECT_THROW(ecod::scores(res, sv, xv, detector::ecod, aggregation::pyod, ind,
                            tamis::make_host_vector_view(out.data(), n - 1)),
               tamis::logic_error);
  EXPECT_THROW(tamis::outlier::sort_columns(res, xv, tamis::make_host_matrix_view(s.data(), n, d)), tamis::logic_error);
  // Train scores need the training rows themselves.
  auto other = x;
  other[4] += T(0.25);
  EXPECT_THROW(ecod::train_scores(res, sv, tamis::make_host_matrix_view<const T>(other.data(), n, d), detector::ecod,
                                  aggregation::pyod, ov),
               tamis::logic_error);
  EXPECT_THROW(ecod::train_scores(res, sv, tamis::make_host_matrix_view<const T>(x.data(), n - 1, d), detector::ecod,
                                  aggregation::pyod, tamis::make_host_vector_view(out.data(), n - 1)),
               tamis::logic_error);
  // Merging columns of different feature counts.
  std::vector<T> merged(static_cast<size_t>(d * 2 * n));
  EXPECT_THROW(tamis::outlier::merge_sorted_columns(res, sv, tamis::make_host_matrix_view<const T>(s.data(), d - 1, n),
                                                    tamis::make_host_matrix_view(merged.data(), d, 2 * n)),
               tamis::logic_error);
  EXPECT_THROW(ecod::parse_detector("lof"), tamis::logic_error);
  EXPECT_THROW(ecod::parse_aggregation("mean"), tamis::logic_error);
  EXPECT_THROW(ecod::parse_ecdf_mode("online"), tamis::logic_error);
}

}  // namespace
