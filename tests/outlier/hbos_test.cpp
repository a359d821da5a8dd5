#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "reference.hpp"
#include "outlier/sorted_columns.hpp"
#include "tamis/outlier/ecod.hpp"
#include "tamis/outlier/hbos.hpp"

namespace {

namespace hbos = tamis::outlier::hbos;

/// numpy.histogram's edges for b bins of a column, in T: linspace(lo, hi, b + 1) after widening a
/// zero range by ±0.5 (the product is rounded before the addition, as numpy does).
template <typename T>
std::vector<T> reference_edges(std::vector<T> const& col, int64_t b)
{
  T lo = *std::min_element(col.begin(), col.end()), hi = *std::max_element(col.begin(), col.end());
  if (lo == hi) {
    lo -= T(0.5);
    hi += T(0.5);
  }
  std::vector<T> e(static_cast<size_t>(b + 1));
  const T step = (hi - lo) / static_cast<T>(b);
  for (int64_t k = 0; k < b; ++k) {
    volatile T offset = static_cast<T>(k) * step;
    e[k] = offset + lo;
  }
  e[b] = hi;
  return e;
}

/// numpy.histogram's counts: bin k holds e_k ≤ v < e_k+1, the last bin also v = e_b.
template <typename T>
std::vector<int64_t> reference_counts(std::vector<T> const& col, std::vector<T> const& e)
{
  const int64_t b = static_cast<int64_t>(e.size()) - 1;
  std::vector<int64_t> h(static_cast<size_t>(b), 0);
  for (T v : col) {
    for (int64_t k = 0; k < b; ++k) {
      if (v >= e[k] && (v < e[k + 1] || (k == b - 1 && v <= e[b]))) {
        ++h[k];
        break;
      }
    }
  }
  return h;
}

/// PyOD's get_optimal_n_bins: the first b in 1 .. max(2, ⌊√n⌋) − 1 maximising the penalised likelihood.
template <typename T>
int64_t reference_auto_bins(std::vector<T> const& col)
{
  const int64_t n = static_cast<int64_t>(col.size());
  const int64_t upper = std::max<int64_t>(2, static_cast<int64_t>(std::sqrt(static_cast<double>(n))));
  int64_t best = 1;
  double best_value = -std::numeric_limits<double>::infinity();
  for (int64_t b = 1; b < upper; ++b) {
    auto h = reference_counts(col, reference_edges(col, b));
    double value = 0;
    for (int64_t c : h) {
      value += c * std::log(static_cast<double>(b * c) / n + 1) - (b - 1 + std::pow(std::log(static_cast<double>(b)), 2.5));
    }
    if (value > best_value) {
      best_value = value;
      best = b;
    }
  }
  return best;
}

struct reference_model {
  std::vector<std::vector<double>> edges, density;
};

template <typename T>
reference_model reference_fit(std::vector<T> const& x, int64_t n, int64_t d, int64_t n_bins)
{
  reference_model model;
  for (int64_t j = 0; j < d; ++j) {
    std::vector<T> col(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) col[i] = x[i * d + j];
    const int64_t b = n_bins > 0 ? n_bins : reference_auto_bins(col);
    auto e = reference_edges(col, b);
    auto h = reference_counts(col, e);
    std::vector<double> dens(static_cast<size_t>(b));
    for (int64_t k = 0; k < b; ++k) dens[k] = h[k] / static_cast<double>(static_cast<T>(e[k + 1] - e[k])) / n;
    model.edges.emplace_back(e.begin(), e.end());
    model.density.push_back(dens);
  }
  return model;
}

/// PyOD's _calculate_outlier_scores, one value at a time: digitize(right=True) by scanning the edges.
double reference_score(reference_model const& model, const double* row, int64_t d, double alpha, double tol)
{
  double total = 0;
  for (int64_t j = 0; j < d; ++j) {
    auto const& e = model.edges[j];
    const int64_t b = static_cast<int64_t>(model.density[j].size());
    std::vector<double> ls(static_cast<size_t>(b));
    for (int64_t k = 0; k < b; ++k) ls[k] = std::log2(model.density[j][k] + alpha);
    const double lowest = *std::min_element(ls.begin(), ls.end());
    int64_t slot = 0;
    while (slot <= b && e[slot] < row[j]) ++slot;
    if (slot == 0) {
      total += e[0] - row[j] <= (e[1] - e[0]) * tol ? ls[0] : lowest;
    } else if (slot == b + 1) {
      total += row[j] - e[b] <= (e[b] - e[b - 1]) * tol ? ls[b - 1] : lowest;
    } else {
      total += ls[slot - 1];
    }
  }
  return -total;
}

template <typename T>
struct fitted {
  int64_t max_bins;
  std::vector<T> edges, density;
  std::vector<int64_t> bins;
};

using tamis::test::sorted_columns;

template <typename T>
fitted<T> fit_sorted(std::vector<T> const& s, int64_t n, int64_t d, int64_t n_bins)
{
  tamis::resources res;
  fitted<T> f;
  f.max_bins = hbos::max_bins(n, n_bins);
  f.edges.resize(static_cast<size_t>(d * (f.max_bins + 1)));
  f.density.resize(static_cast<size_t>(d * f.max_bins));
  f.bins.resize(static_cast<size_t>(d));
  hbos::fit(res, tamis::make_host_matrix_view<const T>(s.data(), d, n), n_bins,
            tamis::make_host_matrix_view(f.edges.data(), d, f.max_bins + 1),
            tamis::make_host_matrix_view(f.density.data(), d, f.max_bins),
            tamis::make_host_vector_view(f.bins.data(), d));
  return f;
}

template <typename T>
fitted<T> fit(std::vector<T> const& x, int64_t n, int64_t d, int64_t n_bins)
{
  return fit_sorted(sorted_columns(x, n, d), n, d, n_bins);
}

template <typename T>
std::vector<T> score(fitted<T> const& f, std::vector<T> const& x, int64_t m, int64_t d, double alpha = 0.1,
                     double tol = 0.5)
{
  tamis::resources res;
  std::vector<T> out(static_cast<size_t>(m));
  hbos::scores(res, tamis::make_host_matrix_view<const T>(f.edges.data(), d, f.max_bins + 1),
               tamis::make_host_matrix_view<const T>(f.density.data(), d, f.max_bins),
               tamis::make_host_vector_view<const int64_t>(f.bins.data(), d),
               tamis::make_host_matrix_view<const T>(x.data(), m, d), alpha, tol,
               tamis::make_host_vector_view(out.data(), m));
  return out;
}

/// Training data with ties, a constant column and a skewed one.
template <typename T>
std::vector<T> awkward_matrix(int64_t n, int64_t d, uint32_t seed)
{
  auto x = tamis::test::random_matrix<T>(n, d, seed);
  for (int64_t i = 0; i < n; ++i) {
    x[i * d] = std::round(x[i * d] * 2);
    if (d > 2) x[i * d + 2] = T(-3);
    if (d > 3) x[i * d + 3] = std::exp(x[i * d + 3]);
  }
  return x;
}

template <typename T>
class Hbos : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Hbos, Types);

