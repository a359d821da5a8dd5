// Distance metrics shared by linalg, neighbors and cluster.
#pragma once

#include <string>

#include "tamis/core/error.hpp"

namespace tamis {

/// Pairwise measures. kNN ranks by the first three ascending and by inner_product descending
/// (a similarity). cosine = 1 − x·y / (‖x‖‖y‖); a zero row has similarity 0 with everything.
enum class distance_metric { sqeuclidean, euclidean, inner_product, cosine };

inline distance_metric parse_distance_metric(const std::string& name)
{
  if (name == "sqeuclidean" || name == "l2") return distance_metric::sqeuclidean;
  if (name == "euclidean") return distance_metric::euclidean;
  if (name == "inner_product" || name == "ip") return distance_metric::inner_product;
  if (name == "cosine") return distance_metric::cosine;
  TAMIS_FAIL("metric: unknown metric '%s' (expected sqeuclidean, euclidean, inner_product or cosine)", name.c_str());
}

inline const char* to_string(distance_metric m)
{
  switch (m) {
    case distance_metric::sqeuclidean: return "sqeuclidean";
    case distance_metric::euclidean: return "euclidean";
    case distance_metric::inner_product: return "inner_product";
    case distance_metric::cosine: return "cosine";
  }
  return "?";
}

}  // namespace tamis
