// Bindings of tamis::neighbors: brute-force kNN, the kNN graph and (when built) the FAISS index.
#include "common.hpp"

#include <mutex>
#include <shared_mutex>
#include <string>

#include "tamis/linalg/distance_types.hpp"
#include "tamis/neighbors/brute_force.hpp"
#if TAMIS_HAS_FAISS
#include "tamis/neighbors/faiss_index.hpp"
#endif

namespace tamis_py {
namespace {

namespace bf = tamis::neighbors::brute_force;

template <typename T>
py::tuple knn(carray<T> const& database, carray<T> const& queries, int64_t k, std::string const& metric,
              bool exclude_self)
{
  auto db = matrix_in(database, "database");
  auto q = matrix_in(queries, "queries");
  auto m = tamis::parse_distance_metric(metric);
  check_extent("k", k);
  auto distances = new_matrix<T>(q.rows, k);
  auto indices = new_matrix<int64_t>(q.rows, k);
  auto dv = matrix_out(distances);
  auto iv = matrix_out(indices);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    bf::knn(res, db, q, m, exclude_self, dv, iv);
  }
  return py::make_tuple(std::move(distances), std::move(indices));
}

template <typename T>
py::tuple knn_graph(carray<T> const& data, int64_t k, std::string const& metric)
{
  auto x = matrix_in(data, "data");
  auto m = tamis::parse_distance_metric(metric);
  check_extent("k", k);
  auto distances = new_matrix<T>(x.rows, k);
  auto indices = new_matrix<int64_t>(x.rows, k);
  auto dv = matrix_out(distances);
  auto iv = matrix_out(indices);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    bf::knn_graph(res, x, m, dv, iv);
  }
  return py::make_tuple(std::move(distances), std::move(indices));
}

template <typename T>
void def_brute_force(py::module_& m)
{
  m.def("knn", &knn<T>, py::arg("database").noconvert(), py::arg("queries").noconvert(), py::arg("k"),
        py::arg("metric"), py::arg("exclude_self"),
        "k nearest database rows of each query: (distances, int64 indices), nearest first");
  m.def("knn_graph", &knn_graph<T>, py::arg("data").noconvert(), py::arg("k"), py::arg("metric"),
        "kNN graph of data against itself, self excluded: (distances, int64 indices)");
}

#if TAMIS_HAS_FAISS
/// A FAISS index with its own handle. FAISS indexes are not safe for concurrent add/search, so
/// train/add/set take the lock exclusively and search shares it; the GIL is released meanwhile.
struct faiss_index_py {
  tamis::resources res;
  std::string factory;
  tamis::distance_metric metric;
  tamis::neighbors::faiss_index index;
  mutable std::shared_mutex mutex;

  faiss_index_py(int64_t dim, std::string const& factory_, std::string const& metric_)
    : factory(factory_), metric(tamis::parse_distance_metric(metric_)), index(res, dim, factory_, metric)
  {
  }
};

/// A binding of an index method that takes rows and changes the index (train, add): the GIL is
/// released and the index locked exclusively while it runs.
inline auto rows_in(void (tamis::neighbors::faiss_index::*method)(tamis::resources const&,
                                                                   tamis::host_matrix_view<const float>))
{
  return [method](faiss_index_py& w, carray<float> const& x) {
    auto v = matrix_in(x, "x");
    py::gil_scoped_release nogil;
    std::unique_lock lock(w.mutex);
    (w.index.*method)(w.res, v);
  };
}
#endif

}  // namespace

void init_neighbors(py::module_& m)
{
  def_brute_force<float>(m);
  def_brute_force<double>(m);

#if TAMIS_HAS_FAISS
  py::class_<faiss_index_py>(m, "FaissIndex", "A FAISS index built from a factory string (float32, host)")
    .def(py::init<int64_t, std::string const&, std::string const&>(), py::arg("dim"), py::arg("factory"),
         py::arg("metric"))
    .def_property_readonly("dim", [](faiss_index_py const& w) { return w.index.dim(); })
    .def_property_readonly("factory", [](faiss_index_py const& w) { return w.factory; })
    .def_property_readonly("metric", [](faiss_index_py const& w) { return std::string(tamis::to_string(w.metric)); })
    .def_property_readonly("ntotal",
                           [](faiss_index_py const& w) {
                             std::shared_lock lock(w.mutex);
                             return w.index.size();
                           })
    .def_property_readonly("is_trained",
                           [](faiss_index_py const& w) {
                             std::shared_lock lock(w.mutex);
                             return w.index.is_trained();
                           })
    .def("train", rows_in(&tamis::neighbors::faiss_index::train), py::arg("x").noconvert())
    .def("add", rows_in(&tamis::neighbors::faiss_index::add), py::arg("x").noconvert())
    .def(
      "set_search_parameter",
      [](faiss_index_py& w, std::string const& name, double value) {
        py::gil_scoped_release nogil;
        std::unique_lock lock(w.mutex);
        w.index.set_search_parameter(name, value);
      },
      py::arg("name"), py::arg("value"))
    .def(
      "search",
      [](faiss_index_py const& w, carray<float> const& queries, int64_t k) {
        auto q = matrix_in(queries, "queries");
        check_extent("k", k);
        auto distances = new_matrix<float>(q.rows, k);
        auto indices = new_matrix<int64_t>(q.rows, k);
        auto dv = matrix_out(distances);
        auto iv = matrix_out(indices);
        {
          py::gil_scoped_release nogil;
          std::shared_lock lock(w.mutex);
          w.index.search(w.res, q, dv, iv);
        }
        return py::make_tuple(std::move(distances), std::move(indices));
      },
      py::arg("queries").noconvert(), py::arg("k"));
#endif
}

}  // namespace tamis_py