TYPED_TEST(Hbos, KnownHistogramAndScores)
{
  using T = TypeParam;  // column 0 1 2 3, 2 bins: edges 0 1.5 3, density 2 / (4 · 1.5) = 1/3 each
  std::vector<T> x{0, 1, 2, 3};
  auto f = fit(x, 4, 1, 2);
  EXPECT_EQ(f.bins[0], 2);
  EXPECT_EQ(f.edges, (std::vector<T>{0, T(1.5), 3}));
  EXPECT_NEAR(f.density[0], 1.0 / 3, 1e-7);
  EXPECT_NEAR(f.density[1], 1.0 / 3, 1e-7);
  // In range, on the first edge (digitize: slot 0, within tol), just outside, far outside (lowest score).
  std::vector<T> q{T(1.5), 0, T(3.7), T(10)};
  auto s = score(f, q, 4, 1);
  const double inside = -std::log2(1.0 / 3 + 0.1);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(s[i], inside, 1e-6) << i;
  EXPECT_NEAR(s[3], inside, 1e-6);  // both bins equal: the lowest is the same
}

TYPED_TEST(Hbos, FitMatchesNumpyHistogramReference)
{
  using T = TypeParam;
  for (auto [n, d] : {std::pair<int64_t, int64_t>{500, 5}, {1, 2}, {3, 1}, {47, 4}}) {
    auto x = awkward_matrix<T>(n, d, 20 + static_cast<uint32_t>(n));
    for (int64_t n_bins : {int64_t{10}, int64_t{1}, int64_t{3}, int64_t{0}}) {
      auto f = fit(x, n, d, n_bins);
      auto want = reference_fit(x, n, d, n_bins);
      for (int64_t j = 0; j < d; ++j) {
        const int64_t b = static_cast<int64_t>(want.density[j].size());
        ASSERT_EQ(f.bins[j], b) << "n=" << n << " n_bins=" << n_bins << " feature " << j;
        double mass = 0;
        for (int64_t k = 0; k <= f.max_bins; ++k) {
          ASSERT_EQ(f.edges[j * (f.max_bins + 1) + k], static_cast<T>(want.edges[j][std::min(k, b)])) << "edge " << k;
        }
        for (int64_t k = 0; k < f.max_bins; ++k) {
          const double dens = f.density[j * f.max_bins + k], w = k < b ? want.density[j][k] : 0.0;
          ASSERT_NEAR(dens, w, 1e-6 * (1 + w)) << "n=" << n << " feature " << j << " bin " << k;
          if (k < b) mass += dens * (want.edges[j][k + 1] - want.edges[j][k]);
        }
        EXPECT_NEAR(mass, 1.0, 1e-5);
      }
    }
  }
}

