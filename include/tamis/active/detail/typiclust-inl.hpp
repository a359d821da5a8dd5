// Body of TypiClust, written once over a backend: the cluster bookkeeping (sizes, labeled counts,
// visiting order, the unlabeled members left) is O(n) on the host; per pick, the visited cluster's
// rows are gathered and its typicalities come from one exact kNN among them and one arg-max.
#pragma once
#ifndef TAMIS_ACTIVE_TYPICLUST_HPP_INCLUDED
#error "tamis/active/detail/typiclust-inl.hpp is internal: include tamis/active/typiclust.hpp"
#endif

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "tamis/active/detail/checks.hpp"
#include "tamis/cluster/kmeans.hpp"
#include "tamis/core/detail/index_ops.hpp"
#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace tamis::active::typiclust::detail {

/// typicality[i] = 1 / (mean of Σ_j (x_i − x_n)² over row i's k neighbours n + 1e-5), the reference's
/// definition. The distances are recomputed in the difference form, which is symmetric: two rows that
/// are each other's nearest neighbour tie exactly (the kNN's expanded form rounds the two ways apart).
template <typename T>
struct typicality_op {
  const T* rows;  // r × d
  int64_t d;
  const int64_t* neighbours;  // r × k
  int64_t k;
  double* typicality;
  TAMIS_HD void operator()(int64_t i) const
  {
    const T* row = rows + i * d;
    double s = 0;
    for (int64_t j = 0; j < k; ++j) {
      const T* other = rows + neighbours[i * k + j] * d;
      double s2 = 0;
      TAMIS_PRAGMA_SIMD(reduction(+ : s2))
      for (int64_t c = 0; c < d; ++c) {
        const double diff = static_cast<double>(row[c]) - static_cast<double>(other[c]);
        s2 += diff * diff;
      }
      s += s2;
    }
    typicality[i] = 1.0 / (s / static_cast<double>(k) + 1e-5);
  }
};

/// The clusters a batch may visit, in visiting order, each with its unlabeled rows ascending.
struct cluster_plan {
  std::vector<int64_t> order;                 // cluster ids
  std::vector<std::vector<int64_t>> members;  // unlabeled rows of order[c]
};

inline cluster_plan plan_clusters(std::vector<int64_t> const& ids, std::vector<uint8_t> const& known,
                                  int64_t min_cluster_size)
{
  const int64_t n = static_cast<int64_t>(ids.size());
  int64_t count = 0;
  for (int64_t i = 0; i < n; ++i) {
    TAMIS_EXPECTS(ids[i] >= 0 && ids[i] < n, "clusters: id %lld of row %lld is outside [0, %lld)",
                  static_cast<long long>(ids[i]), static_cast<long long>(i), static_cast<long long>(n));
    count = std::max(count, ids[i] + 1);
  }
  std::vector<int64_t> size(static_cast<size_t>(count), 0), labeled(static_cast<size_t>(count), 0);
  for (int64_t i = 0; i < n; ++i) {
    ++size[ids[i]];
    labeled[ids[i]] += known.empty() ? 0 : known[i] != 0;
  }
  cluster_plan plan;
  for (int64_t c = 0; c < count; ++c) {
    if (size[c] > min_cluster_size) plan.order.push_back(c);
  }
  TAMIS_EXPECTS(!plan.order.empty(), "clusters: none has more than min_cluster_size = %lld rows (largest: %lld)",
                static_cast<long long>(min_cluster_size),
                static_cast<long long>(*std::max_element(size.begin(), size.end())));
  // The reference's pandas sort on (labeled, −size); ids ascending break what is left of the ties.
  std::sort(plan.order.begin(), plan.order.end(), [&](int64_t a, int64_t b) {
    if (labeled[a] != labeled[b]) return labeled[a] < labeled[b];
    if (size[a] != size[b]) return size[a] > size[b];
    return a < b;
  });
  std::vector<int64_t> slot(static_cast<size_t>(count), -1);
  for (size_t s = 0; s < plan.order.size(); ++s) slot[plan.order[s]] = static_cast<int64_t>(s);
  plan.members.resize(plan.order.size());
  for (int64_t i = 0; i < n; ++i) {
    if (slot[ids[i]] >= 0 && (known.empty() || known[i] == 0)) plan.members[slot[ids[i]]].push_back(i);
  }
  return plan;
}

inline void check_params(params const& p)
{
  TAMIS_EXPECTS(p.k >= 1, "k: must be ≥ 1, got %lld", static_cast<long long>(p.k));
  TAMIS_EXPECTS(p.min_cluster_size >= 0, "min_cluster_size: must be ≥ 0, got %lld",
                static_cast<long long>(p.min_cluster_size));
}

