// Bindings of tamis::outlier: post-hoc OOD scores on logits.
#include "common.hpp"

#include <string>

#include "tamis/outlier/ood.hpp"

namespace tamis_py {
namespace {

template <typename T>
carray<T> logit_scores(carray<T> const& logits, std::string const& kind, double temperature)
{
  auto l = matrix_in(logits, "logits");
  auto parsed = tamis::outlier::ood::parse_logit_score(kind);
  carray<T> out({static_cast<py::ssize_t>(l.rows)});
  auto o = vector_out(out);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::outlier::ood::logit_scores(res, l, parsed, static_cast<T>(temperature), o);
  }
  return out;
}

}  // namespace

void init_outlier(py::module_& m)
{
  m.def("logit_scores", &logit_scores<float>, py::arg("logits").noconvert(), py::arg("kind"), py::arg("temperature"),
        "OOD score of each row of logits (higher = more out of distribution)");
  m.def("logit_scores", &logit_scores<double>, py::arg("logits").noconvert(), py::arg("kind"),
        py::arg("temperature"));
  bind_neighbors(m);
  bind_ecod(m);
  bind_hbos(m);
  bind_iforest(m);
  bind_pca(m);
  bind_mahalanobis(m);
  bind_ood_features(m);
}

}  // namespace tamis_py
