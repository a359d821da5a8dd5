// Bindings of the isolation forest (tamis/outlier/isolation_forest.hpp): raw fit / score functions on
// NumPy arrays that the Python estimator builds on. The forest is three arrays plus ψ.
#include "common.hpp"

#include <string>
#include <utility>

#include "tamis/outlier/isolation_forest.hpp"

namespace tamis_py {
namespace {

namespace iforest = tamis::outlier::isolation_forest;

bool is_integer(py::handle h) { return !py::isinstance<py::bool_>(h) && PyIndex_Check(h.ptr()); }

/// scikit-learn's max_samples: "auto" (256, clamped to n), an int (clamped to n) or a float in (0, 1].
void parse_max_samples(py::handle h, iforest::params& p)
{
  if (py::isinstance<py::str>(h)) {
    auto s = h.cast<std::string>();
    if (s != "auto") TAMIS_FAIL("max_samples: expected 'auto', an int or a float, got '%s'", s.c_str());
    p.max_samples = 256;
  } else if (is_integer(h)) {
    p.max_samples = h.cast<int64_t>();
  } else if (!py::isinstance<py::bool_>(h) && PyNumber_Check(h.ptr())) {
    p.max_samples_fraction = h.cast<double>();
    if (!(p.max_samples_fraction > 0)) {
      TAMIS_FAIL("max_samples: a fraction must be in (0, 1], got %g", p.max_samples_fraction);
    }
  } else {
    TAMIS_FAIL("max_samples: expected 'auto', an int or a float");
  }
}

/// scikit-learn's max_features: an int (that many features) or a float in (0, 1] (that fraction).
void parse_max_features(py::handle h, iforest::params& p)
{
  if (is_integer(h)) {
    p.max_features_count = h.cast<int64_t>();
    if (p.max_features_count < 1) {
      TAMIS_FAIL("max_features: must be >= 1, got %lld", static_cast<long long>(p.max_features_count));
    }
  } else if (!py::isinstance<py::bool_>(h) && PyNumber_Check(h.ptr())) {
    p.max_features = h.cast<double>();
  } else {
    TAMIS_FAIL("max_features: expected an int or a float");
  }
}

template <typename T>
py::tuple fit(carray<T> const& x, int64_t n_estimators, py::object const& max_samples, py::object const& max_features,
              bool bootstrap, uint64_t seed)
{
  auto xv = matrix_in(x, "X");
  iforest::params p;
  p.n_estimators = n_estimators;
  p.bootstrap = bootstrap;
  p.seed = seed;
  parse_max_samples(max_samples, p);
  parse_max_features(max_features, p);
  const auto shape = iforest::make_forest_shape(p, xv.rows, xv.cols);
  auto feature = new_matrix<int64_t>(shape.n_estimators, shape.node_capacity);
  auto left = new_matrix<int64_t>(shape.n_estimators, shape.node_capacity);
  auto value = new_matrix<T>(shape.n_estimators, shape.node_capacity);
  auto fv = matrix_out(feature);
  auto lv = matrix_out(left);
  auto vv = matrix_out(value);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    iforest::fit(res, p, xv, fv, lv, vv);
  }
  return py::make_tuple(std::move(feature), std::move(left), std::move(value), shape.sample_size);
}

template <typename T>
carray<T> scores(carray<int64_t> const& feature, carray<int64_t> const& left, carray<T> const& value,
                 int64_t sample_size, int64_t n_features, carray<T> const& x)
{
  iforest::forest_view<T, tamis::host_memory> forest{n_features, sample_size, matrix_in(feature, "feature"),
                                                     matrix_in(left, "left"), matrix_in(value, "value")};
  auto xv = matrix_in(x, "X");
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    iforest::scores(res, forest, xv, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("iforest_fit", &fit<T>, py::arg("X").noconvert(), py::arg("n_estimators") = 100,
        py::arg("max_samples") = "auto", py::arg("max_features") = 1.0, py::arg("bootstrap") = false,
        py::arg("seed") = 0,
        doc("iforest_fit(X, n_estimators=100, max_samples='auto', max_features=1.0, bootstrap=False, seed=0) -> "
            "(feature, left, value, sample_size). Grows scikit-learn's IsolationForest on X (n, d) float32/float64. "
            "max_samples: 'auto' (min(256, n)), an int (clamped to n) or a float in (0, 1] (int(f * n)); "
            "max_features: an int, or a float in (0, 1] (max(1, int(f * d)) features per tree, drawn without "
            "replacement). Returns three (n_estimators, 2 * sample_size - 1) arrays, row t = tree t, column k = "
            "node k, root 0: feature (int64; split feature, -1 at a leaf), left (int64; left child, the right one "
            "is left + 1, -1 at a leaf), value (X's dtype; the threshold, x[feature] <= threshold goes left, or at "
            "a leaf its path length depth + c(leaf size)); and sample_size (int, psi). Deterministic in seed, "
            "whatever the thread count. NaN/Inf raise ValueError."));
  m.def("iforest_scores", &scores<T>, py::arg("feature").noconvert(), py::arg("left").noconvert(),
        py::arg("value").noconvert(), py::arg("sample_size"), py::arg("n_features"), py::arg("X").noconvert(),
        doc("iforest_scores(feature, left, value, sample_size, n_features, X) -> (m,): the anomaly score "
            "s = 2 ** (-mean path length / c(sample_size)) of each row of X (m, n_features) under the forest "
            "returned by iforest_fit (higher = more anomalous; scikit-learn's score_samples is -s; 0.5 everywhere "
            "when sample_size = 1). Forests fitted with the same sample_size and n_features concatenate row-wise "
            "into one. Raises ValueError on NaN/Inf, a feature-count mismatch or a malformed forest."));
}

}  // namespace

void bind_iforest(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
