// Body of k-means, written once over a backend. Every pass streams the rows in fixed batches:
// GEMM against the centres, a k = 1 top-k fold for the labels, then per-cluster sums in row order
// merged into host-side double-precision partial sums, so the result never depends on threads.
#pragma once
#ifndef TAMIS_CLUSTER_KMEANS_HPP_INCLUDED
#error "tamis/cluster/detail/kmeans-inl.hpp is internal: include tamis/cluster/kmeans.hpp"
#endif

#include <algorithm>
#include <cmath>
#include <vector>

#include "tamis/linalg/linalg.hpp"
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/select/select_k.hpp"

#include "tamis/cluster/detail/kmeans_ops.hpp"
#include "tamis/core/detail/validate.hpp"
#include "tamis/core/rng.hpp"
#include "tamis/linalg/detail/linalg-inl.hpp"
#include "tamis/neighbors/detail/brute_force-inl.hpp"
#include "tamis/select/detail/select_k-inl.hpp"

namespace tamis::cluster::kmeans::detail {

inline distance_metric metric_of(params const& p)
{
  return p.spherical ? distance_metric::cosine : distance_metric::sqeuclidean;
}

/// Everything one batch of rows needs on the backend, allocated once per call.
template <typename Backend, typename T>
struct batch_workspace {
  int64_t rows;  // batch capacity
  typename Backend::template buffer<T> row_norms;
  typename Backend::template buffer<T> tile;
  typename Backend::template buffer<int64_t> sort_keys;
  typename Backend::template buffer<int64_t> sort_rows;
  typename Backend::template buffer<int64_t> starts;
  typename Backend::template buffer<double> sums;
  typename Backend::template buffer<int64_t> counts;

  batch_workspace(resources const& res, int64_t n, int64_t k, int64_t d, int64_t batch_rows)
    : rows(std::min(n, batch_rows_within_budget(res, k, batch_rows))),
      row_norms(Backend::template allocate<T>(res, rows)),
      tile(Backend::template allocate<T>(res, rows * k)),
      sort_keys(Backend::template allocate<int64_t>(res, rows)),
      sort_rows(Backend::template allocate<int64_t>(res, rows)),
      starts(Backend::template allocate<int64_t>(res, k + 1)),
      sums(Backend::template allocate<double>(res, k * d)),
      counts(Backend::template allocate<int64_t>(res, k))
  {
  }

  static int64_t batch_rows_within_budget(resources const& res, int64_t k, int64_t batch_rows)
  {
    int64_t fit = static_cast<int64_t>(resource::get_workspace_limit(res) / 2 / (static_cast<size_t>(k) * sizeof(T)));
    TAMIS_EXPECTS(fit >= 1, "n_clusters: %lld centres do not fit one row of work in the workspace limit",
                  static_cast<long long>(k));
    if (batch_rows == 0) batch_rows = Backend::stream_batch_rows;
    return std::max<int64_t>(1, std::min(batch_rows, fit));
  }
};

/// Centres as the backend sees them, with the norms the metric needs.
template <typename Backend, typename T>
struct centres_on_backend {
  typename Backend::template buffer<T> values;
  typename Backend::template buffer<T> norms;
  int64_t k, d;

