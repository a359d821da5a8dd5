#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "reference.hpp"
#include "tamis/outlier/lof.hpp"

namespace {

/// Plain LOF by the definition (sklearn's: exactly k neighbours, +1e-10 in the lrd), in double.
struct reference_lof {
  std::vector<double> train;
  int64_t n, d, k;
  std::vector<double> k_distance, lrd, scores;

  double dist(const double* a, const double* b) const
  {
    double s = 0;
    for (int64_t c = 0; c < d; ++c) s += (a[c] - b[c]) * (a[c] - b[c]);
    return std::sqrt(s);
  }
  std::vector<int64_t> neighbours(const double* q, int64_t self) const
  {
    std::vector<int64_t> order;
    for (int64_t j = 0; j < n; ++j) if (j != self) order.push_back(j);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return dist(q, &train[a * d]) < dist(q, &train[b * d]); });
    order.resize(k);
    return order;
  }
  double lrd_of(const double* q, std::vector<int64_t> const& nb) const
  {
    double s = 0;
    for (int64_t o : nb) s += std::max(dist(q, &train[o * d]), k_distance[o]);
    return 1.0 / (s / k + 1e-10);
  }
  double lof_of(const double* q, int64_t self) const
  {
    auto nb = neighbours(q, self);
    double own = lrd_of(q, nb), s = 0;
    for (int64_t o : nb) s += lrd[o] / own;
    return s / k;
  }
  reference_lof(std::vector<double> x, int64_t n_, int64_t d_, int64_t k_) : train(std::move(x)), n(n_), d(d_), k(k_)
  {
    std::vector<std::vector<int64_t>> nbs;
    for (int64_t i = 0; i < n; ++i) {
      nbs.push_back(neighbours(&train[i * d], i));
      k_distance.push_back(dist(&train[i * d], &train[nbs.back().back() * d]));
    }
    for (int64_t i = 0; i < n; ++i) lrd.push_back(lrd_of(&train[i * d], nbs[i]));
    for (int64_t i = 0; i < n; ++i) scores.push_back(lof_of(&train[i * d], i));
  }
};

template <typename T>
struct fitted {
  std::vector<T> k_distance, lrd, scores;
};

template <typename T>
fitted<T> fit(std::vector<T> const& train, int64_t n, int64_t d, int64_t k)
{
  tamis::resources res;
  fitted<T> f{std::vector<T>(n), std::vector<T>(n), std::vector<T>(n)};
  tamis::outlier::lof_fit(res, tamis::make_host_matrix_view<const T>(train.data(), n, d), k,
                          tamis::make_host_vector_view(f.k_distance.data(), n),
                          tamis::make_host_vector_view(f.lrd.data(), n), tamis::make_host_vector_view(f.scores.data(), n));
  return f;
}

template <typename T>
std::vector<T> score(std::vector<T> const& train, fitted<T> const& f, int64_t n, int64_t d, std::vector<T> const& q,
                     int64_t m, int64_t query_d, int64_t k)
{
  tamis::resources res;
  std::vector<T> out(m);
  tamis::outlier::lof_scores(res, tamis::make_host_matrix_view<const T>(train.data(), n, d),
                             tamis::make_host_vector_view<const T>(f.k_distance.data(), n),
                             tamis::make_host_vector_view<const T>(f.lrd.data(), n),
                             tamis::make_host_matrix_view<const T>(q.data(), m, query_d), k,
                             tamis::make_host_vector_view(out.data(), m));
  return out;
}

template <typename T>
class Lof : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Lof, Types);

TYPED_TEST(Lof, FitAndNoveltyScoresMatchPlainReference)
{
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 2e-4 : 1e-9;
  for (auto [n, m, d, k] : {std::tuple<int64_t, int64_t, int64_t, int64_t>{2, 2, 1, 1}, {40, 9, 2, 5}, {600, 50, 7, 20}}) {
    auto train = tamis::test::random_matrix<T>(n, d, 11 + static_cast<uint32_t>(n));
    auto queries = tamis::test::random_matrix<T>(m, d, 12 + static_cast<uint32_t>(n));
    reference_lof ref(std::vector<double>(train.begin(), train.end()), n, d, k);
    auto f = fit(train, n, d, k);
    for (int64_t i = 0; i < n; ++i) {
      ASSERT_NEAR(f.k_distance[i], ref.k_distance[i], tol * (1 + ref.k_distance[i])) << i;
      ASSERT_NEAR(f.lrd[i], ref.lrd[i], tol * ref.lrd[i]) << i;
      ASSERT_NEAR(f.scores[i], ref.scores[i], tol * ref.scores[i]) << i;
    }
    auto got = score(train, f, n, d, queries, m, d, k);
    for (int64_t i = 0; i < m; ++i) {
      std::vector<double> q(queries.begin() + i * d, queries.begin() + (i + 1) * d);
      double want = ref.lof_of(q.data(), -1);
      ASSERT_NEAR(got[i], want, tol * want) << "query " << i;
    }
  }
}

TEST(Lof, PlantedOutlierScoresHighestAndDuplicateClustersScoreOne)
{
  const int64_t n = 201, d = 2, k = 10;
  auto train = tamis::test::random_matrix<double>(n, d, 3);
  train[0] = 40, train[1] = -40;  // far from the uniform cloud
  auto f = fit(train, n, d, k);
  EXPECT_EQ(std::max_element(f.scores.begin(), f.scores.end()) - f.scores.begin(), 0);
  EXPECT_GT(f.scores[0], 5.0);

  // 30 copies of one point: every neighbour at distance 0, lrd = 1e10, LOF exactly 1 (as sklearn).
  std::vector<double> dup(30 * 2, 0.25);
  auto g = fit(dup, 30, 2, 5);
  for (int64_t i = 0; i < 30; ++i) {
    EXPECT_EQ(g.k_distance[i], 0.0);
    EXPECT_DOUBLE_EQ(g.scores[i], 1.0);
  }
}

TEST(Lof, BadInputsFailLoudly)
{
  auto train = tamis::test::random_matrix<double>(6, 2, 5);
  EXPECT_THROW(fit(train, 6, 2, 6), tamis::logic_error);  // k must leave the row itself out
  EXPECT_THROW(fit(train, 6, 2, 0), tamis::logic_error);
  auto f = fit(train, 6, 2, 3);
  std::vector<double> q3 = {0, 0, 0};
  EXPECT_THROW(score(train, f, 6, 2, q3, 1, 3, 3), tamis::logic_error);  // feature count differs
  std::vector<double> q = {0, std::numeric_limits<double>::infinity()};
  EXPECT_THROW(score(train, f, 6, 2, q, 1, 2, 3), tamis::logic_error);
  tamis::resources res;
  std::vector<double> out(1);
  EXPECT_THROW(tamis::outlier::lof_scores(res, tamis::make_host_matrix_view<const double>(train.data(), 6, 2),
                                          tamis::make_host_vector_view<const double>(f.k_distance.data(), 5),
                                          tamis::make_host_vector_view<const double>(f.lrd.data(), 6),
                                          tamis::make_host_matrix_view<const double>(q.data(), 1, 2), 3,
                                          tamis::make_host_vector_view(out.data(), 1)),
               tamis::logic_error);  // k_distance has the wrong length
}

}  // namespace
