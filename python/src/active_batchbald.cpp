// Bindings of tamis::active::batchbald: greedy BatchBALD batches on committee / MC-sample probabilities.
#include "common.hpp"

#include "tamis/active/batchbald.hpp"

namespace tamis_py {
namespace {

/// (indices, gains) of a budget-row batch; probs n × (members · classes).
template <typename T>
py::tuple batchbald_select(carray<T> const& probs, int64_t members, std::optional<carray<uint8_t>> const& labeled,
                           int64_t budget, int64_t max_configurations, uint64_t seed)
{
  auto p = matrix_in(probs, "probs");
  auto l = mask_in(labeled);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    tamis::active::batchbald::select(res, p, members, l, max_configurations, seed, oi, og);
  });
}

}  // namespace

void bind_batchbald(py::module_& m)
{
  m.def("batchbald_select", &batchbald_select<float>, py::arg("probs").noconvert(), py::arg("members"),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("max_configurations"), py::arg("seed"),
        "(indices, gains) of a greedy BatchBALD batch on n × (members · C) probabilities");
  m.def("batchbald_select", &batchbald_select<double>, py::arg("probs").noconvert(), py::arg("members"),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("max_configurations"), py::arg("seed"));
}

}  // namespace tamis_py
