// The split fold (select/detail/fold_rows.hpp) that a GPU takes for few long rows, run here on the
// host backend with splitting forced on: the same heaps as a plain sort of (key, index) pairs.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "tamis/select/select_k.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/select/detail/fold_rows.hpp"

namespace {

namespace sd = tamis::select::detail;

/// The host backend with the GPU's appetite for parallel work, so rows get split.
struct splitting_host_backend : tamis::detail::host_backend {
  static constexpr int64_t fold_threads = int64_t{1} << 18;
};

TEST(FoldSplits, FillTheThreadsWithinWidthAndScratchLimits)
{
  EXPECT_EQ(sd::fold_splits(1000, 100000, 10, 0), 1);            // a backend that never splits
  EXPECT_EQ(sd::fold_splits(16384, 100000, 10, 1 << 18), 1);     // rows keep it busy enough
  EXPECT_EQ(sd::fold_splits(1000, 100000, 10, 1 << 18), 262);   // by threads
  EXPECT_EQ(sd::fold_splits(1000, 6400, 10, 1 << 18), 100);      // ≥ 64 columns each
  EXPECT_EQ(sd::fold_splits(1, 4000000, 100, 1 << 18), 10000);   // ≥ 4k columns each
  EXPECT_EQ(sd::fold_splits(2000, 200000, 100, 1 << 18), 20);    // ≤ 2²² scratch slots
}

/// Rows of small integers (many ties) with some entries masked out (index −1), folded with and
/// without splitting, against a sort of each row's (key, index) pairs.
void expect_split_fold_exact(int64_t rows, int64_t cols, int64_t k)
{
  std::mt19937 gen(static_cast<uint32_t>(rows * 7 + cols + k));
  std::uniform_int_distribution<int> value(-50, 50), mask(0, 9);
  std::vector<float> vals(static_cast<size_t>(rows * cols));
  std::vector<int64_t> ids(vals.size());
  for (size_t i = 0; i < vals.size(); ++i) {
    vals[i] = static_cast<float>(value(gen));
    ids[i] = mask(gen) == 0 ? -1 : static_cast<int64_t>(i % cols) * 3;
  }
  ASSERT_GT(sd::fold_splits(rows, cols, k, splitting_host_backend::fold_threads), 1);
  tamis::resources res;
  sd::matrix_candidates<float> cand{vals.data(), ids.data(), cols, 1.f};
  std::vector<float> keys(static_cast<size_t>(rows * k)), plain_keys(keys.size());
  std::vector<int64_t> idx(keys.size()), plain_idx(keys.size());
  using host = tamis::detail::host_backend;
  host::for_each_n(res, rows * k, sd::init_topk_op<float>{keys.data(), idx.data()});
  host::for_each_n(res, rows * k, sd::init_topk_op<float>{plain_keys.data(), plain_idx.data()});
  sd::fold_rows<splitting_host_backend, float>(res, rows, cand, keys.data(), idx.data(), k);
  sd::fold_rows<host, float>(res, rows, cand, plain_keys.data(), plain_idx.data(), k);
  // Heap layouts depend on the order of arrival; the sorted heaps do not.
  host::for_each_n(res, rows, sd::finish_topk_op<float, sd::signed_value<float>>{keys.data(), idx.data(), k, {1.f}});
  host::for_each_n(res, rows,
                   sd::finish_topk_op<float, sd::signed_value<float>>{plain_keys.data(), plain_idx.data(), k, {1.f}});
  EXPECT_EQ(idx, plain_idx);
  EXPECT_EQ(keys, plain_keys);
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<std::pair<float, int64_t>> want;
    for (int64_t c = 0; c < cols; ++c) {
      if (ids[r * cols + c] >= 0) want.emplace_back(vals[r * cols + c], ids[r * cols + c]);
    }
    std::sort(want.begin(), want.end());
    for (int64_t j = 0; j < k; ++j) {
      EXPECT_EQ(keys[r * k + j], want[j].first) << "row " << r << " slot " << j;
      EXPECT_EQ(idx[r * k + j], want[j].second) << "row " << r << " slot " << j;
    }
  }
}

TEST(FoldRows, SplitFoldEqualsPlainFoldAndSort)
{
  expect_split_fold_exact(3, 10007, 5);   // one merge level, a ragged last split
  expect_split_fold_exact(1, 60013, 50);  // merges of merges
  expect_split_fold_exact(40, 4099, 1);   // k = 1 (k-means assignment)
}

}  // namespace