  centres_on_backend(resources const& res, int64_t k_, int64_t d_)
    : values(Backend::template allocate<T>(res, k_ * d_)), norms(Backend::template allocate<T>(res, k_)), k(k_), d(d_)
  {
  }
  void upload(resources const& res, const std::vector<T>& host, distance_metric metric)
  {
    Backend::from_host(res, values.data(), host.data(), k * d);
    linalg::detail::row_norms_unchecked<Backend>(res, values.data(), k, d, norms.data(),
                                                 linalg::detail::needed_norm(metric));
  }
};

/// Norms of rows x[0..b) in the form the metric needs, into ws.row_norms (for callers without a
/// precomputed set).
template <typename Backend, typename T>
const T* batch_norms(resources const& res, distance_metric metric, const T* x, int64_t b, int64_t d,
                     batch_workspace<Backend, T>& ws)
{
  linalg::detail::row_norms_unchecked<Backend>(res, x, b, d, ws.row_norms.data(), linalg::detail::needed_norm(metric));
  return ws.row_norms.data();
}

/// Labels and distances of rows x[0..b) against the centres (b ≤ ws.rows), given the rows'
/// norms in the form the metric needs.
template <typename Backend, typename T>
void assign_batch(resources const& res, distance_metric metric, const T* x, int64_t b, const T* row_norms,
                  centres_on_backend<Backend, T> const& c, batch_workspace<Backend, T>& ws, int64_t* labels,
                  T* distances)
{
  neighbors::detail::knn_unchecked<Backend, T>(res, c.values.data(), c.k, x, b, c.d, metric, false, c.norms.data(),
                                               row_norms, distances, labels, 1, ws.tile.data(), {b, c.k});
}

/// Adds the batch's per-cluster sums, counts and inertia into stats. When spherical, row_norms
/// are the inverse norms that scale the rows to unit length (unused otherwise).
template <typename Backend, typename T>
void add_batch_sums(resources const& res, bool spherical, const T* x, int64_t b, const T* row_norms,
                    const int64_t* labels, const T* distances, batch_workspace<Backend, T>& ws, partial_sums& stats)
{
  const int64_t k = stats.n_clusters, d = stats.n_features;
  tamis::detail::sort_rows_by_label<Backend>(res, labels, b, k, ws.sort_keys.data(), ws.sort_rows.data(),
                                             ws.starts.data());
  const int64_t chunk = std::min(d, Backend::sum_chunk_cols), chunks = (d + chunk - 1) / chunk;
  Backend::for_each_n(res, k * chunks,
                      cluster_sum_op<T>{x, d, chunk, ws.sort_rows.data(), ws.starts.data(),
                                        spherical ? row_norms : nullptr, ws.sums.data(), ws.counts.data()});
  std::vector<double> sums(static_cast<size_t>(k * d));
  std::vector<int64_t> counts(static_cast<size_t>(k));
  Backend::to_host(res, sums.data(), ws.sums.data(), k * d);
  Backend::to_host(res, counts.data(), ws.counts.data(), k);
  for (size_t i = 0; i < sums.size(); ++i) stats.sums[i] += sums[i];
  for (size_t i = 0; i < counts.size(); ++i) stats.counts[i] += counts[i];
  stats.inertia += tamis::detail::sum<Backend>(res, distances, b);
}

/// Calls f(first_row, rows) for each batch of [0, n).
template <typename F>
void for_each_batch(int64_t n, int64_t batch, F f)
{
  for (int64_t r0 = 0; r0 < n; r0 += batch) f(r0, std::min(batch, n - r0));
}

/// tol × mean column variance of the (normalised, when spherical) rows: scikit-learn's tolerance.
template <typename Backend, typename T>
double absolute_tolerance(resources const& res, params const& p, const T* x, int64_t n, int64_t d,
                          batch_workspace<Backend, T>& ws)
{
  // Fixed blocks of rows: every column gets many workers, and the additions keep a fixed order.
  constexpr int64_t block_rows = tamis::detail::reduction_block;
  const int64_t max_blocks = (ws.rows + block_rows - 1) / block_rows;
  std::vector<double> moments(static_cast<size_t>(2 * d), 0.0), part(static_cast<size_t>(max_blocks * 2 * d));
  auto buf = Backend::template allocate<double>(res, max_blocks * 2 * d);
  for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
    const T* xb = x + r0 * d;
    if (p.spherical) {
      linalg::detail::row_norms_unchecked<Backend>(res, xb, b, d, ws.row_norms.data(), linalg::norm_kind::inverse_l2);
    }
    const int64_t blocks = (b + block_rows - 1) / block_rows;
    Backend::for_each_n(res, blocks * d,
                        column_moments_op<T>{xb, b, d, block_rows, p.spherical ? ws.row_norms.data() : nullptr,
                                             buf.data()});
    Backend::to_host(res, part.data(), buf.data(), blocks * 2 * d);
    for (int64_t i = 0; i < blocks * 2 * d; ++i) {
      moments[static_cast<size_t>(i % (2 * d))] += part[static_cast<size_t>(i)];
    }
  });
  double mean_var = 0;
  for (int64_t j = 0; j < d; ++j) {
    double mean = moments[j] / n;
    mean_var += std::max(0.0, moments[d + j] / n - mean * mean);
  }
  return p.tol * mean_var / d;
}

