#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "tamis/select/select_k.hpp"

namespace {

using tamis::resources;

template <typename T>
class SelectK : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(SelectK, Types);

/// Reference: stable sort of each row (ties keep the lower index first).
template <typename T>
void reference(std::vector<T> const& vals, int64_t n, int64_t m, int64_t k, bool select_min, std::vector<T>& ov,
               std::vector<int64_t>& oi)
{
  ov.assign(static_cast<size_t>(n * k), 0);
  oi.assign(static_cast<size_t>(n * k), 0);
  for (int64_t r = 0; r < n; ++r) {
    std::vector<int64_t> order(static_cast<size_t>(m));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return select_min ? vals[r * m + a] < vals[r * m + b] : vals[r * m + a] > vals[r * m + b];
    });
    for (int64_t j = 0; j < k; ++j) {
      oi[r * k + j] = order[j];
      ov[r * k + j] = vals[r * m + order[j]];
    }
  }
}

template <typename T>
void run_select(resources const& res, std::vector<T> const& vals, int64_t n, int64_t m, int64_t k, bool select_min,
                std::vector<T>& ov, std::vector<int64_t>& oi, const int64_t* in_idx = nullptr)
{
  ov.assign(static_cast<size_t>(n * k), 0);
  oi.assign(static_cast<size_t>(n * k), 0);
  tamis::select::select_k(res, tamis::make_host_matrix_view<const T>(vals.data(), n, m),
                          tamis::make_host_matrix_view<const int64_t>(in_idx, in_idx ? n : 0, in_idx ? m : 0),
                          tamis::make_host_matrix_view(ov.data(), n, k), tamis::make_host_matrix_view(oi.data(), n, k),
                          select_min);
}

TYPED_TEST(SelectK, MatchesStableSortForManyShapesWithTies)
{
  using T = TypeParam;
  resources res;
  std::mt19937 gen(11);
  for (auto [n, m] : {std::pair<int64_t, int64_t>{1, 1}, {3, 17}, {8, 1000}, {5, 4099}, {1, 140001}}) {
    std::uniform_int_distribution<int> small(0, 20);  // many exact ties
    std::vector<T> vals(static_cast<size_t>(n * m));
    for (auto& v : vals) v = static_cast<T>(small(gen));
    for (int64_t k : {int64_t{1}, std::min<int64_t>(m, 7), std::min<int64_t>(m, 300), m}) {
      for (bool select_min : {true, false}) {
        std::vector<T> ov, rv;
        std::vector<int64_t> oi, ri;
        run_select(res, vals, n, m, k, select_min, ov, oi);
        reference(vals, n, m, k, select_min, rv, ri);
        ASSERT_EQ(oi, ri) << "n=" << n << " m=" << m << " k=" << k << " min=" << select_min;
        ASSERT_EQ(ov, rv);
      }
    }
  }
}

TYPED_TEST(SelectK, PayloadIndicesAndInfinities)
{
  using T = TypeParam;
  resources res;
  const T inf = std::numeric_limits<T>::infinity();
  std::vector<T> vals{5, -inf, 2, inf, 2};
  std::vector<int64_t> payload{50, 40, 30, 20, 10};
  std::vector<T> ov;
  std::vector<int64_t> oi;
  run_select(res, vals, 1, 5, 3, true, ov, oi, payload.data());
  EXPECT_EQ(oi, (std::vector<int64_t>{40, 10, 30}));  // tie at 2 broken by the lower payload index
  EXPECT_EQ(ov, (std::vector<T>{-inf, 2, 2}));
}

TYPED_TEST(SelectK, LongRowsWithPayloadTieBreakByPayload)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 2, m = 300000, k = 100;
  std::mt19937 gen(5);
  std::uniform_int_distribution<int> small(0, 50);
  std::vector<T> vals(static_cast<size_t>(n * m));
  std::vector<int64_t> payload(static_cast<size_t>(n * m));
  for (int64_t i = 0; i < n * m; ++i) {
    vals[i] = static_cast<T>(small(gen));
    payload[i] = 3 * (m - i % m);  // descending with the column: ties must follow the payload
  }
  std::vector<T> ov;
  std::vector<int64_t> oi;
  run_select(res, vals, n, m, k, false, ov, oi, payload.data());
  for (int64_t r = 0; r < n; ++r) {
    std::vector<int64_t> cols(static_cast<size_t>(m));
    std::iota(cols.begin(), cols.end(), 0);
    std::sort(cols.begin(), cols.end(), [&](int64_t a, int64_t b) {
      T va = vals[r * m + a], vb = vals[r * m + b];
      return va > vb || (va == vb && payload[r * m + a] < payload[r * m + b]);
    });
    for (int64_t j = 0; j < k; ++j) {
      ASSERT_EQ(oi[r * k + j], payload[r * m + cols[j]]) << "row " << r << " slot " << j;
      ASSERT_EQ(ov[r * k + j], vals[r * m + cols[j]]);
    }
  }
}

