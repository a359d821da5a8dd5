// Bindings of the column statistics and the Mahalanobis detectors (tamis/outlier/mahalanobis.hpp):
// raw functions on NumPy arrays that the Python estimators (EmpiricalCovariance / PyOD MCD) build on.
#include "common.hpp"

#include <cstdint>
#include <utility>

#include "tamis/outlier/mahalanobis.hpp"

namespace tamis_py {
namespace {

namespace mh = tamis::outlier::mahalanobis;

template <typename T>
py::tuple column_stats(carray<T> const& x)
{
  auto xv = matrix_in(x, "X");
  auto mean = new_vector<T>(xv.cols);
  auto m2 = new_matrix<T>(xv.cols, xv.cols);
  auto mv = vector_out(mean);
  auto m2v = matrix_out(m2);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::outlier::column_stats(res, xv, mv, m2v);
  }
  return py::make_tuple(xv.rows, std::move(mean), std::move(m2));
}

template <typename T>
py::tuple merge_column_stats(int64_t count_a, carray<T> const& mean_a, carray<T> const& m2_a, int64_t count_b,
                             carray<T> const& mean_b, carray<T> const& m2_b)
{
  auto ma = vector_in(mean_a, "mean_a");
  auto sa = matrix_in(m2_a, "m2_a");
  auto mb = vector_in(mean_b, "mean_b");
  auto sb = matrix_in(m2_b, "m2_b");
  auto mean = new_vector<T>(ma.length);
  auto m2 = new_matrix<T>(ma.length, ma.length);
  auto mv = vector_out(mean);
  auto m2v = matrix_out(m2);
  int64_t count = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    count = tamis::outlier::merge_column_stats(res, count_a, ma, sa, count_b, mb, sb, mv, m2v);
  }
  return py::make_tuple(count, std::move(mean), std::move(m2));
}

template <typename T>
py::tuple covariance_whitening(carray<T> const& covariance)
{
  auto cv = matrix_in(covariance, "covariance");
  auto whitening = new_matrix<T>(cv.rows, cv.rows);
  auto wv = matrix_out(whitening);
  int64_t rank = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    rank = mh::covariance_whitening(res, cv, wv);
  }
  return py::make_tuple(std::move(whitening), rank);
}

template <typename T>
py::tuple empirical_fit(int64_t count, carray<T> const& m2)
{
  auto sv = matrix_in(m2, "m2");
  auto covariance = new_matrix<T>(sv.rows, sv.rows);
  auto whitening = new_matrix<T>(sv.rows, sv.rows);
  auto cv = matrix_out(covariance);
  auto wv = matrix_out(whitening);
  int64_t rank = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    rank = mh::empirical_fit(res, count, sv, cv, wv);
  }
  return py::make_tuple(std::move(covariance), std::move(whitening), rank);
}

template <typename T>
py::tuple mcd_fit(carray<T> const& x, double support_fraction, uint64_t seed)
{
  auto xv = matrix_in(x, "X");
  auto location = new_vector<T>(xv.cols);
  auto covariance = new_matrix<T>(xv.cols, xv.cols);
  auto whitening = new_matrix<T>(xv.cols, xv.cols);
  py::array_t<bool> support(static_cast<py::ssize_t>(xv.rows));
  auto lv = vector_out(location);
  auto cv = matrix_out(covariance);
  auto wv = matrix_out(whitening);
  tamis::host_vector_view<uint8_t> sv(reinterpret_cast<uint8_t*>(support.mutable_data()), xv.rows);
  mh::mcd_result r;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    r = mh::mcd_fit(res, mh::mcd_params{support_fraction, seed}, xv, lv, cv, wv, sv);
  }
  py::dict info;
  info["rank"] = r.rank;
  info["raw_support_size"] = r.raw_support_size;
  info["support_size"] = r.support_size;
  info["raw_log_det"] = r.raw_log_det;
  return py::make_tuple(std::move(location), std::move(covariance), std::move(whitening), std::move(support), info);
}

