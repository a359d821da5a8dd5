// Bindings of TypiClust (tamis/active/typiclust.hpp): on given cluster ids, or on its own k-means.
#include "common.hpp"

#include "tamis/active/typiclust.hpp"

namespace tamis_py {
namespace {

namespace typiclust = tamis::active::typiclust;

typiclust::params make_params(int64_t min_cluster_size, int64_t k, int64_t n_clusters, uint64_t seed)
{
  typiclust::params p;
  p.min_cluster_size = min_cluster_size;
  p.k = k;
  p.n_clusters = n_clusters;
  p.seed = seed;
  return p;
}

template <typename T>
py::tuple typiclust_select(carray<T> const& x, carray<int64_t> const& clusters,
                           std::optional<carray<uint8_t>> const& labeled, int64_t budget, int64_t min_cluster_size,
                           int64_t k)
{
  auto xv = matrix_in(x, "embeddings");
  auto cv = vector_in(clusters, "clusters");
  auto lv = mask_in(labeled);
  const auto p = make_params(min_cluster_size, k, 0, 0);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    typiclust::select(res, p, xv, cv, lv, oi, og);
  });
}

template <typename T>
py::tuple typiclust_cluster_select(carray<T> const& x, std::optional<carray<uint8_t>> const& labeled, int64_t budget,
                                   int64_t n_clusters, int64_t min_cluster_size, int64_t k, uint64_t seed)
{
  auto xv = matrix_in(x, "embeddings");
  auto lv = mask_in(labeled);
  const auto p = make_params(min_cluster_size, k, n_clusters, seed);
  return batch_result<T>(budget, [&](tamis::resources& res, tamis::host_vector_view<int64_t> oi,
                                     tamis::host_vector_view<T> og) {
    typiclust::cluster_and_select(res, p, xv, lv, oi, og);
  });
}

}  // namespace

void bind_typiclust(py::module_& m)
{
  m.def("typiclust_select", &typiclust_select<float>, py::arg("embeddings").noconvert(),
        py::arg("clusters").noconvert(), py::arg("labeled").noconvert().none(true), py::arg("budget"),
        py::arg("min_cluster_size"), py::arg("k"),
        "(indices, typicalities) of a TypiClust batch on given cluster ids in [0, n)");
  m.def("typiclust_select", &typiclust_select<double>, py::arg("embeddings").noconvert(),
        py::arg("clusters").noconvert(), py::arg("labeled").noconvert().none(true), py::arg("budget"),
        py::arg("min_cluster_size"), py::arg("k"));
  m.def("typiclust_cluster_select", &typiclust_cluster_select<float>, py::arg("embeddings").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("n_clusters"),
        py::arg("min_cluster_size"), py::arg("k"), py::arg("seed"),
        "(indices, typicalities) of a TypiClust batch on seeded k-means into n_clusters clusters");
  m.def("typiclust_cluster_select", &typiclust_cluster_select<double>, py::arg("embeddings").noconvert(),
        py::arg("labeled").noconvert().none(true), py::arg("budget"), py::arg("n_clusters"),
        py::arg("min_cluster_size"), py::arg("k"), py::arg("seed"));
}

}  // namespace tamis_py