/// Copies rows `ids` of x into host centres (normalised when spherical).
template <typename Backend, typename T>
void gather_rows(resources const& res, const T* x, int64_t d, std::vector<int64_t> const& ids, bool normalise,
                 T* out)
{
  for (size_t i = 0; i < ids.size(); ++i) {
    T* row = out + static_cast<int64_t>(i) * d;
    Backend::to_host(res, row, x + ids[i] * d, d);
    if (normalise) {
      double s = 0;
      for (int64_t j = 0; j < d; ++j) s += static_cast<double>(row[j]) * row[j];
      double inv = s > 0 ? 1.0 / std::sqrt(s) : 0.0;
      for (int64_t j = 0; j < d; ++j) row[j] = static_cast<T>(row[j] * inv);
    }
  }
}

/// Greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's greedy variant): each new centre is the
/// best of 2 + ⌊ln k⌋ candidates drawn with probability ∝ distance to the nearest chosen centre.
template <typename Backend, typename T>
std::vector<int64_t> kmeans_plus_plus(resources const& res, params const& p, const T* x, const T* x_norms, int64_t n,
                                      int64_t d, batch_workspace<Backend, T>& ws)
{
  const int64_t k = p.n_clusters;
  const int64_t trials = 2 + static_cast<int64_t>(std::log(static_cast<double>(k)));
  const distance_metric metric = metric_of(p);
  const auto norm = linalg::detail::needed_norm(metric);
  philox_stream rng(p.seed, 0);
  uint64_t counter = 0;

  auto closest = Backend::template allocate<T>(res, n);
  auto cand_dist = Backend::template allocate<T>(res, n * trials);
  auto cumsum = Backend::template allocate<double>(res, n);
  auto targets = Backend::template allocate<double>(res, trials);
  auto cand_ids_dev = Backend::template allocate<int64_t>(res, trials);
  auto cand_rows = Backend::template allocate<T>(res, trials * d);
  auto cand_norms = Backend::template allocate<T>(res, trials);
  auto potentials_dev = Backend::template allocate<double>(res, trials);

  // Distances of every row to `count` candidate rows (ids), into cand_dist (n × count).
  auto distances_to = [&](std::vector<int64_t> const& ids) {
    int64_t count = static_cast<int64_t>(ids.size());
    for (int64_t i = 0; i < count; ++i) Backend::copy(res, cand_rows.data() + i * d, x + ids[i] * d, d);
    linalg::detail::row_norms_unchecked<Backend>(res, cand_rows.data(), count, d, cand_norms.data(), norm);
    for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
      linalg::detail::pairwise_distance_unchecked<Backend>(res, x + r0 * d, b, cand_rows.data(), count, d,
                                                           x_norms + r0, cand_norms.data(), metric,
                                                           cand_dist.data() + r0 * count);
    });
  };

  std::vector<int64_t> centres{static_cast<int64_t>(rng.uniform_index(counter++, static_cast<uint64_t>(n)))};
  distances_to(centres);
  Backend::copy(res, closest.data(), cand_dist.data(), n);
  double potential = tamis::detail::sum<Backend>(res, closest.data(), n);

  std::vector<double> host_targets(static_cast<size_t>(trials)), potentials(static_cast<size_t>(trials)),
    part(static_cast<size_t>(trials));
  std::vector<int64_t> cand_ids(static_cast<size_t>(trials));
  while (static_cast<int64_t>(centres.size()) < k) {
    Backend::for_each_n(res, n, convert_op<T, double>{closest.data(), cumsum.data()});
    Backend::inclusive_scan(res, cumsum.data(), cumsum.data(), n);
    for (auto& t : host_targets) t = rng.uniform(counter++) * potential;
    Backend::from_host(res, targets.data(), host_targets.data(), trials);
    Backend::for_each_n(res, trials, search_sorted_op{cumsum.data(), n, targets.data(), cand_ids_dev.data()});
    Backend::to_host(res, cand_ids.data(), cand_ids_dev.data(), trials);

    distances_to(cand_ids);
    std::fill(potentials.begin(), potentials.end(), 0.0);
    for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
      Backend::for_each_n(res, trials,
                          candidate_potential_op<T>{closest.data() + r0, cand_dist.data() + r0 * trials, b, trials,
                                                    potentials_dev.data()});
      Backend::to_host(res, part.data(), potentials_dev.data(), trials);
      for (int64_t t = 0; t < trials; ++t) potentials[t] += part[t];
    });
    int64_t best = std::min_element(potentials.begin(), potentials.end()) - potentials.begin();
    potential = potentials[best];
    Backend::for_each_n(res, n, take_candidate_op<T>{closest.data(), cand_dist.data(), trials, best});
    centres.push_back(cand_ids[best]);
  }
  return centres;
}

