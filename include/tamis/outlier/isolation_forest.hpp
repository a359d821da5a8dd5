// Isolation forest (Liu, Ting & Zhou, ICDM 2008) with scikit-learn's semantics: each tree grows on
// ψ rows drawn without replacement, splitting on a uniformly random non-constant feature at a
// threshold uniform in the node's (min, max), down to depth ⌈log₂ ψ⌉. A row's path length in a tree
// is the depth of its leaf plus c(leaf size); its score is s = 2^(−mean path length / c(ψ)), higher =
// more anomalous (scikit-learn's score_samples is −s; PyOD's IForest ranks like s).
//
// Trees draw from one Philox stream each, so a forest depends only on (data, params, seed): never
// on the thread count or the backend. Trees grow on the host (each sees only its ψ × features
// sample, gathered on the backend); scoring runs on the backend, one row walking every tree.
//
// The fitted forest is three caller-owned n_estimators × node_capacity arrays (row t = tree t, column
// k = node k, the root is node 0):
//   feature[t, k]: the split feature at an internal node, −1 at a leaf;
//   left[t, k]:    the left child's node index (the right child is left + 1), −1 at a leaf;
//   value[t, k]:   the threshold at an internal node (x[feature] ≤ threshold goes left, as in
//                  scikit-learn), the leaf's path length depth + c(size) at a leaf.
// Slots past a tree's last node are unreachable leaves (−1, −1, 0). Forests grown with the same ψ on
// the same features concatenate (row-wise) into one larger forest: an exact merge.
#pragma once
#define TAMIS_OUTLIER_ISOLATION_FOREST_HPP_INCLUDED

#include <cmath>
#include <cstdint>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::outlier::isolation_forest {

struct params {
  int64_t n_estimators = 100;
  /// Rows per tree ψ, clamped to n (scikit-learn's integer max_samples; its "auto" is 256).
  int64_t max_samples = 256;
  /// When > 0, ψ = ⌊max_samples_fraction · n⌋ instead, a fraction in (0, 1] (scikit-learn's float).
  double max_samples_fraction = 0;
  /// Each tree sees max(1, ⌊max_features · d⌋) features drawn without replacement; in (0, 1].
  double max_features = 1.0;
  /// When > 0, each tree sees exactly this many features instead (≤ d; scikit-learn's integer).
  int64_t max_features_count = 0;
  /// Draws each tree's ψ rows with replacement.
  bool bootstrap = false;
  uint64_t seed = 0;
};

/// Sizes of a forest, fixed by the parameters and the training matrix's shape.
struct forest_shape {
  int64_t n_estimators = 0;
  int64_t n_features = 0;         ///< d of the training data; scored rows must have as many
  int64_t sample_size = 0;        ///< ψ
  int64_t max_depth = 0;          ///< ⌈log₂ max(ψ, 2)⌉
  int64_t features_per_tree = 0;
  int64_t node_capacity = 0;      ///< 2ψ − 1 (every split leaves ≥ 1 row on each side)
};

/// A fitted forest as scoring reads it (layout above).
template <typename T, typename Space>
struct forest_view {
  int64_t n_features = 0;
  int64_t sample_size = 0;  ///< ψ: path lengths are normalised by c(ψ)
  matrix_view<const int64_t, Space> feature;
  matrix_view<const int64_t, Space> left;
  matrix_view<const T, Space> value;
};

/// c(n) = 2(ln(n − 1) + γ) − 2(n − 1)/n for n > 2, c(2) = 1, c(n ≤ 1) = 0: the mean path length
/// of an unsuccessful search in a binary search tree of n keys.
inline double average_path_length(int64_t n)
{
  if (n <= 1) return 0.0;
  if (n == 2) return 1.0;
  const double m = static_cast<double>(n);
  return 2.0 * (std::log(m - 1.0) + 0.5772156649015329) - 2.0 * (m - 1.0) / m;
}

