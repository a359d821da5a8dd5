// Bindings of tamis::cluster::kmeans: fit / predict, and the shard kernel + merge steps of a
// distributed Lloyd iteration (KMeansStats = kmeans::partial_sums).
#include "common.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "tamis/cluster/kmeans.hpp"

namespace tamis_py {
namespace {

namespace km = tamis::cluster::kmeans;

km::init_method parse_init(std::string const& init)
{
  if (init == "k-means++") return km::init_method::kmeans_plus_plus;
  if (init == "random") return km::init_method::random;
  if (init == "array") return km::init_method::array;
  TAMIS_FAIL("init: unknown method '%s' (expected 'k-means++', 'random' or 'array')", init.c_str());
}

km::params make_params(int64_t n_clusters, int max_iter, double tol, std::string const& init, bool spherical,
                       uint64_t seed, int64_t batch_rows)
{
  km::params p;
  p.n_clusters = n_clusters;
  p.max_iter = max_iter;
  p.tol = tol;
  p.init = parse_init(init);
  p.spherical = spherical;
  p.seed = seed;
  p.batch_rows = batch_rows;
  return p;
}

/// Parameters for predict/accumulate, which only read `spherical` and `batch_rows`.
km::params assign_params(bool spherical, int64_t batch_rows)
{
  km::params p;
  p.spherical = spherical;
  p.batch_rows = batch_rows;
  return p;
}

template <typename T>
py::tuple fit(carray<T> const& x, int64_t n_clusters, int max_iter, double tol, std::string const& init,
              bool spherical, uint64_t seed, int64_t batch_rows, std::optional<carray<T>> const& init_centers)
{
  auto xv = matrix_in(x, "X");
  auto p = make_params(n_clusters, max_iter, tol, init, spherical, seed, batch_rows);
  check_extent("n_clusters", n_clusters);
  auto centers = new_matrix<T>(n_clusters, xv.cols);
  auto labels = carray<int64_t>(static_cast<py::ssize_t>(xv.rows));
  auto cv = matrix_out(centers);
  if (p.init == km::init_method::array) {
    if (!init_centers) TAMIS_FAIL("init: 'array' needs the initial centres");
    auto iv = matrix_in(*init_centers, "init");
    if (iv.rows != cv.rows || iv.cols != cv.cols) {
      TAMIS_FAIL("init: expected shape (%lld, %lld) = (n_clusters, n_features), got (%lld, %lld)",
                 static_cast<long long>(cv.rows), static_cast<long long>(cv.cols), static_cast<long long>(iv.rows),
                 static_cast<long long>(iv.cols));
    }
    std::copy(iv.ptr, iv.ptr + iv.size(), cv.ptr);  // the output buffer starts as the given centres
  }
  auto lv = vector_out(labels);
  km::fit_result r;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    r = km::fit(res, p, xv, cv, lv);
  }
  return py::make_tuple(std::move(centers), std::move(labels), r.inertia, r.n_iter);
}

template <typename T>
py::tuple predict(carray<T> const& x, carray<T> const& centers, bool spherical, int64_t batch_rows)
{
  auto xv = matrix_in(x, "X");
  auto cv = matrix_in(centers, "centers");
  auto labels = carray<int64_t>(static_cast<py::ssize_t>(xv.rows));
  auto distances = carray<T>(static_cast<py::ssize_t>(xv.rows));
  auto lv = vector_out(labels);
  auto dv = vector_out(distances);
  double inertia = 0;
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    inertia = km::predict(res, assign_params(spherical, batch_rows), xv, cv, lv, dv);
  }
  return py::make_tuple(std::move(labels), std::move(distances), inertia);
}

template <typename T>
void accumulate(carray<T> const& x, carray<T> const& centers, bool spherical, int64_t batch_rows,
                km::partial_sums& stats)
{
  auto xv = matrix_in(x, "X");
  auto cv = matrix_in(centers, "centers");
  py::gil_scoped_release nogil;
  tamis::resources res;
  km::accumulate(res, assign_params(spherical, batch_rows), xv, cv, stats);
}

template <typename T>
carray<T> centers_from(km::partial_sums const& stats, carray<T> const& previous, bool spherical)
{
  auto pv = matrix_in(previous, "previous_centers");
  if (pv.rows != stats.n_clusters || pv.cols != stats.n_features) {
    TAMIS_FAIL("previous_centers: expected shape (%lld, %lld) to match the statistics, got (%lld, %lld)",
               static_cast<long long>(stats.n_clusters), static_cast<long long>(stats.n_features),
               static_cast<long long>(pv.rows), static_cast<long long>(pv.cols));
  }
  auto out = new_matrix<T>(pv.rows, pv.cols);
  auto ov = matrix_out(out);
  std::copy(pv.ptr, pv.ptr + pv.size(), ov.ptr);  // empty clusters keep their previous centre
  km::centroids_from(stats, spherical, ov);
  return out;
}

/// A read-only NumPy view of a vector owned by `owner` (kept alive through the array's base).
template <typename T>
py::array readonly_view(std::vector<T> const& v, std::vector<py::ssize_t> shape, py::handle owner)
{
  py::array a(py::dtype::of<T>(), std::move(shape), {}, v.data(), owner);
  a.attr("setflags")(py::arg("write") = false);
  return a;
}