TYPED_TEST(Hbos, ScoresMatchReferenceOnTrainingAndNewRows)
{
  using T = TypeParam;
  const double tol = std::is_same_v<T, float> ? 2e-6 : 1e-12;
  const int64_t n = 400, m = 120, d = 6;
  auto x = awkward_matrix<T>(n, d, 30);
  auto q = tamis::test::random_matrix<T>(m, d, 31);
  for (auto& v : q) v *= T(2.5);  // many values outside the fitted range, near and far
  for (int64_t n_bins : {int64_t{10}, int64_t{0}}) {
    auto f = fit(x, n, d, n_bins);
    auto model = reference_fit(x, n, d, n_bins);
    for (auto [alpha, tol_bins] : {std::pair{0.1, 0.5}, std::pair{0.5, 0.0}, std::pair{0.01, 2.0}}) {
      for (auto const* rows : {&x, &q}) {
        const int64_t count = rows == &x ? n : m;
        auto got = score(f, *rows, count, d, alpha, tol_bins);
        for (int64_t i = 0; i < count; ++i) {
          std::vector<double> row(rows->begin() + i * d, rows->begin() + (i + 1) * d);
          double want = reference_score(model, row.data(), d, alpha, tol_bins);
          ASSERT_NEAR(got[i], want, tol * (1 + std::abs(want))) << "n_bins=" << n_bins << " row " << i;
        }
      }
    }
  }
}

TYPED_TEST(Hbos, PartialFitIsMergeThenRefit)
{
  using T = TypeParam;
  const int64_t n1 = 150, n2 = 90, d = 4;
  auto a = awkward_matrix<T>(n1, d, 40);
  auto b = awkward_matrix<T>(n2, d, 41);
  std::vector<T> both(a);
  both.insert(both.end(), b.begin(), b.end());
  auto sa = sorted_columns(a, n1, d), sb = sorted_columns(b, n2, d);
  std::vector<T> merged(static_cast<size_t>(d * (n1 + n2)));
  tamis::resources res;
  tamis::outlier::merge_sorted_columns(res, tamis::make_host_matrix_view<const T>(sa.data(), d, n1),
                                       tamis::make_host_matrix_view<const T>(sb.data(), d, n2),
                                       tamis::make_host_matrix_view(merged.data(), d, n1 + n2));
  for (int64_t n_bins : {int64_t{7}, int64_t{0}}) {
    auto incremental = fit_sorted(merged, n1 + n2, d, n_bins);
    auto full = fit(both, n1 + n2, d, n_bins);
    EXPECT_EQ(incremental.edges, full.edges);
    EXPECT_EQ(incremental.density, full.density);
    EXPECT_EQ(incremental.bins, full.bins);
  }
}

