// The FAISS adapter: argument checks, metric mapping and tamis errors around faiss::Index.
#include "tamis/neighbors/faiss_index.hpp"

#include <cmath>
#include <vector>

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>

#include "tamis/core/detail/host_backend.hpp"
#include "tamis/core/detail/validate.hpp"

namespace tamis::neighbors {
namespace {

using tamis::detail::host_backend;

std::vector<float> normalised_rows(host_matrix_view<const float> x)
{
  std::vector<float> out(x.ptr, x.ptr + x.size());
  for (int64_t r = 0; r < x.rows; ++r) {
    double sq = 0;
    for (int64_t j = 0; j < x.cols; ++j) sq += double(out[r * x.cols + j]) * out[r * x.cols + j];
    float inv = sq > 0 ? float(1.0 / std::sqrt(sq)) : 0.f;
    for (int64_t j = 0; j < x.cols; ++j) out[r * x.cols + j] *= inv;
  }
  return out;
}

template <typename F>
auto faiss_call(const char* what, F f)
{
  try {
    return f();
  } catch (faiss::FaissException const& e) {
    TAMIS_FAIL("%s: FAISS refused: %s", what, e.what());
  }
}

}  // namespace

faiss_index::faiss_index(resources const&, int64_t dim, std::string const& factory, distance_metric metric)
  : dim_(dim), metric_(metric)
{
  TAMIS_EXPECTS(dim >= 1 && dim <= tamis::detail::max_features, "dim: must be in [1, 2^31-1], got %lld",
                static_cast<long long>(dim));
  bool ip = metric == distance_metric::inner_product || metric == distance_metric::cosine;
  index_.reset(faiss_call("factory", [&] {
    return faiss::index_factory(static_cast<int>(dim), factory.c_str(),
                                ip ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2);
  }));
}

faiss_index::~faiss_index() = default;
faiss_index::faiss_index(faiss_index&&) noexcept = default;
faiss_index& faiss_index::operator=(faiss_index&&) noexcept = default;

bool faiss_index::is_trained() const { return index_->is_trained; }
int64_t faiss_index::size() const { return index_->ntotal; }

void faiss_index::train(resources const& res, host_matrix_view<const float> x)
{
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == dim_, "x: has %lld features, the index has %lld", static_cast<long long>(x.cols),
                static_cast<long long>(dim_));
  tamis::detail::check_finite<host_backend>(res, "x", x);
  if (metric_ == distance_metric::cosine) {
    auto unit = normalised_rows(x);
    faiss_call("train", [&] { index_->train(x.rows, unit.data()); });
  } else {
    faiss_call("train", [&] { index_->train(x.rows, x.ptr); });
  }
}

void faiss_index::add(resources const& res, host_matrix_view<const float> x)
{
  tamis::detail::check_matrix("x", x);
  TAMIS_EXPECTS(x.cols == dim_, "x: has %lld features, the index has %lld", static_cast<long long>(x.cols),
                static_cast<long long>(dim_));
  TAMIS_EXPECTS(index_->is_trained, "add: the index must be trained first (call train)");
  tamis::detail::check_finite<host_backend>(res, "x", x);
  if (metric_ == distance_metric::cosine) {
    auto unit = normalised_rows(x);
    faiss_call("add", [&] { index_->add(x.rows, unit.data()); });
  } else {
    faiss_call("add", [&] { index_->add(x.rows, x.ptr); });
  }
}

void faiss_index::set_search_parameter(std::string const& name, double value)
{
  faiss::ParameterSpace space;
  faiss_call("set_search_parameter", [&] { space.set_index_parameter(index_.get(), name, value); });
}

void faiss_index::search(resources const& res, host_matrix_view<const float> queries,
                         host_matrix_view<float> out_distances, host_matrix_view<int64_t> out_indices) const
{
  tamis::detail::check_matrix("queries", queries);
  TAMIS_EXPECTS(queries.cols == dim_, "queries: have %lld features, the index has %lld",
                static_cast<long long>(queries.cols), static_cast<long long>(dim_));
  const int64_t k = out_distances.cols;
  TAMIS_EXPECTS(index_->ntotal >= 1, "search: the index is empty (call add)");
  TAMIS_EXPECTS(k >= 1 && k <= index_->ntotal, "k: must be in [1, %lld] (the indexed rows), got %lld",
                static_cast<long long>(index_->ntotal), static_cast<long long>(k));
  tamis::detail::check_shape("out_distances", out_distances, queries.rows, k);
  tamis::detail::check_shape("out_indices", out_indices, queries.rows, k);
  tamis::detail::check_finite<host_backend>(res, "queries", queries);
  static_assert(sizeof(faiss::Index::idx_t) == sizeof(int64_t), "faiss::Index::idx_t must be 64-bit");
  auto* labels = reinterpret_cast<faiss::Index::idx_t*>(out_indices.ptr);
  if (metric_ == distance_metric::cosine) {
    auto unit = normalised_rows(queries);
    faiss_call("search", [&] { index_->search(queries.rows, unit.data(), k, out_distances.ptr, labels); });
  } else {
    faiss_call("search", [&] { index_->search(queries.rows, queries.ptr, k, out_distances.ptr, labels); });
  }
  for (int64_t i = 0; i < out_distances.size(); ++i) {
    float& v = out_distances.ptr[i];
    if (metric_ == distance_metric::cosine) v = 1.f - v;
    if (metric_ == distance_metric::euclidean) v = std::sqrt(std::max(v, 0.f));
  }
}

}  // namespace tamis::neighbors