/// Validates `p` against an n_rows × n_features training matrix and returns the forest's sizes.
inline forest_shape make_forest_shape(params const& p, int64_t n_rows, int64_t n_features)
{
  TAMIS_EXPECTS(n_rows >= 1 && n_features >= 1, "x: needs at least one row and one feature, got (%lld, %lld)",
                static_cast<long long>(n_rows), static_cast<long long>(n_features));
  TAMIS_EXPECTS(p.n_estimators >= 1, "n_estimators: must be >= 1, got %lld", static_cast<long long>(p.n_estimators));
  forest_shape s;
  s.n_estimators = p.n_estimators;
  s.n_features = n_features;
  if (p.max_samples_fraction != 0) {
    TAMIS_EXPECTS(p.max_samples_fraction > 0 && p.max_samples_fraction <= 1,
                  "max_samples_fraction: must be in (0, 1], got %g", p.max_samples_fraction);
    s.sample_size = static_cast<int64_t>(p.max_samples_fraction * static_cast<double>(n_rows));
    TAMIS_EXPECTS(s.sample_size >= 1, "max_samples_fraction: %g of %lld rows leaves no row per tree",
                  p.max_samples_fraction, static_cast<long long>(n_rows));
  } else {
    TAMIS_EXPECTS(p.max_samples >= 1, "max_samples: must be >= 1, got %lld", static_cast<long long>(p.max_samples));
    s.sample_size = p.max_samples < n_rows ? p.max_samples : n_rows;
  }
  if (p.max_features_count != 0) {
    TAMIS_EXPECTS(p.max_features_count >= 1 && p.max_features_count <= n_features,
                  "max_features_count: must be in [1, %lld], got %lld", static_cast<long long>(n_features),
                  static_cast<long long>(p.max_features_count));
    s.features_per_tree = p.max_features_count;
  } else {
    TAMIS_EXPECTS(p.max_features > 0 && p.max_features <= 1, "max_features: must be in (0, 1], got %g",
                  p.max_features);
    const auto f = static_cast<int64_t>(p.max_features * static_cast<double>(n_features));
    s.features_per_tree = f > 1 ? f : 1;
  }
  s.max_depth = 1;
  for (int64_t reach = 2; reach < s.sample_size; reach *= 2) ++s.max_depth;
  s.node_capacity = 2 * s.sample_size - 1;
  TAMIS_EXPECTS(s.n_estimators <= INT64_MAX / s.node_capacity, "n_estimators: %lld trees of %lld nodes overflow int64",
                static_cast<long long>(s.n_estimators), static_cast<long long>(s.node_capacity));
  return s;
}

#define TAMIS_ISOLATION_FOREST_DECLARE(T, Space)                                                               \
  /** Grows the forest on x (n × d, finite) into feature, left and value, each n_estimators × node_capacity    \
      (make_forest_shape); returns the shape. */                                                                 \
  forest_shape fit(resources const& res, params const& p, matrix_view<const T, Space> x,                        \
                   matrix_view<int64_t, Space> feature, matrix_view<int64_t, Space> left,                        \
                   matrix_view<T, Space> value);                                                                 \
  /** out[i] = 2^(−mean over trees of the path length of row i / c(ψ)) for x (m × n_features, finite); 0.5      \
      when ψ = 1 (as scikit-learn). */                                                                           \
  void scores(resources const& res, forest_view<T, Space> forest, matrix_view<const T, Space> x,                \
              vector_view<T, Space> out);

TAMIS_ISOLATION_FOREST_DECLARE(float, host_memory)
TAMIS_ISOLATION_FOREST_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_ISOLATION_FOREST_DECLARE(float, device_memory)
TAMIS_ISOLATION_FOREST_DECLARE(double, device_memory)
#endif
#undef TAMIS_ISOLATION_FOREST_DECLARE

}  // namespace tamis::outlier::isolation_forest
