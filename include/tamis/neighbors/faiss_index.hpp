// Approximate (and exact) search through FAISS indexes built from a factory string, behind the
// same view-in / caller-owned-output search signature as brute_force::knn. Host memory, float32.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/linalg/distance_types.hpp"

namespace faiss {
struct Index;
}

namespace tamis::neighbors {

class faiss_index {
 public:
  /// factory: any faiss::index_factory string ("Flat", "IVF256,Flat", "IVF256,PQ16", "HNSW32", ...).
  /// cosine is searched as inner product over L2-normalised copies; euclidean as the root of L2.
  faiss_index(resources const& res, int64_t dim, std::string const& factory,
              distance_metric metric = distance_metric::sqeuclidean);
  ~faiss_index();
  faiss_index(faiss_index&&) noexcept;
  faiss_index& operator=(faiss_index&&) noexcept;

  bool is_trained() const;
  int64_t size() const;
  int64_t dim() const { return dim_; }

  void train(resources const& res, host_matrix_view<const float> x);
  /// Appends rows; their indices continue from size().
  void add(resources const& res, host_matrix_view<const float> x);
  /// Sets a FAISS search parameter by name, e.g. ("nprobe", 16) or ("efSearch", 128).
  void set_search_parameter(std::string const& name, double value);
  /// k = out_distances.cols nearest rows per query, as brute_force::knn reports them. Slots a
  /// partial index cannot fill hold index −1.
  void search(resources const& res, host_matrix_view<const float> queries, host_matrix_view<float> out_distances,
              host_matrix_view<int64_t> out_indices) const;

 private:
  std::unique_ptr<faiss::Index> index_;
  int64_t dim_;
  distance_metric metric_;
};

}  // namespace tamis::neighbors
