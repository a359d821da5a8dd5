// Device select_k / merge_topk against the host overloads: the results are copies of input
// values with a deterministic tie-break, so they must be identical, ties and infinities included.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/core/cuda_resources.hpp"
#include "tamis/select/select_k.hpp"

namespace {

using tamis::resources;
using tamis::test::download;
using tamis::test::upload;

template <typename T>
class CudaSelectK : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaSelectK, Types);

/// Small integers, so most rows have many exact ties, plus a few ±Inf.
template <typename T>
std::vector<T> tied_values(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> dist(-20, 20);
  std::vector<T> v(static_cast<size_t>(rows * cols));
  for (auto& x : v) x = static_cast<T>(dist(gen));
  if (v.size() > 10) {
    v[3] = std::numeric_limits<T>::infinity();
    v[7] = -std::numeric_limits<T>::infinity();
  }
  return v;
}

template <typename T>
void expect_same_select_k(resources const& res, std::vector<T> const& vals, std::vector<int64_t> const* payload,
                          int64_t n, int64_t m, int64_t k, bool select_min)
{
  auto dv = upload(res, vals, n, m);
  tamis::device_matrix<int64_t> dp;
  tamis::device_matrix_view<const int64_t> dp_view{};
  tamis::host_matrix_view<const int64_t> hp_view{};
  if (payload != nullptr) {
    dp = upload(res, *payload, n, m);
    dp_view = std::as_const(dp).view();
    hp_view = tamis::make_host_matrix_view<const int64_t>(payload->data(), n, m);
  }
  auto d_out_v = tamis::make_device_matrix<T>(res, n, k);
  auto d_out_i = tamis::make_device_matrix<int64_t>(res, n, k);
  tamis::select::select_k(res, std::as_const(dv).view(), dp_view, d_out_v.view(), d_out_i.view(), select_min);

  std::vector<T> h_out_v(static_cast<size_t>(n * k));
  std::vector<int64_t> h_out_i(static_cast<size_t>(n * k));
  tamis::select::select_k(res, tamis::make_host_matrix_view<const T>(vals.data(), n, m), hp_view,
                          tamis::make_host_matrix_view(h_out_v.data(), n, k),
                          tamis::make_host_matrix_view(h_out_i.data(), n, k), select_min);
  EXPECT_EQ(download(res, d_out_v), h_out_v) << "n=" << n << " m=" << m << " k=" << k << " min=" << select_min;
  EXPECT_EQ(download(res, d_out_i), h_out_i) << "n=" << n << " m=" << m << " k=" << k << " min=" << select_min;
}

TYPED_TEST(CudaSelectK, IdenticalToHostForManyShapesWithTies)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  struct shape {
    int64_t n, m, k;
  };
  uint32_t seed = 1;
  for (shape s : {shape{1, 1, 1}, shape{50, 1000, 1}, shape{50, 1000, 17}, shape{13, 300, 300}, shape{7, 5000, 2049},
                  shape{300, 64, 10}}) {
    auto vals = tied_values<T>(s.n, s.m, seed++);
    for (bool select_min : {true, false}) expect_same_select_k(res, vals, nullptr, s.n, s.m, s.k, select_min);
  }
}

TYPED_TEST(CudaSelectK, IdenticalToHostWithPayloadIndices)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 40, m = 257, k = 33;
  auto vals = tied_values<T>(n, m, 99);
  std::vector<int64_t> payload(static_cast<size_t>(n * m));
  std::mt19937 gen(5);
  for (auto& p : payload) p = static_cast<int64_t>(gen() % 100000);
  payload[10] = -1;  // negative payload: the entry is skipped
  for (bool select_min : {true, false}) expect_same_select_k(res, vals, &payload, n, m, k, select_min);
}

TYPED_TEST(CudaSelectK, MergeTopkIdenticalToHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 25, k = 12;
  const std::vector<int64_t> widths{12, 5, 30};
  std::vector<std::vector<T>> vals;
  std::vector<std::vector<int64_t>> ids;
  std::vector<tamis::device_matrix<T>> dvals;
  std::vector<tamis::device_matrix<int64_t>> dids;
  int64_t offset = 0;
  for (size_t p = 0; p < widths.size(); ++p) {
    vals.push_back(tied_values<T>(n, widths[p], 40 + static_cast<uint32_t>(p)));
    std::vector<int64_t> id(static_cast<size_t>(n * widths[p]));
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < widths[p]; ++c) id[r * widths[p] + c] = offset + c;
    id[widths[p] + 1] = -1;  // padding
    ids.push_back(id);
    offset += widths[p];
    dvals.push_back(upload(res, vals.back(), n, widths[p]));
    dids.push_back(upload(res, ids.back(), n, widths[p]));
  }
  for (bool select_min : {true, false}) {
    std::vector<tamis::device_matrix_view<const T>> dv;
    std::vector<tamis::device_matrix_view<const int64_t>> di;
    std::vector<tamis::host_matrix_view<const T>> hv;
    std::vector<tamis::host_matrix_view<const int64_t>> hi;
    for (size_t p = 0; p < widths.size(); ++p) {
      dv.push_back(std::as_const(dvals[p]).view());
      di.push_back(std::as_const(dids[p]).view());
      hv.push_back(tamis::make_host_matrix_view<const T>(vals[p].data(), n, widths[p]));
      hi.push_back(tamis::make_host_matrix_view<const int64_t>(ids[p].data(), n, widths[p]));
    }
    auto d_out_v = tamis::make_device_matrix<T>(res, n, k);
    auto d_out_i = tamis::make_device_matrix<int64_t>(res, n, k);
    tamis::select::merge_topk(res, dv, di, d_out_v.view(), d_out_i.view(), select_min);
    std::vector<T> h_out_v(static_cast<size_t>(n * k));
    std::vector<int64_t> h_out_i(static_cast<size_t>(n * k));
    tamis::select::merge_topk(res, hv, hi, tamis::make_host_matrix_view(h_out_v.data(), n, k),
                              tamis::make_host_matrix_view(h_out_i.data(), n, k), select_min);
    EXPECT_EQ(download(res, d_out_v), h_out_v);
    EXPECT_EQ(download(res, d_out_i), h_out_i);
  }
}

TYPED_TEST(CudaSelectK, NaNAndBadKAreRejectedOnDevice)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  auto vals = tamis::test::random_matrix<T>(4, 8, 3);
  vals[9] = std::numeric_limits<T>::quiet_NaN();
  auto dv = upload(res, vals, 4, 8);
  auto out_v = tamis::make_device_matrix<T>(res, 4, 2);
  auto out_i = tamis::make_device_matrix<int64_t>(res, 4, 2);
  EXPECT_THROW(tamis::select::select_k(res, std::as_const(dv).view(), {}, out_v.view(), out_i.view(), true),
               tamis::logic_error);
  auto big_v = tamis::make_device_matrix<T>(res, 4, 9);
  auto big_i = tamis::make_device_matrix<int64_t>(res, 4, 9);
  EXPECT_THROW(tamis::select::select_k(res, std::as_const(dv).view(), {}, big_v.view(), big_i.view(), true),
               tamis::logic_error);
}

}  // namespace