template <typename Backend, typename T>
void select(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
            vector_view<const int64_t, typename Backend::memory_space> clusters,
            vector_view<const uint8_t, typename Backend::memory_space> labeled,
            vector_view<int64_t, typename Backend::memory_space> out_indices,
            vector_view<T, typename Backend::memory_space> out_gains)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, d = x.cols, budget = out_indices.length;
  tamis::detail::check_length("clusters", clusters, n);
  active::detail::check_selection<Backend>(res, labeled, n, out_indices, out_gains, "out_gains");
  check_params(p);
  tamis::detail::check_finite<Backend>(res, "x", x);

  std::vector<int64_t> ids(static_cast<size_t>(n));
  std::vector<uint8_t> known(labeled.ptr != nullptr ? static_cast<size_t>(n) : 0);
  Backend::to_host(res, ids.data(), clusters.ptr, n);
  if (labeled.ptr != nullptr) Backend::to_host(res, known.data(), labeled.ptr, n);
  cluster_plan plan = plan_clusters(ids, known, p.min_cluster_size);
  const int64_t visits = static_cast<int64_t>(plan.order.size());
  int64_t largest = 0;
  for (auto const& m : plan.members) largest = std::max(largest, static_cast<int64_t>(m.size()));
  const int64_t kmax = std::min(p.k, largest / 2);
  auto members = Backend::template allocate<int64_t>(res, largest);
  auto rows = Backend::template allocate<T>(res, largest * d);
  auto distances = Backend::template allocate<T>(res, largest * kmax);  // the kNN's; typicality_op recomputes
  auto neighbours = Backend::template allocate<int64_t>(res, largest * kmax);
  auto typicality = Backend::template allocate<double>(res, largest);

  std::vector<int64_t> picks;
  std::vector<T> gains;
  for (int64_t next = 0; static_cast<int64_t>(picks.size()) < budget;) {
    int64_t c = next, tried = 0;
    while (plan.members[c].empty() && ++tried < visits) c = (c + 1) % visits;
    TAMIS_EXPECTS(!plan.members[c].empty(),
                  "budget: only %lld picks were possible: no cluster of more than %lld rows has an unlabeled row left",
                  static_cast<long long>(picks.size()), static_cast<long long>(p.min_cluster_size));
    next = (c + 1) % visits;
    std::vector<int64_t>& left = plan.members[c];
    const int64_t r = static_cast<int64_t>(left.size()), k = std::min(p.k, r / 2);
    int64_t at = 0;
    double gain = 0;  // a lone row has no neighbour (the reference's mean over none is NaN)
    if (k > 0) {
      Backend::from_host(res, members.data(), left.data(), r);
      Backend::for_each_n(res, r * d, tamis::detail::gather_rows_op<T>{x.ptr, members.data(), d, rows.data()});
      // exclude_self: the reference asks faiss for K + 1 and drops the first, which is the row itself
      // (or a duplicate, at the same distance 0).
      neighbors::brute_force::knn(res, matrix_view<const T, space>(rows.data(), r, d),
                                  matrix_view<const T, space>(rows.data(), r, d), distance_metric::sqeuclidean, true,
                                  matrix_view<T, space>(distances.data(), r, k),
                                  matrix_view<int64_t, space>(neighbours.data(), r, k));
      Backend::for_each_n(res, r, typicality_op<T>{rows.data(), d, neighbours.data(), k, typicality.data()});
      std::tie(at, gain) = tamis::detail::argmax<Backend>(res, typicality.data(), r);
    }
    picks.push_back(left[at]);
    gains.push_back(static_cast<T>(gain));
    left.erase(left.begin() + at);
  }
  Backend::from_host(res, out_indices.ptr, picks.data(), budget);
  Backend::from_host(res, out_gains.ptr, gains.data(), budget);
  Backend::sync(res);
}

template <typename Backend, typename T>
void cluster_and_select(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
                        vector_view<const uint8_t, typename Backend::memory_space> labeled,
                        vector_view<int64_t, typename Backend::memory_space> out_indices,
                        vector_view<T, typename Backend::memory_space> out_gains)
{
  using space = typename Backend::memory_space;
  tamis::detail::check_matrix("x", x);
  const int64_t n = x.rows, budget = out_indices.length;
  const int64_t unlabeled =
    active::detail::check_selection<Backend>(res, labeled, n, out_indices, out_gains, "out_gains");
  TAMIS_EXPECTS(p.n_clusters >= 0, "n_clusters: must be ≥ 0 (0: |L| + budget), got %lld",
                static_cast<long long>(p.n_clusters));
  TAMIS_EXPECTS(p.max_clusters >= 1, "max_clusters: must be ≥ 1, got %lld", static_cast<long long>(p.max_clusters));
  check_params(p);  // before the k-means, not after it
  cluster::kmeans::params kp;
  kp.n_clusters = p.n_clusters > 0 ? p.n_clusters : std::min(n - unlabeled + budget, p.max_clusters);
  kp.seed = p.seed;
  auto centroids = Backend::template allocate<T>(res, kp.n_clusters * x.cols);
  auto ids = Backend::template allocate<int64_t>(res, n);
  cluster::kmeans::fit(res, kp, x, matrix_view<T, space>(centroids.data(), kp.n_clusters, x.cols),
                       vector_view<int64_t, space>(ids.data(), n));
  select<Backend, T>(res, p, x, vector_view<const int64_t, space>(ids.data(), n), labeled, out_indices, out_gains);
}

}  // namespace tamis::active::typiclust::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_ACTIVE_TYPICLUST_DEFINE(T, Space, Backend)                                                         \
  void tamis::active::typiclust::select(resources const& res, params const& p, matrix_view<const T, Space> x,    \
                                        vector_view<const int64_t, Space> clusters,                             \
                                        vector_view<const uint8_t, Space> labeled,                              \
                                        vector_view<int64_t, Space> out_indices, vector_view<T, Space> out_gains) \
  {                                                                                                             \
    detail::select<Backend, T>(res, p, x, clusters, labeled, out_indices, out_gains);                            \
  }                                                                                                             \
  void tamis::active::typiclust::cluster_and_select(resources const& res, params const& p,                      \
                                                    matrix_view<const T, Space> x,                              \
                                                    vector_view<const uint8_t, Space> labeled,                  \
                                                    vector_view<int64_t, Space> out_indices,                    \
                                                    vector_view<T, Space> out_gains)                            \
  {                                                                                                             \
    detail::cluster_and_select<Backend, T>(res, p, x, labeled, out_indices, out_gains);                          \
  }
