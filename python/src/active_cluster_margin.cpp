// Bindings of Cluster-Margin (tamis/active/cluster_margin.hpp): round-robin over the clusters of the
// most uncertain rows.
#include "common.hpp"

#include "tamis/active/cluster_margin.hpp"

namespace tamis_py {
namespace {

/// (indices, gains) of a budget-row Cluster-Margin batch.
template <typename T>
py::tuple cluster_margin_select(carray<T> const& scores, carray<int64_t> const& clusters,
                                std::optional<carray<uint8_t>> const& labeled, int64_t candidates, int64_t budget,
                                uint64_t seed)
{
  auto s = vector_in(scores, "scores");
  auto c = vector_in(clusters, "clusters");
  auto l = mask_in(labeled);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    tamis::active::cluster_margin::select(res, s, c, l, candidates, seed, oi, og);
  });
}

}  // namespace

void bind_cluster_margin(py::module_& m)
{
  m.def("cluster_margin_select", &cluster_margin_select<float>, py::arg("scores").noconvert(),
        py::arg("clusters").noconvert(), py::arg("labeled").noconvert().none(true), py::arg("candidates"),
        py::arg("budget"), py::arg("seed"),
        "(indices, scores) of a Cluster-Margin batch: round-robin over the clusters of the top candidates");
  m.def("cluster_margin_select", &cluster_margin_select<double>, py::arg("scores").noconvert(),
        py::arg("clusters").noconvert(), py::arg("labeled").noconvert().none(true), py::arg("candidates"),
        py::arg("budget"), py::arg("seed"));
}

}  // namespace tamis_py
