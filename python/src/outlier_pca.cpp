// Bindings of the PCA detector (tamis/outlier/pca.hpp): raw functions on NumPy arrays that the Python
// estimator (PyOD's PCA) builds on.
#include "common.hpp"

#include <cstdint>
#include <string>
#include <utility>

#include "tamis/outlier/pca.hpp"

namespace tamis_py {
namespace {

namespace pca = tamis::outlier::pca;

/// n_components: -1 (None) = min(n, d).
inline int64_t resolve_components(int64_t n_components, int64_t n, int64_t d)
{
  const int64_t all = n < d ? n : d;
  if (n_components < 0) return all;
  if (n_components < 1 || n_components > all) {
    TAMIS_FAIL("n_components: must be in [1, min(n, d) = %lld], got %lld", static_cast<long long>(all),
               static_cast<long long>(n_components));
  }
  return n_components;
}

template <typename T>
py::tuple pca_fit(carray<T> const& x, bool standardize, int64_t n_components)
{
  auto xv = matrix_in(x, "X");
  const int64_t k = resolve_components(n_components, xv.rows, xv.cols);
  carray<T> mean(static_cast<py::ssize_t>(xv.cols)), scale(static_cast<py::ssize_t>(xv.cols));
  auto components = new_matrix<T>(k, xv.cols);
  carray<T> variance(static_cast<py::ssize_t>(k)), ratio(static_cast<py::ssize_t>(k));
  auto mv = vector_out(mean);
  auto sv = vector_out(scale);
  auto cv = matrix_out(components);
  auto vv = vector_out(variance);
  auto rv = vector_out(ratio);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    pca::fit(res, xv, standardize, mv, sv, cv, vv, rv);
  }
  return py::make_tuple(std::move(mean), std::move(scale), std::move(components), std::move(variance),
                        std::move(ratio));
}

template <typename T>
py::tuple pca_fit_from_stats(int64_t count, carray<T> const& mean, carray<T> const& m2, bool standardize,
                             int64_t n_components)
{
  auto meanv = vector_in(mean, "mean");
  auto m2v = matrix_in(m2, "m2");
  const int64_t d = meanv.length;
  const int64_t k = resolve_components(n_components, count, d);
  auto scale = new_vector<T>(d);
  auto components = new_matrix<T>(k, d);
  carray<T> variance(static_cast<py::ssize_t>(k)), ratio(static_cast<py::ssize_t>(k));
  auto sv = vector_out(scale);
  auto cv = matrix_out(components);
  auto vv = vector_out(variance);
  auto rv = vector_out(ratio);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    pca::fit_from_stats(res, count, meanv, m2v, standardize, sv, cv, vv, rv);
  }
  return py::make_tuple(std::move(scale), std::move(components), std::move(variance), std::move(ratio));
}

template <typename T>
carray<T> pca_scores(carray<T> const& mean, carray<T> const& scale, carray<T> const& components,
                     carray<T> const& weights, carray<T> const& x, std::string const& kind)
{
  auto meanv = vector_in(mean, "mean");
  auto sv = vector_in(scale, "scale");
  auto cv = matrix_in(components, "components");
  auto wv = vector_in(weights, "weights");
  auto xv = matrix_in(x, "X");
  const auto score = pca::parse_score_kind(kind);
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    pca::scores(res, meanv, sv, cv, wv, xv, score, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("pca_fit", &pca_fit<T>, py::arg("X").noconvert(), py::arg("standardize") = true,
        py::arg("n_components") = -1,
        doc("pca_fit(X, standardize=True, n_components=-1) -> (mean, scale, components, explained_variance, "
            "explained_variance_ratio): PyOD PCA's fit on X (n, d), n >= 2. mean (d,) = column means; scale (d,) = "
            "StandardScaler's std (ddof 0, 1 for constant columns) if standardize else ones; components (k, d), "
            "k = n_components (-1: min(n, d)), the principal axes of (X - mean) / scale in descending variance, "
            "with sklearn's sign rule (largest |entry| positive); explained_variance (k,) (ddof 1) and "
            "explained_variance_ratio (k,) (over all d eigenvalues)."));
  m.def("pca_fit_from_stats", &pca_fit_from_stats<T>, py::arg("count"), py::arg("mean").noconvert(),
        py::arg("m2").noconvert(), py::arg("standardize") = true, py::arg("n_components") = -1,
        doc("pca_fit_from_stats(count, mean, m2, standardize=True, n_components=-1) -> (scale, components, "
            "explained_variance, explained_variance_ratio): pca_fit from column_stats' (count, mean, m2), so "
            "merge_column_stats gives an exact partial_fit; the mean is the statistics' own."));
  m.def("pca_scores", &pca_scores<T>, py::arg("mean").noconvert(), py::arg("scale").noconvert(),
        py::arg("components").noconvert(), py::arg("weights").noconvert(), py::arg("X").noconvert(),
        py::arg("kind") = "pyod",
        doc("pca_scores(mean, scale, components, weights, X, kind='pyod') -> (m,): with z = (X - mean) / scale, "
            "kind 'pyod': sum_j ||z - components[j]||_2 / weights[j] (PyOD's decision_function: pass the last "
            "n_selected_components rows and their explained_variance_ratio, or ones when weighted=False; weights "
            "must be > 0); 'reconstruction': ||z - P z||^2 with P the projection on the rows of components (pass "
            "the leading k; weights unused). PyOD's standardization=False scores raw X: pass zero mean, unit "
            "scale. Higher = more anomalous."));
}

}  // namespace

void bind_pca(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
