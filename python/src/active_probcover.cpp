// Bindings of ProbCover (tamis/active/probcover.hpp): the coverage state, greedy picks on it, and the
// nearest-other-label distances behind the choice of δ.
#include "common.hpp"

#include <optional>
#include <utility>

#include "tamis/active/probcover.hpp"

namespace tamis_py {
namespace {

namespace pc = tamis::active::probcover;

/// (status uint8, degree int64) of the state with the labeled rows (a uint8 mask, or None) as centres.
template <typename T>
py::tuple probcover_init(carray<T> const& x, std::optional<carray<uint8_t>> const& labeled, double delta)
{
  auto xv = matrix_in(x, "embeddings");
  auto l = mask_in(labeled);
  auto status = new_vector<uint8_t>(xv.rows);
  auto degree = new_vector<int64_t>(xv.rows);
  auto sv = vector_out(status);
  auto dv = vector_out(degree);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    pc::init(res, xv, l, static_cast<T>(delta), sv, dv);
  }
  return py::make_tuple(std::move(status), std::move(degree));
}

/// (indices, gains) of budget picks; status and degree (the caller's arrays) are updated in place.
template <typename T>
py::tuple probcover_select(carray<T> const& x, double delta, carray<uint8_t>& status, carray<int64_t>& degree,
                           int64_t budget)
{
  auto xv = matrix_in(x, "embeddings");
  auto sv = vector_inout(status, "status");
  auto dv = vector_inout(degree, "degree");
  return batch_result<int64_t>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                           tamis::host_vector_view<int64_t> og) {
    pc::select(res, xv, static_cast<T>(delta), sv, dv, oi, og);
  });
}

template <typename T>
carray<T> probcover_nearest_other(carray<T> const& x, carray<int64_t> const& labels)
{
  auto xv = matrix_in(x, "embeddings");
  auto lv = vector_in(labels, "labels");
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> out) {
    pc::nearest_other(res, xv, lv, out);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("probcover_init", &probcover_init<T>, py::arg("embeddings").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("delta"),
        doc("probcover_init(embeddings, labeled, delta) -> (status, degree): the coverage state of the ball graph "
            "x -> y iff ||x - y|| <= delta with the labeled rows (uint8 mask or None) as centres; status (n,) uint8 "
            "0 uncovered, 1 covered, 2 centre; degree (n,) int64, uncovered rows in each row's ball."));
  m.def("probcover_select", &probcover_select<T>, py::arg("embeddings").noconvert(), py::arg("delta"),
        py::arg("status").noconvert(), py::arg("degree").noconvert(), py::arg("budget"),
        doc("probcover_select(embeddings, delta, status, degree, budget) -> (indices, gains): greedy max-coverage "
            "picks (largest degree, lowest index on ties; farthest-first once all rows are covered, gain 0); "
            "gains int64, rows newly covered; status and degree are updated in place."));
  m.def("probcover_nearest_other", &probcover_nearest_other<T>, py::arg("embeddings").noconvert(),
        py::arg("labels").noconvert(),
        doc("probcover_nearest_other(embeddings, labels) -> (n,): L2 distance of each row to its nearest row "
            "with another label (int64 labels), +inf when there is none."));
}

}  // namespace

void bind_probcover(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