template <typename T>
carray<T> mahalanobis_scores(carray<T> const& location, carray<T> const& whitening, carray<T> const& x)
{
  auto lv = vector_in(location, "location");
  auto wv = matrix_in(whitening, "whitening");
  auto xv = matrix_in(x, "X");
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    mh::scores(res, lv, wv, xv, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("column_stats", &column_stats<T>, py::arg("X").noconvert(),
        doc("column_stats(X) -> (count, mean, m2): X (n, d) float32/float64, finite. count = n; mean (d,); "
            "m2 (d, d) = sum_i (x_i - mean)(x_i - mean)^T, the scatter matrix (covariance * n). The running state "
            "of Mahalanobis and PCA fits; merge two with merge_column_stats (exact partial_fit)."));
  m.def("merge_column_stats", &merge_column_stats<T>, py::arg("count_a"), py::arg("mean_a").noconvert(),
        py::arg("m2_a").noconvert(), py::arg("count_b"), py::arg("mean_b").noconvert(), py::arg("m2_b").noconvert(),
        doc("merge_column_stats(count_a, mean_a, m2_a, count_b, mean_b, m2_b) -> (count, mean, m2): the column "
            "statistics of the union of two disjoint row sets (Chan et al.'s pairwise update), exactly what "
            "column_stats of the stacked rows gives up to rounding. Counts >= 0 with a positive sum; a side "
            "with count 0 is ignored."));
  m.def("covariance_whitening", &covariance_whitening<T>, py::arg("covariance").noconvert(),
        doc("covariance_whitening(covariance) -> (whitening, rank): covariance (d, d) symmetric; whitening (d, d) "
            "with row k = v_k / sqrt(lambda_k) for the eigenpairs kept by scipy.linalg.pinvh's cut-off "
            "(lambda > d * eps * max|lambda|), descending, zero rows after `rank`. precision = W^T W."));
  m.def("mahalanobis_fit", &empirical_fit<T>, py::arg("count"), py::arg("m2").noconvert(),
        doc("mahalanobis_fit(count, m2) -> (covariance, whitening, rank): sklearn's EmpiricalCovariance from "
            "column statistics: covariance = m2 / count (ddof 0) and its whitening as covariance_whitening. "
            "The location is column_stats' mean."));
  m.def("mcd_fit", &mcd_fit<T>, py::arg("X").noconvert(), py::arg("support_fraction") = 0.0, py::arg("seed") = 0,
        doc("mcd_fit(X, support_fraction=0.0, seed=0) -> (location, covariance, whitening, support, info): "
            "sklearn's MinCovDet (FastMCD, consistency correction, reweighting) on X (n, d), n >= 2. "
            "support_fraction in (0, 1] gives h = floor(fraction * n); 0 = sklearn's default "
            "h = min(ceil((n + d + 1) / 2), n). Returns the reweighted location_ (d,), covariance_ (d, d), its "
            "whitening (d, d) (see covariance_whitening), support_ (n,) bool, and info = {'rank', "
            "'raw_support_size', 'support_size', 'raw_log_det'}. Random subsets come from Philox streams of "
            "`seed`, so the estimate differs from sklearn's only through the subsets tried. PyOD MCD's "
            "decision_scores_ = mahalanobis_scores(location, whitening, X)."));
  m.def("mahalanobis_scores", &mahalanobis_scores<T>, py::arg("location").noconvert(),
        py::arg("whitening").noconvert(), py::arg("X").noconvert(),
        doc("mahalanobis_scores(location, whitening, X) -> (m,): squared Mahalanobis distances "
            "||W (x - location)||^2 of the rows of X (m, d); whitening (k, d), any k >= 1 leading rows of a "
            "fitted whitening (at least its rank). sklearn's mahalanobis(); higher = more anomalous."));
}

}  // namespace

void bind_mahalanobis(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
