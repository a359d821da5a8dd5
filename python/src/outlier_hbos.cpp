// Bindings of HBOS (tamis/outlier/hbos.hpp): fit from sorted columns, score new rows.
#include "common.hpp"

#include <utility>

#include "tamis/outlier/hbos.hpp"

namespace tamis_py {
namespace {

namespace hbos = tamis::outlier::hbos;

template <typename T>
py::tuple hbos_fit(carray<T> const& sorted, int64_t n_bins)
{
  auto sv = matrix_in(sorted, "sorted");
  const int64_t max_bins = hbos::max_bins(sv.cols, n_bins);
  auto edges = new_matrix<T>(sv.rows, max_bins + 1);
  auto density = new_matrix<T>(sv.rows, max_bins);
  carray<int64_t> bins(static_cast<py::ssize_t>(sv.rows));
  auto ev = matrix_out(edges);
  auto dv = matrix_out(density);
  auto bv = vector_out(bins);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    hbos::fit(res, sv, n_bins, ev, dv, bv);
  }
  return py::make_tuple(std::move(edges), std::move(density), std::move(bins));
}

template <typename T>
carray<T> hbos_scores(carray<T> const& edges, carray<T> const& density, carray<int64_t> const& bins,
                      carray<T> const& x, double alpha, double tol)
{
  auto ev = matrix_in(edges, "edges");
  auto dv = matrix_in(density, "density");
  if (bins.ndim() != 1) TAMIS_FAIL("bins: expected a 1-D array, got %d dimension(s)", static_cast<int>(bins.ndim()));
  tamis::host_vector_view<const int64_t> bv(bins.data(), static_cast<int64_t>(bins.shape(0)));
  auto xv = matrix_in(x, "X");
  return vector_result<T>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    hbos::scores(res, ev, dv, bv, xv, alpha, tol, ov);
  });
}

template <typename T>
void bind_types(py::module_& m, bool document)
{
  auto doc = [&](const char* text) { return document ? text : ""; };
  m.def("hbos_fit", &hbos_fit<T>, py::arg("sorted").noconvert(), py::arg("n_bins") = 10,
        doc("hbos_fit(sorted, n_bins=10) -> (edges, density, bins): histograms of the training columns "
            "`sorted` (d, n) = sort_columns(X). n_bins >= 1, or 0 for PyOD's 'auto' (Birge-Rozenblac per feature). "
            "With B = n_bins (auto: max(2, isqrt(n)) - 1): edges (d, B + 1), feature j's bins[j] + 1 numpy.histogram "
            "edges then its last edge repeated; density (d, B), PyOD's hist_ (count / (n * width)) then zeros; "
            "bins (d,) int64, bins used per feature."));
  m.def("hbos_scores", &hbos_scores<T>, py::arg("edges").noconvert(), py::arg("density").noconvert(),
        py::arg("bins").noconvert(), py::arg("X").noconvert(), py::arg("alpha") = 0.1, py::arg("tol") = 0.5,
        doc("hbos_scores(edges, density, bins, X, alpha=0.1, tol=0.5) -> (m,): PyOD's HBOS decision_function "
            "-sum_j log2(density + alpha) of the rows X (m, d), binned as numpy.digitize(right=True); values outside "
            "the edges take the edge bin within tol bin widths, else the feature's lowest score. alpha > 0, tol >= 0. "
            "On the training rows this is PyOD's decision_scores_."));
}

}  // namespace

void bind_hbos(py::module_& m)
{
  bind_types<float>(m, true);
  bind_types<double>(m, false);
}

}  // namespace tamis_py
