// Body of the isolation forest, written once over a backend. The backend gathers each tree's sample
// (ψ rows × its features) and walks rows through the trees; the trees themselves grow on the host
// (isolation_forest_build.cpp): each is a short sequential pass over ≤ 2ψ − 1 nodes, one per thread.
#pragma once
#ifndef TAMIS_OUTLIER_ISOLATION_FOREST_HPP_INCLUDED
#error "tamis/outlier/detail/isolation_forest-inl.hpp is internal: include tamis/outlier/isolation_forest.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"

namespace tamis::outlier::isolation_forest::detail {

/// Tree t draws from the Philox streams (seed, 4t + purpose): one per purpose, so changing how many
/// draws one purpose takes never shifts another's.
enum class stream_purpose : uint64_t { rows = 0, features = 1, splits = 2 };
inline uint64_t tree_stream(int64_t tree, stream_purpose purpose)
{
  return 4 * static_cast<uint64_t>(tree) + static_cast<uint64_t>(purpose);
}

/// Draws the rows (sample_size each, ascending) and features (features_per_tree each, ascending) of
/// trees [first, first + count) into count × sample_size `rows` and count × features_per_tree `features`.
void draw_samples(resources const& res, params const& p, forest_shape const& shape, int64_t n_rows, int64_t first,
                  int64_t count, int64_t* rows, int64_t* features);

/// Grows trees [first, first + count). Tree first + c reads its sample_size × features_per_tree block
/// at samples + c · sample_size · features_per_tree, whose column j is feature features[c, j], and
/// writes row c of the count × node_capacity host arrays feature, left and value.
template <typename T>
void grow_trees(resources const& res, uint64_t seed, forest_shape const& shape, int64_t first, int64_t count,
                const int64_t* features, const T* samples, int64_t* feature, int64_t* left, T* value);

/// out[(c · ψ + i) · f + j] = x[rows[c, i], features[c, j]] for every j: sample row i of tree c of a
/// chunk of trees, item c · ψ + i (one division per row, not per element).
template <typename T>
struct gather_samples_op {
  const T* x;
  int64_t cols;
  const int64_t* rows;
  const int64_t* features;
  int64_t sample_size;
  int64_t features_per_tree;
  T* out;
  TAMIS_HD void operator()(int64_t r) const
  {
    const T* row = x + rows[r] * cols;
    const int64_t* tree_features = features + r / sample_size * features_per_tree;
    T* sample = out + r * features_per_tree;
    for (int64_t j = 0; j < features_per_tree; ++j) sample[j] = row[tree_features[j]];
  }
};

/// A node as the walk reads it (one 12- or 16-byte load; int32 indices halve the footprint of the
/// int64 forest). A leaf is made absorbing: feature 0, its own index as child and threshold +∞ (no
/// finite x exceeds it), so a row may take more steps than its leaf's depth and stays there. Node
/// indices are the forest's, so the leaf's path length is read from forest.value.
template <typename T>
struct walk_node {
  T threshold;
  int32_t feature;
  int32_t child;  // x[feature] ≤ threshold goes to child, otherwise to child + 1
};

/// Converts tree t to walk_nodes and sets depth[t] to its longest root-to-node path: the number of
/// steps that takes every row to its leaf. One pass in index order suffices, since children come after
/// their parent (validated before): a node's depth is final when the pass reaches it. Until then, a
/// node's `feature` slot holds the longest path to it found so far (a malformed forest may give a node
/// several parents).
template <typename T>
struct build_walk_nodes_op {
  const int64_t* feature;
  const int64_t* left;
  const T* value;
  int64_t capacity;
  T infinity;
  walk_node<T>* nodes;
  int32_t* depth;
  TAMIS_HD void operator()(int64_t t) const
  {
    const int64_t first = t * capacity;
    walk_node<T>* tree = nodes + first;
    for (int64_t k = 0; k < capacity; ++k) tree[k].feature = 0;
    int32_t tree_depth = 0;
    for (int64_t k = 0; k < capacity; ++k) {
      const int32_t node_depth = tree[k].feature;
      tree_depth = node_depth > tree_depth ? node_depth : tree_depth;
      const int64_t f = feature[first + k], l = left[first + k];
      if (f < 0) {
        tree[k] = {infinity, 0, static_cast<int32_t>(k)};
        continue;
      }
      for (int64_t c = l; c <= l + 1; ++c) {
        tree[c].feature = node_depth + 1 > tree[c].feature ? node_depth + 1 : tree[c].feature;
      }
      tree[k] = {value[first + k], static_cast<int32_t>(f), static_cast<int32_t>(l)};
    }
    depth[t] = tree_depth;
  }
};

/// Rows [item · Block, …) walk every tree, tree by tree (one tree stays in cache while a block of rows
/// walks it). Within a tree, groups of Group rows walk level by level, every row taking depth[t]
/// branchless steps node = child + (x[feature] > threshold): no data-dependent branch to mispredict,
/// and Group independent rows per level keep the loads in flight (the compiler keeps them scalar:
/// gathers are slower on the CPUs measured). Each row sums its path lengths in tree order, so the
/// result does not depend on Block or Group. Row i gets 2^(−Σ path lengths / (trees · c(ψ))), or 0.5
/// when c(ψ) = 0.
template <typename T, int Block, int Group>
struct score_op {
  static_assert(Block % Group == 0, "a block holds whole groups");
  const T* x;
  int64_t rows;
  int64_t cols;
  const walk_node<T>* nodes;
  const int32_t* depth;
  const T* value;
  int64_t trees;
  int64_t capacity;
  double normaliser;  // trees · c(ψ)
  T* out;
  TAMIS_HD void operator()(int64_t item) const
  {
    using std::exp2;
    const int64_t first = item * Block;
    const int block = rows - first < Block ? static_cast<int>(rows - first) : Block;
    // A short last block repeats its last row: every block walks Block rows (fixed trip counts).
    const T* row[Block];
    for (int r = 0; r < Block; ++r) row[r] = x + (first + (r < block ? r : block - 1)) * cols;
    double total[Block];
    for (int r = 0; r < Block; ++r) total[r] = 0;
    for (int64_t t = 0; t < trees; ++t) {
      const walk_node<T>* tree = nodes + t * capacity;
      const T* leaf_value = value + t * capacity;
      for (int g = 0; g < Block; g += Group) {
        int32_t node[Group];
        for (int r = 0; r < Group; ++r) node[r] = 0;
        for (int32_t level = depth[t]; level > 0; --level) {
#pragma GCC unroll 16
          for (int r = 0; r < Group; ++r) {
            const walk_node<T> n = tree[node[r]];
            node[r] = n.child + static_cast<int32_t>(row[g + r][n.feature] > n.threshold);
          }
        }
        for (int r = 0; r < Group; ++r) total[g + r] += static_cast<double>(leaf_value[node[r]]);
      }
    }
    for (int r = 0; r < block; ++r) {
      out[first + r] = static_cast<T>(normaliser > 0 ? exp2(-total[r] / normaliser) : 0.5);
    }
  }
};

/// Counts, per block, the nodes a walk could not trust: a feature outside [−1, d), or an internal
/// node whose children are not later slots of its tree (which also rules out cycles).
struct block_invalid_node_op {
  const int64_t* feature;
  const int64_t* left;
  int64_t n;
  int64_t capacity;
  int64_t n_features;
  int64_t* out;
  TAMIS_HD void operator()(int64_t b) const
  {
    const int64_t block = tamis::detail::reduction_block;
    const int64_t end = (b + 1) * block < n ? (b + 1) * block : n;
    int64_t bad = 0;
    for (int64_t i = b * block; i < end; ++i) {
      const int64_t node = i % capacity, f = feature[i], l = left[i];
      bad += (f < -1 || f >= n_features || (f >= 0 && (l <= node || l + 1 >= capacity))) ? 1 : 0;
    }
    out[b] = bad;
  }
};

template <typename Backend, typename T>
forest_shape fit(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
                 matrix_view<int64_t, typename Backend::memory_space> feature,
                 matrix_view<int64_t, typename Backend::memory_space> left,
                 matrix_view<T, typename Backend::memory_space> value)
{
  tamis::detail::check_matrix("x", x);
  const forest_shape s = make_forest_shape(p, x.rows, x.cols);
  tamis::detail::check_shape("feature", feature, s.n_estimators, s.node_capacity);
  tamis::detail::check_shape("left", left, s.n_estimators, s.node_capacity);
  tamis::detail::check_shape("value", value, s.n_estimators, s.node_capacity);
  tamis::detail::check_finite<Backend>(res, "x", x);

  // Trees go in chunks whose gathered samples (held on the backend and on the host) fit the workspace,
  // and, past 32 trees, about 4 MiB: buffers reused while in cache cost less than fresh pages.
  const int64_t psi = s.sample_size, f = s.features_per_tree, cap = s.node_capacity;
  const int64_t per_tree = psi * f;
  const auto budget = static_cast<int64_t>(resource::get_workspace_limit(res) / (2 * sizeof(T)));
  const int64_t cached = std::max<int64_t>(32, static_cast<int64_t>((size_t{4} << 20) / sizeof(T)) / per_tree);
  const int64_t chunk = std::max<int64_t>(1, std::min({s.n_estimators, budget / per_tree, cached}));

  auto rows = Backend::template allocate<int64_t>(res, chunk * psi);
  auto features = Backend::template allocate<int64_t>(res, chunk * f);
  auto samples = Backend::template allocate<T>(res, chunk * per_tree);
  std::vector<int64_t> h_rows(static_cast<size_t>(chunk * psi)), h_features(static_cast<size_t>(chunk * f));
  std::vector<T> h_samples(static_cast<size_t>(chunk * per_tree));
  std::vector<int64_t> h_feature(static_cast<size_t>(chunk * cap)), h_left(h_feature.size());
  std::vector<T> h_value(h_feature.size());
  for (int64_t first = 0; first < s.n_estimators; first += chunk) {
    const int64_t count = std::min(chunk, s.n_estimators - first);
    draw_samples(res, p, s, x.rows, first, count, h_rows.data(), h_features.data());
    Backend::from_host(res, rows.data(), h_rows.data(), count * psi);
    Backend::from_host(res, features.data(), h_features.data(), count * f);
    Backend::for_each_n(res, count * psi,
                        gather_samples_op<T>{x.ptr, x.cols, rows.data(), features.data(), psi, f, samples.data()});
    Backend::to_host(res, h_samples.data(), samples.data(), count * per_tree);
    grow_trees(res, p.seed, s, first, count, h_features.data(), h_samples.data(), h_feature.data(), h_left.data(),
               h_value.data());
    Backend::from_host(res, feature.ptr + first * cap, h_feature.data(), count * cap);
    Backend::from_host(res, left.ptr + first * cap, h_left.data(), count * cap);
    Backend::from_host(res, value.ptr + first * cap, h_value.data(), count * cap);
  }
  Backend::sync(res);
  return s;
}

template <typename Backend, typename T>
void scores(resources const& res, forest_view<T, typename Backend::memory_space> forest,
            matrix_view<const T, typename Backend::memory_space> x, vector_view<T, typename Backend::memory_space> out)
{
  TAMIS_EXPECTS(forest.n_features >= 1, "forest.n_features: must be >= 1, got %lld",
                static_cast<long long>(forest.n_features));
  TAMIS_EXPECTS(forest.sample_size >= 1, "forest.sample_size: must be >= 1, got %lld",
                static_cast<long long>(forest.sample_size));
  tamis::detail::check_matrix("forest.value", forest.value);
  tamis::detail::check_shape("forest.feature", forest.feature, forest.value.rows, forest.value.cols);
  tamis::detail::check_shape("forest.left", forest.left, forest.value.rows, forest.value.cols);
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == forest.n_features, "x: has %lld features, the forest was fitted on %lld",
                static_cast<long long>(x.cols), static_cast<long long>(forest.n_features));
  tamis::detail::check_length("out", out, x.rows);
  tamis::detail::check_finite<Backend>(res, "forest.value", forest.value);
  tamis::detail::check_finite<Backend>(res, "x", x);

