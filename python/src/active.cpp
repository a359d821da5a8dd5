// Bindings of tamis::active: informativeness scores of class probabilities and batch selection on them.
#include "common.hpp"

#include <optional>
#include <string>

#include "tamis/active/scores.hpp"
#include "tamis/active/select.hpp"

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

/// (indices, scores) of a budget-row batch, picked by select(res, scores, labeled, out_indices, out_scores) with
/// the GIL released. labeled: a uint8 mask of the rows (nonzero = labeled), None when no row is.
template <typename T, typename Select>
py::tuple batch_result(carray<T> const& scores, std::optional<carray<uint8_t>> const& labeled, int64_t budget,
                       Select&& select)
{
  auto s = vector_in(scores, "scores");
  auto l = labeled ? vector_in(*labeled, "labeled") : tamis::host_vector_view<const uint8_t>{};
  check_extent("budget", budget);
  auto out_idx = new_vector<int64_t>(budget);
  auto out_scores = new_vector<T>(budget);
  auto oi = vector_out(out_idx);
  auto os = vector_out(out_scores);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    select(res, s, l, oi, os);
  }
  return py::make_tuple(std::move(out_idx), std::move(out_scores));
}

template <typename T>
py::tuple top_b(carray<T> const& scores, std::optional<carray<uint8_t>> const& labeled, int64_t budget)
{
  return batch_result(scores, labeled, budget, [](tamis::resources& res, auto s, auto l, auto oi, auto os) {
    tamis::active::top_b(res, s, l, oi, os);
  });
}

template <typename T>
py::tuple stochastic_top_b(carray<T> const& scores, std::optional<carray<uint8_t>> const& labeled, int64_t budget,
                           std::string const& mode, double beta, uint64_t seed)
{
  auto parsed = tamis::active::parse_sampling(mode);
  return batch_result(scores, labeled, budget, [&](tamis::resources& res, auto s, auto l, auto oi, auto os) {
    tamis::active::stochastic_top_b(res, s, l, parsed, beta, seed, oi, os);
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
  m.def("top_b", &top_b<float>, py::arg("scores").noconvert(), py::arg("labeled").noconvert().none(true),
        py::arg("budget"), "(indices, scores) of the budget highest-scoring unlabeled rows, best first");
  m.def("top_b", &top_b<double>, py::arg("scores").noconvert(), py::arg("labeled").noconvert().none(true),
        py::arg("budget"));
  m.def("stochastic_top_b", &stochastic_top_b<float>, py::arg("scores").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("mode"), py::arg("beta"),
        py::arg("seed"), "(indices, scores) of a seeded Gumbel-top-k batch of unlabeled rows, weighted by mode");
  m.def("stochastic_top_b", &stochastic_top_b<double>, py::arg("scores").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("mode"), py::arg("beta"),
        py::arg("seed"));
}

}  // namespace tamis_py
