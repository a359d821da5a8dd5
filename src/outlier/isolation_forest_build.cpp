// Host side of the isolation forest: each tree's sample draw and growth, one tree per thread. Every
// random choice of tree t comes from its own Philox streams (see tree_stream), addressed by what it
// decides (the i-th row drawn, the a-th feature tried at node k), so a forest never depends on the
// thread count or on which backend gathered the samples.
#include "tamis/outlier/isolation_forest.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_set>
#include <utility>
#include <vector>

#include <omp.h>

#include "tamis/core/rng.hpp"
#include "tamis/outlier/detail/isolation_forest-inl.hpp"

namespace tamis::outlier::isolation_forest::detail {
namespace {

int host_threads(resources const& res)
{
  int n = resource::get_num_threads(res);
  return n > 0 ? n : omp_get_max_threads();
}

/// k distinct values of [0, n), ascending, each k-subset equally likely (Floyd's algorithm: k draws).
void sample_without_replacement(philox_stream const& rng, int64_t n, int64_t k, int64_t* out)
{
  if (k == n) {
    std::iota(out, out + k, int64_t{0});
    return;
  }
  std::unordered_set<int64_t> chosen(static_cast<size_t>(2 * k));
  for (int64_t i = 0; i < k; ++i) {
    const int64_t j = n - k + i;
    auto pick = static_cast<int64_t>(rng.uniform_index(static_cast<uint64_t>(i), static_cast<uint64_t>(j + 1)));
    if (!chosen.insert(pick).second) {  // taken already: j itself is free (every earlier pick is < j)
      pick = j;
      chosen.insert(j);
    }
    out[i] = pick;
  }
  std::sort(out, out + k);
}

template <typename T>
struct split {
  int64_t column = -1;  // a column of the tree's sample block; −1: every feature is constant here
  T threshold = 0;
};

/// A uniformly random feature among those not constant on rows[begin, end) (features are tried in a
/// random order without replacement, as scikit-learn's random splitter keeps drawing past constant
/// ones), and a threshold uniform in its [min, max) there: each side keeps at least one row.
/// `candidates` holds the block's columns in any order; the draws permute it.
template <typename T>
split<T> draw_split(philox_stream const& rng, int64_t node, const T* sample, int64_t f, const int64_t* rows,
                    int64_t begin, int64_t end, std::vector<int64_t>& candidates)
{
  for (int64_t tried = 0, remaining = f; remaining > 0; ++tried) {
    const uint64_t counter = static_cast<uint64_t>(node) * static_cast<uint64_t>(f) + static_cast<uint64_t>(tried);
    const auto j = static_cast<int64_t>(rng.uniform_index(counter, static_cast<uint64_t>(remaining)));
    const int64_t column = candidates[j];
    T lo = sample[rows[begin] * f + column], hi = lo;
    for (int64_t r = begin + 1; r < end; ++r) {
      const T v = sample[rows[r] * f + column];
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
    }
    if (lo < hi) {
      const double u = rng.uniform(counter), a = lo, b = hi;
      const double width = b - a;  // overflows only for doubles near the range's ends
      auto threshold = static_cast<T>(std::isfinite(width) ? a + u * width : a * (1 - u) + b * u);
      if (!(threshold >= lo && threshold < hi)) threshold = lo;  // rounding reached max (scikit-learn's rule)
      return {column, threshold};
    }
    std::swap(candidates[j], candidates[--remaining]);
  }
  return {};
}

/// Grows one tree depth first; children of a node take the next two free slots.
template <typename T>
void grow_tree(philox_stream const& rng, forest_shape const& s, const int64_t* features, const T* sample,
               int64_t* feature, int64_t* left, T* value)
{
  const int64_t f = s.features_per_tree;
  std::fill(feature, feature + s.node_capacity, int64_t{-1});
  std::fill(left, left + s.node_capacity, int64_t{-1});
  std::fill(value, value + s.node_capacity, T(0));
  std::vector<int64_t> rows(static_cast<size_t>(s.sample_size));  // sample rows, grouped by node
  std::iota(rows.begin(), rows.end(), int64_t{0});
  std::vector<int64_t> candidates(static_cast<size_t>(f));
  std::iota(candidates.begin(), candidates.end(), int64_t{0});

  struct pending {
    int64_t node, begin, end, depth;
  };
  std::vector<pending> stack{{0, 0, s.sample_size, 0}};
  int64_t next_free = 1;
  while (!stack.empty()) {
    const pending n = stack.back();
    stack.pop_back();
    split<T> sp;
    if (n.end - n.begin >= 2 && n.depth < s.max_depth) {
      sp = draw_split(rng, n.node, sample, f, rows.data(), n.begin, n.end, candidates);
    }
    if (sp.column < 0) {
      value[n.node] = static_cast<T>(static_cast<double>(n.depth) + average_path_length(n.end - n.begin));
      continue;
    }
    const auto mid = std::partition(rows.begin() + n.begin, rows.begin() + n.end,
                                    [&](int64_t r) { return sample[r * f + sp.column] <= sp.threshold; }) -
                     rows.begin();
    feature[n.node] = features[sp.column];
    value[n.node] = sp.threshold;
    left[n.node] = next_free;
    stack.push_back({next_free + 1, mid, n.end, n.depth + 1});
    stack.push_back({next_free, n.begin, mid, n.depth + 1});
    next_free += 2;
  }
}

}  // namespace

void draw_samples(resources const& res, params const& p, forest_shape const& s, int64_t n_rows, int64_t first,
                  int64_t count, int64_t* rows, int64_t* features)
{
  const int64_t psi = s.sample_size, f = s.features_per_tree;
#pragma omp parallel for schedule(dynamic, 1) num_threads(host_threads(res)) if (count > 1)
  for (int64_t c = 0; c < count; ++c) {
    const philox_stream row_rng(p.seed, tree_stream(first + c, stream_purpose::rows));
    int64_t* tree_rows = rows + c * psi;
    if (p.bootstrap) {
      for (int64_t i = 0; i < psi; ++i) {
        const auto pick = row_rng.uniform_index(static_cast<uint64_t>(i), static_cast<uint64_t>(n_rows));
        tree_rows[i] = static_cast<int64_t>(pick);
      }
      std::sort(tree_rows, tree_rows + psi);
    } else {
      sample_without_replacement(row_rng, n_rows, psi, tree_rows);
    }
    sample_without_replacement(philox_stream(p.seed, tree_stream(first + c, stream_purpose::features)), s.n_features,
                               f, features + c * f);
  }
}

template <typename T>
void grow_trees(resources const& res, uint64_t seed, forest_shape const& s, int64_t first, int64_t count,
                const int64_t* features, const T* samples, int64_t* feature, int64_t* left, T* value)
{
  const int64_t f = s.features_per_tree, cap = s.node_capacity;
#pragma omp parallel for schedule(dynamic, 1) num_threads(host_threads(res)) if (count > 1)
  for (int64_t c = 0; c < count; ++c) {
    grow_tree(philox_stream(seed, tree_stream(first + c, stream_purpose::splits)), s, features + c * f,
              samples + c * s.sample_size * f, feature + c * cap, left + c * cap, value + c * cap);
  }
}

template void grow_trees<float>(resources const&, uint64_t, forest_shape const&, int64_t, int64_t, const int64_t*,
                                const float*, int64_t*, int64_t*, float*);
template void grow_trees<double>(resources const&, uint64_t, forest_shape const&, int64_t, int64_t, const int64_t*,
                                 const double*, int64_t*, int64_t*, double*);

}  // namespace tamis::outlier::isolation_forest::detail
