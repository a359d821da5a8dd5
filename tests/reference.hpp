// Plain double-precision references, random inputs and host-side fit helpers shared by the C++
// tests (host and device suites alike).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "tamis/cluster/kmeans.hpp"
#include "tamis/linalg/distance_types.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace tamis::test {

template <typename T>
std::vector<T> random_matrix(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> dist;
  std::vector<T> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = static_cast<T>(dist(gen));
  return x;
}

/// n rows drawn in order, row i = centre i % k (of the k x d row-major `centres`) plus one draw of
/// `noise` per element: the step the blob generators below share.
template <typename T>
std::vector<T> points_around(std::vector<double> const& centres, int64_t n, int64_t d, std::mt19937& gen,
                             std::normal_distribution<double>& noise)
{
  const int64_t k = static_cast<int64_t>(centres.size()) / d;
  std::vector<T> x(static_cast<size_t>(n * d));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<T>(centres[(i % k) * d + j] + noise(gen));
  return x;
}

/// n points around `k` well-separated centres in d dimensions (centre c: 10 * (1 + c / d) on axis
/// c % d, noise 0.3); truth[i] = i % k, the generating centre.
template <typename T>
std::vector<T> separated_blobs(int64_t n, int64_t d, int64_t k, uint32_t seed, std::vector<int64_t>& truth)
{
  std::vector<double> centres(static_cast<size_t>(k * d), 0.0);
  for (int64_t c = 0; c < k; ++c) centres[c * d + c % d] = 10.0 * (1 + c / d);
  truth.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) truth[i] = i % k;
  std::mt19937 gen(seed);
  std::normal_distribution<double> noise(0, 0.3);
  return points_around<T>(centres, n, d, gen, noise);
}

/// n points around k random centres (spread 10, noise 1): labels are decisive, never near-ties.
/// `centres` receives the generating centres, shifted a little, to start Lloyd from.
template <typename T>
std::vector<T> random_blobs(int64_t n, int64_t d, int64_t k, uint32_t seed, std::vector<T>& centres)
{
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> truth(static_cast<size_t>(k * d));
  for (auto& v : truth) v = 10.0 * normal(gen);
  auto x = points_around<T>(truth, n, d, gen, normal);
  centres.resize(truth.size());
  for (size_t i = 0; i < truth.size(); ++i) centres[i] = static_cast<T>(truth[i] + 0.5 * normal(gen));
  return x;
}

/// metric(x_i, y_j) in double: the reference every distance is checked against.
template <typename T>
double reference_distance(const T* x, const T* y, int64_t d, distance_metric metric)
{
  double dot = 0, xx = 0, yy = 0, sq = 0;
  for (int64_t j = 0; j < d; ++j) {
    double a = x[j], b = y[j];
    dot += a * b;
    xx += a * a;
    yy += b * b;
    sq += (a - b) * (a - b);
  }
  switch (metric) {
    case distance_metric::sqeuclidean: return sq;
    case distance_metric::euclidean: return std::sqrt(sq);
    case distance_metric::inner_product: return dot;
    case distance_metric::cosine: return (xx > 0 && yy > 0) ? 1.0 - dot / std::sqrt(xx * yy) : 1.0;
  }
  return 0;
}

struct neighbour {
  double distance;
  int64_t index;
};

/// Brute-force kNN of one query, best first, ties by lower index (inner_product: largest first).
template <typename T>
std::vector<neighbour> reference_knn(const T* db, int64_t m, const T* q, int64_t d, int64_t k, distance_metric metric,
                                     int64_t self = -1)
{
  std::vector<neighbour> all;
  for (int64_t j = 0; j < m; ++j) {
    if (j == self) continue;
    all.push_back({reference_distance(q, db + j * d, d, metric), j});
  }
  double sign = metric == distance_metric::inner_product ? -1 : 1;
  std::stable_sort(all.begin(), all.end(),
                   [&](neighbour const& a, neighbour const& b) { return sign * a.distance < sign * b.distance; });
  all.resize(static_cast<size_t>(k));
  return all;
}

/// A k-means fit's centroids, labels and result, as host vectors.
template <typename T>
struct kmeans_fitted {
  std::vector<T> centroids;
  std::vector<int64_t> labels;
  cluster::kmeans::fit_result result;
};

/// k-means fit of the n x d host matrix `x` by the host overload; `init` (when given) is the
/// starting centres for init_method::array.
template <typename T>
kmeans_fitted<T> host_kmeans_fit(resources const& res, cluster::kmeans::params const& p, std::vector<T> const& x,
                                 int64_t n, int64_t d, std::vector<T> init = {})
{
  kmeans_fitted<T> f{std::move(init), std::vector<int64_t>(static_cast<size_t>(n)), {}};
  f.centroids.resize(static_cast<size_t>(p.n_clusters * d));
  f.result = cluster::kmeans::fit(res, p, make_host_matrix_view<const T>(x.data(), n, d),
                                  make_host_matrix_view(f.centroids.data(), p.n_clusters, d),
                                  make_host_vector_view(f.labels.data(), n));
  return f;
}

/// Host kNN outputs and a one-call wrapper over brute_force::knn (the host side of every comparison).
template <typename T>
struct knn_output {
  std::vector<T> distances;
  std::vector<int64_t> indices;
};

template <typename T>
knn_output<T> host_knn(resources const& res, std::vector<T> const& db, int64_t m, std::vector<T> const& q, int64_t n,
                       int64_t d, int64_t k, distance_metric metric, bool exclude_self)
{
  knn_output<T> out{std::vector<T>(static_cast<size_t>(n * k)), std::vector<int64_t>(static_cast<size_t>(n * k))};
  neighbors::brute_force::knn(res, make_host_matrix_view<const T>(db.data(), m, d),
                              make_host_matrix_view<const T>(q.data(), n, d), metric, exclude_self,
                              make_host_matrix_view(out.distances.data(), n, k),
                              make_host_matrix_view(out.indices.data(), n, k));
  return out;
}

}  // namespace tamis::test
