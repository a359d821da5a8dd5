// Bindings of the sorted-column state and of ECOD / COPOD (tamis/outlier/ecod.hpp): raw functions on
// NumPy arrays that the Python estimators build on.
#include "common.hpp"

#include <string>
#include <utility>

#include "tamis/outlier/ecod.hpp"

namespace tamis_py {
namespace {

namespace ecod = tamis::outlier::ecod;

template <typename T>
carray<T> sort_columns(carray<T> const& x)
{
  auto xv = matrix_in(x, "X");
  auto sorted = new_matrix<T>(xv.cols, xv.rows);
  auto sv = matrix_out(sorted);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::outlier::sort_columns(res, xv, sv);
  }
  return sorted;
}

template <typename T>
carray<T> merge_sorted_columns(carray<T> const& a, carray<T> const& b)
{
  auto av = matrix_in(a, "a");
  auto bv = matrix_in(b, "b");
  auto merged = new_matrix<T>(av.rows, av.cols + bv.cols);
  auto mv = matrix_out(merged);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::outlier::merge_sorted_columns(res, av, bv, mv);
  }
  return merged;
}

template <typename T>
carray<T> ecdf_train_scores(carray<T> const& sorted, carray<T> const& x, std::string const& detector,
                            std::string const& aggregation)
{
  auto sv = matrix_in(sorted, "sorted");
  auto xv = matrix_in(x, "X");
  auto kind = ecod::parse_detector(detector);
  auto agg = ecod::parse_aggregation(aggregation);
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ecod::train_scores(res, sv, xv, kind, agg, ov);
  });
}

template <typename T>
carray<T> ecdf_scores(carray<T> const& sorted, carray<T> const& x, std::string const& detector,
                      std::string const& aggregation, std::string const& mode)
{
  auto sv = matrix_in(sorted, "sorted");
  auto xv = matrix_in(x, "X");
  auto kind = ecod::parse_detector(detector);
  auto agg = ecod::parse_aggregation(aggregation);
  auto m = ecod::parse_ecdf_mode(mode);
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    ecod::scores(res, sv, xv, kind, agg, m, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("sort_columns", &sort_columns<T>, py::arg("X").noconvert(),
        doc("sort_columns(X) -> sorted: X (n, d) float32/float64; returns (d, n), row j = feature j's values "
            "ascending. The fitted state of ECOD, COPOD and HBOS. NaN/Inf raise ValueError."));
  m.def("merge_sorted_columns", &merge_sorted_columns<T>, py::arg("a").noconvert(), py::arg("b").noconvert(),
        doc("merge_sorted_columns(a, b) -> merged: a (d, n1), b (d, n2) sorted columns; returns (d, n1 + n2), "
            "the sorted columns of both training sets together (exact partial_fit)."));
  m.def("ecdf_train_scores", &ecdf_train_scores<T>, py::arg("sorted").noconvert(), py::arg("X").noconvert(),
        py::arg("detector") = "ecod", py::arg("aggregation") = "pyod",
        doc("ecdf_train_scores(sorted, X, detector='ecod', aggregation='pyod') -> (n,): PyOD's decision_scores_ "
            "of the training rows X (n, d) whose sort_columns is `sorted` (d, n), the ECDFs taken on the training "
            "set itself. detector: 'ecod' | 'copod'; aggregation: 'pyod' (PyOD's code) | 'paper' (max of the "
            "per-tail sums). Higher = more anomalous."));
  m.def("ecdf_scores", &ecdf_scores<T>, py::arg("sorted").noconvert(), py::arg("X").noconvert(),
        py::arg("detector") = "ecod", py::arg("aggregation") = "pyod", py::arg("mode") = "inductive",
        doc("ecdf_scores(sorted, X, detector='ecod', aggregation='pyod', mode='inductive') -> (m,): scores of new "
            "rows X (m, d) against the training columns `sorted` (d, n). mode 'inductive': each row scored as a "
            "batch of one (F = (count + 1) / (n + 1), training skewness), independent of the rest of X; "
            "'transductive': PyOD's decision_function, the ECDFs and skewness of concat(train, X)."));
}

}  // namespace

void bind_ecod(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