/// k distinct rows uniformly at random (Floyd's algorithm), in draw order.
inline std::vector<int64_t> random_rows(uint64_t seed, int64_t n, int64_t k)
{
  philox_stream rng(seed, 1);
  std::vector<int64_t> picked;
  picked.reserve(static_cast<size_t>(k));
  for (int64_t j = n - k; j < n; ++j) {
    auto t = static_cast<int64_t>(rng.uniform_index(static_cast<uint64_t>(j), static_cast<uint64_t>(j + 1)));
    bool seen = std::find(picked.begin(), picked.end(), t) != picked.end();
    picked.push_back(seen ? j : t);
  }
  return picked;
}

/// scikit-learn's repair: each empty cluster takes the row farthest from its centre, whose
/// contribution moves out of its old cluster.
template <typename Backend, typename T>
void relocate_empty_clusters(resources const& res, bool spherical, const T* x, int64_t n, int64_t d,
                             const int64_t* labels, const T* distances, partial_sums& stats)
{
  std::vector<int64_t> empty;
  for (int64_t c = 0; c < stats.n_clusters; ++c)
    if (stats.counts[c] == 0) empty.push_back(c);
  if (empty.empty()) return;
  const auto e = static_cast<int64_t>(empty.size());
  auto far_vals = Backend::template allocate<T>(res, e);
  auto far_ids = Backend::template allocate<int64_t>(res, e);
  select::detail::select_k<Backend, T>(res, {distances, 1, n}, {}, {far_vals.data(), 1, e}, {far_ids.data(), 1, e},
                                       false);
  std::vector<int64_t> far(static_cast<size_t>(e)), old_label(1);
  Backend::to_host(res, far.data(), far_ids.data(), e);
  std::vector<T> row(static_cast<size_t>(d));
  for (int64_t i = 0; i < e; ++i) {
    gather_rows<Backend>(res, x, d, {far[i]}, spherical, row.data());
    Backend::to_host(res, old_label.data(), labels + far[i], 1);
    double* from = stats.sums.data() + old_label[0] * d;
    double* to = stats.sums.data() + empty[i] * d;
    for (int64_t j = 0; j < d; ++j) {
      from[j] -= row[j];
      to[j] = row[j];
    }
    stats.counts[old_label[0]] -= 1;
    stats.counts[empty[i]] = 1;
  }
}

template <typename T>
void centres_from_sums(partial_sums const& stats, bool spherical, T* centres)
{
  const int64_t d = stats.n_features;
  for (int64_t c = 0; c < stats.n_clusters; ++c) {
    if (stats.counts[c] == 0) continue;
    const double* s = stats.sums.data() + c * d;
    double scale = 1.0 / static_cast<double>(stats.counts[c]);
    if (spherical) {
      double sq = 0;
      for (int64_t j = 0; j < d; ++j) sq += s[j] * s[j];
      scale = sq > 0 ? 1.0 / std::sqrt(sq) : 0.0;
    }
    for (int64_t j = 0; j < d; ++j) centres[c * d + j] = static_cast<T>(s[j] * scale);
  }
}

template <typename Backend, typename T>
double predict_unchecked(resources const& res, params const& p, const T* x, const T* x_norms, int64_t n, int64_t d,
                         centres_on_backend<Backend, T> const& c, batch_workspace<Backend, T>& ws, int64_t* labels,
                         T* distances)
{
  double inertia = 0;
  for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
    const T* xb = x + r0 * d;
    const T* norms = x_norms ? x_norms + r0 : batch_norms(res, metric_of(p), xb, b, d, ws);
    assign_batch<Backend>(res, metric_of(p), xb, b, norms, c, ws, labels + r0, distances + r0);
    inertia += tamis::detail::sum<Backend>(res, distances + r0, b);
  });
  return inertia;
}

template <typename Backend, typename T>
void check_params(params const& p, int64_t n)
{
  TAMIS_EXPECTS(p.n_clusters >= 1 && p.n_clusters <= n, "n_clusters: must be in [1, %lld] (the rows), got %lld",
                static_cast<long long>(n), static_cast<long long>(p.n_clusters));
  TAMIS_EXPECTS(p.max_iter >= 1, "max_iter: must be >= 1, got %d", p.max_iter);
  TAMIS_EXPECTS(p.tol >= 0 && std::isfinite(p.tol), "tol: must be finite and >= 0, got %g", p.tol);
  TAMIS_EXPECTS(p.batch_rows >= 0, "batch_rows: must be >= 0 (0: the backend's choice), got %lld",
                static_cast<long long>(p.batch_rows));
}

