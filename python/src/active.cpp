// Bindings of tamis::active: informativeness scores of class probabilities.
#include "common.hpp"

#include <string>

#include "tamis/active/scores.hpp"

namespace tamis_py {
namespace {

template <typename T>
carray<T> uncertainty_scores(carray<T> const& probs, std::string const& kind)
{
  auto p = matrix_in(probs, "probs");
  auto parsed = tamis::active::parse_uncertainty(kind);
  return vector_result<T>(p.rows, [&](tamis::resources& res, tamis::host_vector_view<T> out) {
    tamis::active::uncertainty_scores(res, p, parsed, out);
  });
}

/// probs: n × (members · classes), each row the members' distributions side by side.
template <typename T>
carray<T> ensemble_scores(carray<T> const& probs, int64_t members, std::string const& kind)
{
  auto p = matrix_in(probs, "probs");
  auto parsed = tamis::active::parse_ensemble(kind);
  return vector_result<T>(p.rows, [&](tamis::resources& res, tamis::host_vector_view<T> out) {
    tamis::active::ensemble_scores(res, p, members, parsed, out);
  });
}

}  // namespace

void init_active(py::module_& m)
{
  m.def("uncertainty_scores", &uncertainty_scores<float>, py::arg("probs").noconvert(), py::arg("kind"),
        "Uncertainty score of each row of class probabilities (higher = more informative)");
  m.def("uncertainty_scores", &uncertainty_scores<double>, py::arg("probs").noconvert(), py::arg("kind"));
  m.def("ensemble_scores", &ensemble_scores<float>, py::arg("probs").noconvert(), py::arg("members"),
        py::arg("kind"), "Committee / MC score of each row of n × (members · C) probabilities");
  m.def("ensemble_scores", &ensemble_scores<double>, py::arg("probs").noconvert(), py::arg("members"),
        py::arg("kind"));
}

}  // namespace tamis_py