  const int64_t trees = forest.value.rows, capacity = forest.value.cols, nodes = trees * capacity;
  const int64_t invalid = tamis::detail::reduce_blocks<Backend, int64_t>(res, nodes, [&](int64_t* partial) {
    return block_invalid_node_op{forest.feature.ptr, forest.left.ptr, nodes, capacity, forest.n_features, partial};
  });
  TAMIS_EXPECTS(invalid == 0, "forest: %lld nodes have a feature outside [-1, %lld) or children outside their tree",
                static_cast<long long>(invalid), static_cast<long long>(forest.n_features));

  TAMIS_EXPECTS(capacity <= INT32_MAX, "forest: %lld nodes per tree exceed the walk's int32 node indices",
                static_cast<long long>(capacity));  // features fit: check_matrix bounds x.cols
  auto walk_nodes = Backend::template allocate<walk_node<T>>(res, nodes);
  auto depth = Backend::template allocate<int32_t>(res, trees);
  Backend::for_each_n(res, trees,
                      build_walk_nodes_op<T>{forest.feature.ptr, forest.left.ptr, forest.value.ptr, capacity,
                                             std::numeric_limits<T>::infinity(), walk_nodes.data(), depth.data()});

  // The host walks blocks of 32 rows, 16 at a time per level (measured best for ψ = 256 trees on
  // AVX-512 Zen: a tree and a block's rows stay in L1, and 16 groups keep the pipeline full without
  // spilling); a GPU thread takes one row, the threads of a warp walking the same tree together.
  constexpr bool host = std::is_same_v<typename Backend::memory_space, host_memory>;
  constexpr int block = host ? 32 : 1, group = host ? 16 : 1;
  const double normaliser = static_cast<double>(trees) * average_path_length(forest.sample_size);
  Backend::for_each_n(res, (x.rows + block - 1) / block,
                      score_op<T, block, group>{x.ptr, x.rows, x.cols, walk_nodes.data(), depth.data(),
                                                forest.value.ptr, trees, capacity, normaliser, out.ptr});
  Backend::sync(res);
}

}  // namespace tamis::outlier::isolation_forest::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ISOLATION_FOREST_DEFINE(T, Space, Backend)                                                          \
  tamis::outlier::isolation_forest::forest_shape tamis::outlier::isolation_forest::fit(                          \
    resources const& res, params const& p, matrix_view<const T, Space> x, matrix_view<int64_t, Space> feature,  \
    matrix_view<int64_t, Space> left, matrix_view<T, Space> value)                                               \
  {                                                                                                              \
    return detail::fit<Backend, T>(res, p, x, feature, left, value);                                            \
  }                                                                                                              \
  void tamis::outlier::isolation_forest::scores(resources const& res, forest_view<T, Space> forest,             \
                                                matrix_view<const T, Space> x, vector_view<T, Space> out)       \
  {                                                                                                              \
    detail::scores<Backend, T>(res, forest, x, out);                                                             \
  }