template <typename Backend, typename T>
void check_centroids(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                     matrix_view<const T, typename Backend::memory_space> centroids)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_matrix("centroids", centroids);
  TAMIS_EXPECTS(centroids.cols == x.cols, "centroids: have %lld features but x has %lld",
                static_cast<long long>(centroids.cols), static_cast<long long>(x.cols));
  tamis::detail::check_finite<Backend>(res, "x", x);
  tamis::detail::check_finite<Backend>(res, "centroids", centroids);
}

template <typename Backend, typename T>
fit_result fit(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
               matrix_view<T, typename Backend::memory_space> centroids,
               vector_view<int64_t, typename Backend::memory_space> labels)
{
  tamis::detail::check_matrix("x", x);
  check_params<Backend, T>(p, x.rows);
  const int64_t n = x.rows, d = x.cols, k = p.n_clusters;
  tamis::detail::check_shape("centroids", centroids, k, d);
  tamis::detail::check_length("labels", labels, n);
  tamis::detail::check_finite<Backend>(res, "x", x);
  if (p.init == init_method::array) tamis::detail::check_finite<Backend>(res, "centroids", centroids);

  const distance_metric metric = metric_of(p);
  batch_workspace<Backend, T> ws(res, n, k, d, p.batch_rows);
  // Row norms are fixed for the whole fit: computed once (O(n) memory), not once per pass.
  auto x_norms = Backend::template allocate<T>(res, n);
  linalg::detail::row_norms_unchecked<Backend>(res, x.ptr, n, d, x_norms.data(), linalg::detail::needed_norm(metric));
  std::vector<T> centres(static_cast<size_t>(k * d));
  if (p.init == init_method::array) {
    Backend::to_host(res, centres.data(), centroids.ptr, k * d);
    if (p.spherical) {
      partial_sums unit(k, d);
      for (size_t i = 0; i < centres.size(); ++i) unit.sums[i] = centres[i];
      std::fill(unit.counts.begin(), unit.counts.end(), 1);
      centres_from_sums(unit, true, centres.data());
    }
  } else {
    auto ids = p.init == init_method::random ? random_rows(p.seed, n, k)
                                             : kmeans_plus_plus<Backend, T>(res, p, x.ptr, x_norms.data(), n, d, ws);
    gather_rows<Backend>(res, x.ptr, d, ids, p.spherical, centres.data());
  }
  const double tol = absolute_tolerance<Backend, T>(res, p, x.ptr, n, d, ws);

  centres_on_backend<Backend, T> c(res, k, d);
  auto distances = Backend::template allocate<T>(res, n);
  auto previous = Backend::template allocate<int64_t>(res, n);
  fit_result result;
  for (int it = 0; it < p.max_iter; ++it) {
    c.upload(res, centres, metric);
    if (it > 0) Backend::copy(res, previous.data(), labels.ptr, n);
    partial_sums stats(k, d);
    for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
      const T* xb = x.ptr + r0 * d;
      const T* norms = x_norms.data() + r0;
      assign_batch<Backend>(res, metric, xb, b, norms, c, ws, labels.ptr + r0, distances.data() + r0);
      add_batch_sums<Backend>(res, p.spherical, xb, b, norms, labels.ptr + r0, distances.data() + r0, ws, stats);
    });
    relocate_empty_clusters<Backend, T>(res, p.spherical, x.ptr, n, d, labels.ptr, distances.data(), stats);
    std::vector<T> updated = centres;
    centres_from_sums(stats, p.spherical, updated.data());
    double shift = 0;
    for (size_t i = 0; i < centres.size(); ++i) {
      double delta = static_cast<double>(updated[i]) - centres[i];
      shift += delta * delta;
    }
    centres.swap(updated);
    result.n_iter = it + 1;
    bool labels_stable = it > 0 && tamis::detail::count_not_equal<Backend>(res, labels.ptr, previous.data(), n) == 0;
    if (labels_stable || shift <= tol) break;
  }
  // Final E-step so labels and inertia match the returned centres, as scikit-learn does.
  c.upload(res, centres, metric);
  result.inertia = predict_unchecked<Backend, T>(res, p, x.ptr, x_norms.data(), n, d, c, ws, labels.ptr, distances.data());
  Backend::from_host(res, centroids.ptr, centres.data(), k * d);
  Backend::sync(res);
  return result;
}

