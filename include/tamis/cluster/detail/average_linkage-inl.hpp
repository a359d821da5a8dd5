// Body of average-linkage HAC, written once over a backend: leaves (rows, or k-means micro-clusters)
// as (count, mean, s) on the backend, the nearest-neighbour chain on the host driving one
// nearest-cluster pass per step on the backend, then the cut of the sorted merges by union-find.
#pragma once
#ifndef TAMIS_CLUSTER_AVERAGE_LINKAGE_HPP_INCLUDED
#error "tamis/cluster/detail/average_linkage-inl.hpp is internal: include tamis/cluster/average_linkage.hpp"
#endif

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/math.hpp"

namespace tamis::cluster::average_linkage::detail {

/// Per leaf c: count, mean and s (mean squared distance to the mean) of its rows, which are
/// rows[start[c] .. start[c + 1]) of the rows sorted by leaf. An empty leaf gets count 0 (inactive).
template <typename T>
struct leaf_stats_op {
  const T* x;
  int64_t d;
  const int64_t* rows;
  const int64_t* start;
  int64_t* count;
  double* means;
  double* s;
  int64_t* first_row;  // the leaf's lowest row (the sort is stable), −1 when empty
  TAMIS_HD void operator()(int64_t c) const
  {
    const int64_t lo = start[c], hi = start[c + 1];
    double* mu = means + c * d;
    for (int64_t j = 0; j < d; ++j) mu[j] = 0;
    for (int64_t r = lo; r < hi; ++r) {
      for (int64_t j = 0; j < d; ++j) mu[j] += static_cast<double>(x[rows[r] * d + j]);
    }
    const double size = static_cast<double>(hi - lo);
    for (int64_t j = 0; j < d; ++j) mu[j] = hi > lo ? mu[j] / size : 0.0;
    double spread = 0;
    for (int64_t r = lo; r < hi; ++r) {
      for (int64_t j = 0; j < d; ++j) {
        const double e = static_cast<double>(x[rows[r] * d + j]) - mu[j];
        spread += e * e;
      }
    }
    count[c] = hi - lo;
    s[c] = hi > lo ? spread / size : 0.0;
    first_row[c] = hi > lo ? rows[lo] : -1;
  }
};

/// neg[j] = −(group-average squared distance of clusters top and j) = −(‖μ_top − μ_j‖² + (s_top + s_j)),
/// the s terms added first so the value is the same bit for (a, b) and (b, a); −inf for top itself and
/// inactive j, so the backend's argmax (lowest index on ties) finds the nearest active cluster. Worker w
/// takes clusters [w · per, (w + 1) · per): about a reduction block of work each, so a small pass runs
/// on one thread instead of paying a thread team's start and barrier at every chain step.
struct neg_distance_op {
  const double* means;
  const int64_t* count;
  const double* s;
  int64_t m, d, per;
  int64_t top;
  double* neg;
  TAMIS_HD void operator()(int64_t w) const
  {
    const double* a = means + top * d;
    const int64_t end = (w + 1) * per < m ? (w + 1) * per : m;
    for (int64_t j = w * per; j < end; ++j) {
      if (j == top || count[j] == 0) {
        neg[j] = -std::numeric_limits<double>::infinity();
        continue;
      }
      neg[j] = -(squared_distance(a, means + j * d, d) + (s[top] + s[j]));
    }
  }
};

/// Merges cluster b into cluster a (one worker): count, size-weighted mean, and
/// s = (n_a s_a + n_b s_b + (n_a n_b / n) ‖μ_a − μ_b‖²) / n, the exact spread of the union.
struct merge_op {
  double* means;
  int64_t* count;
  double* s;
  int64_t d;
  int64_t a, b;
  TAMIS_HD void operator()(int64_t) const
  {
    const double na = static_cast<double>(count[a]), nb = static_cast<double>(count[b]), n = na + nb;
    double* ma = means + a * d;
    const double* mb = means + b * d;
    double gap = 0;
    for (int64_t k = 0; k < d; ++k) {
      gap += (ma[k] - mb[k]) * (ma[k] - mb[k]);
      ma[k] = (na * ma[k] + nb * mb[k]) / n;
    }
    s[a] = (na * s[a] + nb * s[b] + na * nb / n * gap) / n;
    count[a] += count[b];
    count[b] = 0;
  }
};

struct merge_step {
  int64_t a, b;
  double height;
};

/// Merges of the active leaves by the nearest-neighbour chain, in the order made; the cluster of a
/// merge keeps the lower slot. Ties go to the previous chain element (so the chain ends in a
/// reciprocal pair), else to the lowest slot.
template <typename Backend>
std::vector<merge_step> nn_chain(resources const& res, int64_t m, int64_t d, double* means, int64_t* count, double* s,
                                 std::vector<char> active)
{
  auto neg = Backend::template allocate<double>(res, m);
  const int64_t per = std::max<int64_t>(1, Backend::reduction_block / d), workers = (m + per - 1) / per;
  std::vector<merge_step> merges;
  std::vector<int64_t> chain;
  int64_t left = std::count(active.begin(), active.end(), char{1});
  int64_t first_active = 0;
  while (left > 1) {
    if (chain.empty()) {
      while (!active[first_active]) ++first_active;
      chain.push_back(first_active);
    }
    const int64_t top = chain.back();
    Backend::for_each_n(res, workers, neg_distance_op{means, count, s, m, d, per, top, neg.data()});
    auto [nearest, best] = tamis::detail::argmax<Backend>(res, neg.data(), m);
    const int64_t prev = chain.size() >= 2 ? chain[chain.size() - 2] : -1;
    if (prev >= 0) {
      double to_prev = 0;
      Backend::to_host(res, &to_prev, neg.data() + prev, 1);
      if (to_prev == best) nearest = prev;
    }
    if (nearest != prev) {
      chain.push_back(nearest);
      continue;
    }
    const int64_t a = std::min(top, prev), b = std::max(top, prev);
    Backend::for_each_n(res, 1, merge_op{means, count, s, d, a, b});
    merges.push_back({a, b, -best});
    active[b] = 0;
    chain.resize(chain.size() - 2);
    --left;
  }
  return merges;
}

inline int64_t find_root(std::vector<int64_t>& parent, int64_t i)
{
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

template <typename Backend, typename T>
int64_t fit(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
            vector_view<int64_t, typename Backend::memory_space> labels)
{
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols;
  tamis::detail::check_length("labels", labels, n);
  TAMIS_EXPECTS(p.max_leaves >= 1, "max_leaves: must be >= 1, got %lld", static_cast<long long>(p.max_leaves));
  const int64_t m = std::min(n, p.max_leaves);
  const bool by_count = p.n_clusters != 0;
  TAMIS_EXPECTS(by_count != (p.distance_threshold >= 0),
                "n_clusters / distance_threshold: give exactly one (n_clusters > 0, or n_clusters = 0 and a "
                "distance_threshold >= 0); got n_clusters %lld, distance_threshold %g",
                static_cast<long long>(p.n_clusters), p.distance_threshold);
  TAMIS_EXPECTS(!by_count || (p.n_clusters >= 1 && p.n_clusters <= m),
                "n_clusters: must be in [1, %lld] (rows, capped at max_leaves), got %lld", static_cast<long long>(m),
                static_cast<long long>(p.n_clusters));
  tamis::detail::check_finite<Backend>(res, "x", x);

  // Leaves: each row, or the k-means micro-cluster it falls in.
  auto leaf = Backend::template allocate<int64_t>(res, n);
  if (m == n) {
    Backend::for_each_n(res, n, tamis::detail::iota_op{leaf.data()});
  } else {
    kmeans::params kp;
    kp.n_clusters = m;
    kp.max_iter = p.kmeans_max_iter;
    kp.seed = p.seed;
    auto centroids = Backend::template allocate<T>(res, m * d);
    kmeans::fit(res, kp, x, matrix_view<T, typename Backend::memory_space>(centroids.data(), m, d),
                {leaf.data(), n});
  }
  auto keys = Backend::template allocate<int64_t>(res, n);
  auto rows = Backend::template allocate<int64_t>(res, n);
  auto start = Backend::template allocate<int64_t>(res, m + 1);
  tamis::detail::sort_rows_by_label<Backend>(res, leaf.data(), n, m, keys.data(), rows.data(), start.data());

  auto count = Backend::template allocate<int64_t>(res, m);
  auto means = Backend::template allocate<double>(res, m * d);
  auto s = Backend::template allocate<double>(res, m);
  auto first_row = Backend::template allocate<int64_t>(res, m);
  Backend::for_each_n(res, m, leaf_stats_op<T>{x.ptr, d, rows.data(), start.data(), count.data(), means.data(),
                                               s.data(), first_row.data()});
  std::vector<int64_t> leaf_first(static_cast<size_t>(m));
  Backend::to_host(res, leaf_first.data(), first_row.data(), m);
  std::vector<char> active(static_cast<size_t>(m));
  for (int64_t c = 0; c < m; ++c) active[c] = leaf_first[c] >= 0;
  const int64_t leaves = std::count(active.begin(), active.end(), char{1});
  TAMIS_EXPECTS(!by_count || p.n_clusters <= leaves,
                "n_clusters: %lld asked, but the k-means micro-clusters left only %lld non-empty leaves",
                static_cast<long long>(p.n_clusters), static_cast<long long>(leaves));

  auto merges = nn_chain<Backend>(res, m, d, means.data(), count.data(), s.data(), active);
  // Cut: the lowest merges (stable, so equal heights keep the chain's child-before-parent order).
  std::stable_sort(merges.begin(), merges.end(),
                   [](merge_step const& u, merge_step const& v) { return u.height < v.height; });
  std::vector<int64_t> parent(static_cast<size_t>(m));
  std::iota(parent.begin(), parent.end(), int64_t{0});
  const int64_t applied = by_count ? leaves - p.n_clusters : -1;
  for (int64_t t = 0; t < static_cast<int64_t>(merges.size()); ++t) {
    if (by_count ? t >= applied : merges[t].height > p.distance_threshold) break;
    parent[find_root(parent, merges[t].b)] = find_root(parent, merges[t].a);
  }
  // Number the clusters by their lowest row.
  std::vector<int64_t> root_first(static_cast<size_t>(m), std::numeric_limits<int64_t>::max());
  for (int64_t c = 0; c < m; ++c) {
    if (active[c]) root_first[find_root(parent, c)] = std::min(root_first[find_root(parent, c)], leaf_first[c]);
  }
  std::vector<int64_t> roots;
  for (int64_t c = 0; c < m; ++c) {
    if (active[c] && find_root(parent, c) == c) roots.push_back(c);
  }
  std::sort(roots.begin(), roots.end(), [&](int64_t u, int64_t v) { return root_first[u] < root_first[v]; });
  std::vector<int64_t> root_id(static_cast<size_t>(m), -1), leaf_id(static_cast<size_t>(m), -1);
  for (int64_t k = 0; k < static_cast<int64_t>(roots.size()); ++k) root_id[roots[k]] = k;
  for (int64_t c = 0; c < m; ++c) {
    if (active[c]) leaf_id[c] = root_id[find_root(parent, c)];
  }
  auto ids = Backend::template allocate<int64_t>(res, m);
  Backend::from_host(res, ids.data(), leaf_id.data(), m);
  Backend::for_each_n(res, n, tamis::detail::gather_op<int64_t>{ids.data(), leaf.data(), labels.ptr});
  Backend::sync(res);
  return static_cast<int64_t>(roots.size());
}

}  // namespace tamis::cluster::average_linkage::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_AVERAGE_LINKAGE_DEFINE(T, Space, Backend)                                                        \
  int64_t tamis::cluster::average_linkage::fit(resources const& res, params const& p,                          \
                                               matrix_view<const T, Space> x, vector_view<int64_t, Space> labels) \
  {                                                                                                            \
    return detail::fit<Backend, T>(res, p, x, labels);                                                         \
  }