TYPED_TEST(SelectK, MergeOfShardsEqualsSelectOverAll)
{
  using T = TypeParam;
  resources res;
  const int64_t n = 6, m = 900, k = 25;
  std::mt19937 gen(3);
  std::uniform_int_distribution<int> small(0, 100);
  std::vector<T> vals(static_cast<size_t>(n * m));
  for (auto& v : vals) v = static_cast<T>(small(gen));
  std::vector<T> rv;
  std::vector<int64_t> ri;
  reference(vals, n, m, k, true, rv, ri);

  // Three shards of columns [0,300), [300,600), [600,900): each selects its own top-k with global ids.
  std::vector<std::vector<T>> part_v(3);
  std::vector<std::vector<int64_t>> part_i(3);
  for (int p = 0; p < 3; ++p) {
    std::vector<T> shard(static_cast<size_t>(n * 300));
    for (int64_t r = 0; r < n; ++r)
      std::copy(vals.begin() + r * m + p * 300, vals.begin() + r * m + p * 300 + 300, shard.begin() + r * 300);
    run_select(res, shard, n, 300, k, true, part_v[p], part_i[p]);
    for (auto& id : part_i[p]) id += p * 300;
  }
  std::vector<tamis::host_matrix_view<const T>> pv;
  std::vector<tamis::host_matrix_view<const int64_t>> pi;
  for (int p = 2; p >= 0; --p) {  // merge order must not matter
    pv.push_back(tamis::make_host_matrix_view<const T>(part_v[p].data(), n, k));
    pi.push_back(tamis::make_host_matrix_view<const int64_t>(part_i[p].data(), n, k));
  }
  std::vector<T> ov(static_cast<size_t>(n * k));
  std::vector<int64_t> oi(static_cast<size_t>(n * k));
  tamis::select::merge_topk(res, pv, pi, tamis::make_host_matrix_view(ov.data(), n, k),
                            tamis::make_host_matrix_view(oi.data(), n, k), true);
  EXPECT_EQ(oi, ri);
  EXPECT_EQ(ov, rv);
}

TEST(SelectKErrors, RangeShapeAndNaN)
{
  resources res;
  std::vector<float> vals{1, 2, 3, 4, 5, 6};
  std::vector<float> ov(6);
  std::vector<int64_t> oi(6);
  auto in = tamis::make_host_matrix_view<const float>(vals.data(), 2, 3);
  auto sel = [&](int64_t k, int64_t idx_rows = -1) {
    tamis::select::select_k(res, in, {}, tamis::make_host_matrix_view(ov.data(), 2, k),
                            tamis::make_host_matrix_view(oi.data(), idx_rows < 0 ? 2 : idx_rows, k), true);
  };
  EXPECT_NO_THROW(sel(3));
  EXPECT_THROW(sel(0), tamis::logic_error);
  EXPECT_THROW(sel(4), tamis::logic_error);
  EXPECT_THROW(sel(2, 1), tamis::logic_error);
  vals[4] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(sel(2), tamis::logic_error);
}

TEST(MergeTopk, PaddingIsIgnored)
{
  resources res;
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> a{1, inf}, b{0.5f, inf};
  std::vector<int64_t> ai{7, -1}, bi{3, -1};
  std::vector<float> ov(3);
  std::vector<int64_t> oi(3);
  tamis::select::merge_topk(res,
                            {tamis::make_host_matrix_view<const float>(a.data(), 1, 2),
                             tamis::make_host_matrix_view<const float>(b.data(), 1, 2)},
                            {tamis::make_host_matrix_view<const int64_t>(ai.data(), 1, 2),
                             tamis::make_host_matrix_view<const int64_t>(bi.data(), 1, 2)},
                            tamis::make_host_matrix_view(ov.data(), 1, 3), tamis::make_host_matrix_view(oi.data(), 1, 3),
                            true);
  EXPECT_EQ(oi, (std::vector<int64_t>{3, 7, -1}));
}

}  // namespace