TYPED_TEST(Hbos, RejectsBadArguments)
{
  using T = TypeParam;
  tamis::resources res;
  const int64_t n = 20, d = 3;
  auto x = awkward_matrix<T>(n, d, 50);
  auto s = sorted_columns(x, n, d);
  auto f = fit(x, n, d, 4);
  std::vector<T> out(static_cast<size_t>(n));
  auto ev = tamis::make_host_matrix_view<const T>(f.edges.data(), d, 5);
  auto dv = tamis::make_host_matrix_view<const T>(f.density.data(), d, 4);
  auto bv = tamis::make_host_vector_view<const int64_t>(f.bins.data(), d);
  auto xv = tamis::make_host_matrix_view<const T>(x.data(), n, d);
  auto ov = tamis::make_host_vector_view(out.data(), n);
  EXPECT_NO_THROW(hbos::scores(res, ev, dv, bv, xv, 0.1, 0.5, ov));
  EXPECT_THROW(hbos::scores(res, ev, dv, bv, xv, 0.0, 0.5, ov), tamis::logic_error);
  EXPECT_THROW(hbos::scores(res, ev, dv, bv, xv, 0.1, -1.0, ov), tamis::logic_error);
  EXPECT_THROW(hbos::scores(res, ev, dv, bv, xv, std::nan(""), 0.5, ov), tamis::logic_error);
  for (T bad : {std::numeric_limits<T>::quiet_NaN(), -std::numeric_limits<T>::infinity()}) {
    auto poisoned = x;
    poisoned[5] = bad;
    EXPECT_THROW(hbos::scores(res, ev, dv, bv, tamis::make_host_matrix_view<const T>(poisoned.data(), n, d), 0.1, 0.5, ov),
                 tamis::logic_error);
  }
  auto bins = f.bins;
  bins[1] = 5;  // more bins than the arrays hold
  EXPECT_THROW(hbos::scores(res, ev, dv, tamis::make_host_vector_view<const int64_t>(bins.data(), d), xv, 0.1, 0.5, ov),
               tamis::logic_error);
  auto density = f.density;
  density[2] = T(-1);
  EXPECT_THROW(hbos::scores(res, ev, tamis::make_host_matrix_view<const T>(density.data(), d, 4), bv, xv, 0.1, 0.5, ov),
               tamis::logic_error);
  auto edges = f.edges;
  std::swap(edges[1], edges[2]);  // descending edges
  EXPECT_THROW(hbos::scores(res, tamis::make_host_matrix_view<const T>(edges.data(), d, 5), dv, bv, xv, 0.1, 0.5, ov),
               tamis::logic_error);
  EXPECT_THROW(hbos::scores(res, ev, dv, bv, tamis::make_host_matrix_view<const T>(x.data(), n * d / 2, 2), 0.1, 0.5,
                            tamis::make_host_vector_view(out.data(), n * d / 2)),
               tamis::logic_error);
  EXPECT_THROW(hbos::scores(res, ev, dv, bv, xv, 0.1, 0.5, tamis::make_host_vector_view(out.data(), n - 1)),
               tamis::logic_error);
  // Fit: a negative bin count, wrongly shaped outputs, unsorted columns.
  EXPECT_THROW(fit_sorted(s, n, d, -2), tamis::logic_error);
  std::vector<T> e2(static_cast<size_t>(d * 6)), d2(static_cast<size_t>(d * 5));
  std::vector<int64_t> b2(static_cast<size_t>(d));
  EXPECT_THROW(hbos::fit(res, tamis::make_host_matrix_view<const T>(s.data(), d, n), 4,
                         tamis::make_host_matrix_view(e2.data(), d, 6), tamis::make_host_matrix_view(d2.data(), d, 5),
                         tamis::make_host_vector_view(b2.data(), d)),
               tamis::logic_error);
  EXPECT_THROW(hbos::fit(res, tamis::make_host_matrix_view<const T>(x.data(), d, n), 5,
                         tamis::make_host_matrix_view(e2.data(), d, 6), tamis::make_host_matrix_view(d2.data(), d, 5),
                         tamis::make_host_vector_view(b2.data(), d)),
               tamis::logic_error);
  EXPECT_EQ(hbos::max_bins(100, 0), 9);
  EXPECT_EQ(hbos::max_bins(3, 0), 1);
  EXPECT_EQ(hbos::max_bins(100, 25), 25);
}

}  // namespace
