// Bindings of average-linkage HAC (tamis/cluster/average_linkage.hpp): the flat cut of the tree.
#include "common.hpp"

#include <utility>

#include "tamis/cluster/average_linkage.hpp"

namespace tamis_py {
namespace {

namespace al = tamis::cluster::average_linkage;

/// (int64 labels, number of clusters); n_clusters 0 cuts at distance_threshold instead.
template <typename T>
py::tuple average_linkage(carray<T> const& x, int64_t n_clusters, double distance_threshold, int64_t max_leaves,
                          int kmeans_max_iter, uint64_t seed)
{
  auto xv = matrix_in(x, "X");
  al::params p;
  p.n_clusters = n_clusters;
  p.distance_threshold = distance_threshold;
  p.max_leaves = max_leaves;
  p.kmeans_max_iter = kmeans_max_iter;
  p.seed = seed;
  int64_t k = 0;
  auto labels = vector_result<int64_t>(xv.rows, [&](tamis::resources& res, tamis::host_vector_view<int64_t> lv) {
    k = al::fit(res, p, xv, lv);
  });
  return py::make_tuple(std::move(labels), k);
}

}  // namespace

void bind_average_linkage(py::module_& m)
{
  m.def("average_linkage", &average_linkage<float>, py::arg("X").noconvert(), py::arg("n_clusters"),
        py::arg("distance_threshold"), py::arg("max_leaves"), py::arg("kmeans_max_iter"), py::arg("seed"),
        "average-linkage HAC on squared L2, cut into flat clusters: (int64 labels, n_clusters)");
  m.def("average_linkage", &average_linkage<double>, py::arg("X").noconvert(), py::arg("n_clusters"),
        py::arg("distance_threshold"), py::arg("max_leaves"), py::arg("kmeans_max_iter"), py::arg("seed"));
}

}  // namespace tamis_py
