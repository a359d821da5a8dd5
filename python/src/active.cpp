// Bindings of tamis::active: informativeness scores of class probabilities, batch selection on them,
// core-set selection by greedy k-center on embeddings and BADGE's seeding on both.
#include "common.hpp"

#include <optional>
#include <string>
#include <vector>

#include "tamis/active/badge.hpp"
#include "tamis/active/kcenter.hpp"
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

template <typename T>
py::tuple top_b(carray<T> const& scores, std::optional<carray<uint8_t>> const& labeled, int64_t budget)
{
  auto s = vector_in(scores, "scores");
  auto l = mask_in(labeled);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> os) { tamis::active::top_b(res, s, l, oi, os); });
}

template <typename T>
py::tuple stochastic_top_b(carray<T> const& scores, std::optional<carray<uint8_t>> const& labeled, int64_t budget,
                           std::string const& mode, double beta, uint64_t seed)
{
  auto parsed = tamis::active::parse_sampling(mode);
  auto s = vector_in(scores, "scores");
  auto l = mask_in(labeled);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> os) {
    tamis::active::stochastic_top_b(res, s, l, parsed, beta, seed, oi, os);
  });
}

py::tuple random_b(int64_t n, std::optional<carray<uint8_t>> const& labeled, int64_t budget, uint64_t seed)
{
  auto l = mask_in(labeled);
  return batch_result<double>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                          tamis::host_vector_view<double> ok) {
    tamis::active::random_b(res, n, l, seed, oi, ok);
  });
}

/// min_dist of each row of x to its nearest labeled row (a uint8 mask; None: no row is, every entry +inf).
template <typename T>
carray<T> kcenter_init(carray<T> const& x, std::optional<carray<uint8_t>> const& labeled)
{
  auto xv = matrix_in(x, "embeddings");
  auto l = mask_in(labeled);
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> out) {
    tamis::active::kcenter::init(res, xv, l, out);
  });
}

template <typename T>
void kcenter_add_centres(carray<T> const& x, carray<int64_t> const& centres, carray<T>& min_dist)
{
  auto xv = matrix_in(x, "embeddings");
  auto c = vector_in(centres, "centres");
  auto md = vector_inout(min_dist, "min_dist");
  std::vector<int64_t> rows(c.ptr, c.ptr + c.length);
  py::gil_scoped_release nogil;
  tamis::resources res;
  tamis::active::kcenter::add_centres(res, xv, rows, md);
}

template <typename T>
py::tuple kcenter_select(carray<T> const& x, carray<T>& min_dist, int64_t budget)
{
  auto xv = matrix_in(x, "embeddings");
  auto md = vector_inout(min_dist, "min_dist");
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    tamis::active::kcenter::select(res, xv, md, oi, og);
  });
}

/// (indices, gains) of a budget-row BADGE batch.
template <typename T>
py::tuple badge_select(carray<T> const& probs, carray<T> const& features, std::optional<carray<uint8_t>> const& labeled,
                       int64_t budget, uint64_t seed)
{
  auto p = matrix_in(probs, "probs");
  auto f = matrix_in(features, "features");
  auto l = mask_in(labeled);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    tamis::active::badge::select(res, p, f, l, seed, oi, og);
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
  m.def("random_b", &random_b, py::arg("n"), py::arg("labeled").noconvert().none(true), py::arg("budget"),
        py::arg("seed"), "(indices, uniform keys) of a seeded uniformly random batch of unlabeled rows");
  m.def("kcenter_init", &kcenter_init<float>, py::arg("embeddings").noconvert(),
        py::arg("labeled").noconvert().none(true), "Squared L2 distance of each row to its nearest labeled row");
  m.def("kcenter_init", &kcenter_init<double>, py::arg("embeddings").noconvert(),
        py::arg("labeled").noconvert().none(true));
  m.def("kcenter_add_centres", &kcenter_add_centres<float>, py::arg("embeddings").noconvert(),
        py::arg("centres").noconvert(), py::arg("min_dist").noconvert(),
        "Makes rows centres: min_dist = min(min_dist, squared distance to each), in place");
  m.def("kcenter_add_centres", &kcenter_add_centres<double>, py::arg("embeddings").noconvert(),
        py::arg("centres").noconvert(), py::arg("min_dist").noconvert());
  m.def("kcenter_select", &kcenter_select<float>, py::arg("embeddings").noconvert(), py::arg("min_dist").noconvert(),
        py::arg("budget"), "(indices, covering radii) of budget greedy k-center picks; updates min_dist in place");
  m.def("kcenter_select", &kcenter_select<double>, py::arg("embeddings").noconvert(),
        py::arg("min_dist").noconvert(), py::arg("budget"));
  m.def("badge_select", &badge_select<float>, py::arg("probs").noconvert(), py::arg("features").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("seed"),
        "(indices, gains) of a seeded BADGE batch: k-means++ seeding on the implicit gradient embeddings");
  m.def("badge_select", &badge_select<double>, py::arg("probs").noconvert(), py::arg("features").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("seed"));
  bind_batchbald(m);
  bind_cluster_margin(m);
  bind_probcover(m);
  bind_typiclust(m);
}

}  // namespace tamis_py
