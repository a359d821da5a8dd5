// Bindings of the neighbour-based detectors: tamis::outlier KNN and LOF on host arrays.
#include "common.hpp"

#include <string>
#include <utility>

#include "tamis/outlier/knn.hpp"
#include "tamis/outlier/lof.hpp"

namespace tamis_py {
namespace {

namespace od = tamis::outlier;

template <typename T>
carray<T> knn_train_scores(carray<T> const& train, int64_t n_neighbors, std::string const& method)
{
  auto tv = matrix_in(train, "X");
  auto m = od::parse_knn_method(method);
  return vector_result<T>(tv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    od::knn_train_scores(res, tv, n_neighbors, m, ov);
  });
}

template <typename T>
carray<T> knn_scores(carray<T> const& train, carray<T> const& queries, int64_t n_neighbors, std::string const& method)
{
  auto tv = matrix_in(train, "train");
  auto qv = matrix_in(queries, "X");
  auto m = od::parse_knn_method(method);
  return vector_result<T>(qv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    od::knn_scores(res, tv, qv, n_neighbors, m, ov);
  });
}

template <typename T>
py::tuple lof_fit(carray<T> const& train, int64_t n_neighbors)
{
  auto tv = matrix_in(train, "X");
  const auto n = static_cast<py::ssize_t>(tv.rows);
  carray<T> k_distance(n), lrd(n), scores(n);
  auto kv = vector_out(k_distance);
  auto lv = vector_out(lrd);
  auto sv = vector_out(scores);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    od::lof_fit(res, tv, n_neighbors, kv, lv, sv);
  }
  return py::make_tuple(std::move(k_distance), std::move(lrd), std::move(scores));
}

template <typename T>
carray<T> lof_scores(carray<T> const& train, carray<T> const& k_distance, carray<T> const& lrd,
                     carray<T> const& queries, int64_t n_neighbors)
{
  auto tv = matrix_in(train, "train");
  auto kv = vector_in(k_distance, "k_distance");
  auto lv = vector_in(lrd, "lrd");
  auto qv = matrix_in(queries, "X");
  return vector_result<T>(qv.rows, [&](tamis::resources& res, tamis::host_vector_view<T> ov) {
    od::lof_scores(res, tv, kv, lv, qv, n_neighbors, ov);
  });
}

template <typename T>
void bind_for(py::module_& m)
{
  m.def("knn_train_scores", &knn_train_scores<T>, py::arg("X").noconvert(), py::arg("n_neighbors"),
        py::arg("method"), "KNN scores of the training rows, each against the others (self excluded)");
  m.def("knn_scores", &knn_scores<T>, py::arg("train").noconvert(), py::arg("X").noconvert(),
        py::arg("n_neighbors"), py::arg("method"), "KNN scores of new rows against the training rows");
  m.def("lof_fit", &lof_fit<T>, py::arg("X").noconvert(), py::arg("n_neighbors"),
        "LOF fit: (k_distance, lrd, training scores), each of length n");
  m.def("lof_scores", &lof_scores<T>, py::arg("train").noconvert(), py::arg("k_distance").noconvert(),
        py::arg("lrd").noconvert(), py::arg("X").noconvert(), py::arg("n_neighbors"),
        "LOF of new rows against the fitted training rows (novelty mode)");
}

}  // namespace

void bind_neighbors(py::module_& m)
{
  bind_for<float>(m);
  bind_for<double>(m);
}

}  // namespace tamis_py