template <typename Backend, typename T>
double predict(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
               matrix_view<const T, typename Backend::memory_space> centroids,
               vector_view<int64_t, typename Backend::memory_space> labels,
               vector_view<T, typename Backend::memory_space> distances)
{
  check_centroids<Backend, T>(res, x, centroids);
  tamis::detail::check_length("labels", labels, x.rows);
  if (distances.ptr != nullptr) tamis::detail::check_length("distances", distances, x.rows);
  const int64_t n = x.rows, d = x.cols, k = centroids.rows;
  TAMIS_EXPECTS(p.batch_rows >= 0, "batch_rows: must be >= 0 (0: the backend's choice), got %lld",
                static_cast<long long>(p.batch_rows));
  std::vector<T> centres(static_cast<size_t>(k * d));
  Backend::to_host(res, centres.data(), centroids.ptr, k * d);
  centres_on_backend<Backend, T> c(res, k, d);
  c.upload(res, centres, metric_of(p));
  batch_workspace<Backend, T> ws(res, n, k, d, p.batch_rows);
  auto scratch = Backend::template allocate<T>(res, distances.ptr ? 0 : n);
  T* dist = distances.ptr ? distances.ptr : scratch.data();
  double inertia = predict_unchecked<Backend, T>(res, p, x.ptr, nullptr, n, d, c, ws, labels.ptr, dist);
  Backend::sync(res);
  return inertia;
}

template <typename Backend, typename T>
void accumulate(resources const& res, params const& p, matrix_view<const T, typename Backend::memory_space> x,
                matrix_view<const T, typename Backend::memory_space> centroids, partial_sums& stats)
{
  check_centroids<Backend, T>(res, x, centroids);
  const int64_t n = x.rows, d = x.cols, k = centroids.rows;
  TAMIS_EXPECTS(stats.n_clusters == k && stats.n_features == d,
                "stats: built for %lld clusters x %lld features, centroids are %lld x %lld",
                static_cast<long long>(stats.n_clusters), static_cast<long long>(stats.n_features),
                static_cast<long long>(k), static_cast<long long>(d));
  TAMIS_EXPECTS(p.batch_rows >= 0, "batch_rows: must be >= 0 (0: the backend's choice), got %lld",
                static_cast<long long>(p.batch_rows));
  std::vector<T> centres(static_cast<size_t>(k * d));
  Backend::to_host(res, centres.data(), centroids.ptr, k * d);
  centres_on_backend<Backend, T> c(res, k, d);
  c.upload(res, centres, metric_of(p));
  batch_workspace<Backend, T> ws(res, n, k, d, p.batch_rows);
  auto labels = Backend::template allocate<int64_t>(res, ws.rows);
  auto dist = Backend::template allocate<T>(res, ws.rows);
  for_each_batch(n, ws.rows, [&](int64_t r0, int64_t b) {
    const T* xb = x.ptr + r0 * d;
    const T* norms = batch_norms(res, metric_of(p), xb, b, d, ws);
    assign_batch<Backend>(res, metric_of(p), xb, b, norms, c, ws, labels.data(), dist.data());
    add_batch_sums<Backend>(res, p.spherical, xb, b, norms, labels.data(), dist.data(), ws, stats);
  });
  Backend::sync(res);
}

}  // namespace tamis::cluster::kmeans::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_KMEANS_DEFINE(T, Space, Backend)                                                                     \
  tamis::cluster::kmeans::fit_result tamis::cluster::kmeans::fit(resources const& res, params const& p,            \
                                                                  matrix_view<const T, Space> x,                   \
                                                                  matrix_view<T, Space> centroids,                 \
                                                                  vector_view<int64_t, Space> labels)              \
  {                                                                                                                \
    return detail::fit<Backend, T>(res, p, x, centroids, labels);                                                  \
  }                                                                                                                \
  double tamis::cluster::kmeans::predict(resources const& res, params const& p, matrix_view<const T, Space> x,     \
                                         matrix_view<const T, Space> centroids, vector_view<int64_t, Space> labels, \
                                         vector_view<T, Space> distances)                                          \
  {                                                                                                                \
    return detail::predict<Backend, T>(res, p, x, centroids, labels, distances);                                   \
  }                                                                                                                \
  void tamis::cluster::kmeans::accumulate(resources const& res, params const& p, matrix_view<const T, Space> x,    \
                                          matrix_view<const T, Space> centroids, partial_sums& stats)              \
  {                                                                                                                \
    detail::accumulate<Backend, T>(res, p, x, centroids, stats);                                                   \
  }
