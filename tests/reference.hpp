// Plain double-precision references and random inputs shared by the C++ tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "tamis/linalg/distance_types.hpp"

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

}  // namespace tamis::test