km::partial_sums make_stats(int64_t n_clusters, int64_t n_features)
{
  if (n_clusters < 1) TAMIS_FAIL("n_clusters: must be >= 1, got %lld", static_cast<long long>(n_clusters));
  if (n_features < 1) TAMIS_FAIL("n_features: must be >= 1, got %lld", static_cast<long long>(n_features));
  return km::partial_sums(n_clusters, n_features);
}

km::partial_sums stats_from_arrays(carray<double> const& sums, carray<int64_t> const& counts, double inertia)
{
  auto sv = matrix_in(sums, "sums");
  if (counts.ndim() != 1 || counts.shape(0) != sv.rows) {
    TAMIS_FAIL("counts: expected a vector of length %lld (the rows of sums)", static_cast<long long>(sv.rows));
  }
  auto s = make_stats(sv.rows, sv.cols);
  std::copy(sv.ptr, sv.ptr + sv.size(), s.sums.begin());
  std::copy(counts.data(), counts.data() + sv.rows, s.counts.begin());
  s.inertia = inertia;
  return s;
}

template <typename T>
void def_typed(py::module_& m)
{
  m.def("fit", &fit<T>, py::arg("X").noconvert(), py::arg("n_clusters"), py::arg("max_iter"), py::arg("tol"),
        py::arg("init"), py::arg("spherical"), py::arg("seed"), py::arg("batch_rows"),
        py::arg("init_centers").noconvert() = py::none(),
        "k-means fit: (centers, int64 labels, inertia, n_iter)");
  m.def("predict", &predict<T>, py::arg("X").noconvert(), py::arg("centers").noconvert(), py::arg("spherical"),
        py::arg("batch_rows"), "nearest centre of each row: (int64 labels, distances, inertia)");
  m.def("accumulate", &accumulate<T>, py::arg("X").noconvert(), py::arg("centers").noconvert(),
        py::arg("spherical"), py::arg("batch_rows"), py::arg("stats"),
        "adds the rows' per-cluster sums, counts and inertia under `centers` into `stats` (in place)");
  m.def("centers_from", &centers_from<T>, py::arg("stats"), py::arg("previous_centers").noconvert(),
        py::arg("spherical"), "new centres from merged statistics; empty clusters keep their previous centre");
}

}  // namespace

void init_cluster(py::module_& m)
{
  bind_average_linkage(m);
  py::class_<km::partial_sums>(m, "KMeansStats",
                               "Per-cluster sums, counts and inertia of a set of rows under fixed centres. "
                               "Statistics of disjoint shards merge exactly.")
    .def(py::init(&make_stats), py::arg("n_clusters"), py::arg("n_features"))
    .def(py::init(&stats_from_arrays), py::arg("sums").noconvert(), py::arg("counts").noconvert(),
         py::arg("inertia"))
    .def_readonly("n_clusters", &km::partial_sums::n_clusters)
    .def_readonly("n_features", &km::partial_sums::n_features)
    .def_readwrite("inertia", &km::partial_sums::inertia)
    .def_property_readonly("sums",
                           [](py::object self) {
                             auto& s = self.cast<km::partial_sums const&>();
                             return readonly_view(s.sums, {s.n_clusters, s.n_features}, self);
                           })
    .def_property_readonly("counts",
                           [](py::object self) {
                             auto& s = self.cast<km::partial_sums const&>();
                             return readonly_view(s.counts, {s.n_clusters}, self);
                           })
    .def("merge", &km::partial_sums::merge, py::arg("other"), "adds another shard's statistics (in place)")
    .def("copy", [](km::partial_sums const& s) { return km::partial_sums(s); })
    .def("__copy__", [](km::partial_sums const& s) { return km::partial_sums(s); })
    .def("__deepcopy__", [](km::partial_sums const& s, py::dict) { return km::partial_sums(s); }, py::arg("memo"))
    .def(py::pickle(
      [](km::partial_sums const& s) {
        auto sums = new_matrix<double>(s.n_clusters, s.n_features);
        std::copy(s.sums.begin(), s.sums.end(), sums.mutable_data());
        carray<int64_t> counts(static_cast<py::ssize_t>(s.n_clusters));
        std::copy(s.counts.begin(), s.counts.end(), counts.mutable_data());
        return py::make_tuple(std::move(sums), std::move(counts), s.inertia);
      },
      [](py::tuple t) {
        if (t.size() != 3) TAMIS_FAIL("KMeansStats: invalid pickled state");
        return stats_from_arrays(t[0].cast<carray<double>>(), t[1].cast<carray<int64_t>>(), t[2].cast<double>());
      }))
    .def("__repr__", [](km::partial_sums const& s) {
      int64_t total = 0;
      for (auto c : s.counts) total += c;
      return "KMeansStats(n_clusters=" + std::to_string(s.n_clusters) + ", n_features=" +
             std::to_string(s.n_features) + ", rows=" + std::to_string(total) +
             ", inertia=" + py::repr(py::float_(s.inertia)).cast<std::string>() + ")";
    });

  def_typed<float>(m);
  def_typed<double>(m);
}

}  // namespace tamis_py
