// Bindings of tamis::select: row-wise top-k and the merge of per-shard top-k lists.
#include "common.hpp"

#include <vector>

#include "tamis/select/select_k.hpp"

namespace tamis_py {
namespace {

template <typename T>
py::tuple select_k(carray<T> const& values, int64_t k, bool select_min)
{
  auto v = matrix_in(values, "values");
  check_extent("k", k);
  auto out_vals = new_matrix<T>(v.rows, k);
  auto out_idx = new_matrix<int64_t>(v.rows, k);
  auto ov = matrix_out(out_vals);
  auto oi = matrix_out(out_idx);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::select::select_k(res, v, {}, ov, oi, select_min);
  }
  return py::make_tuple(std::move(out_vals), std::move(out_idx));
}

template <typename T>
py::tuple merge_topk(std::vector<carray<T>> const& part_vals, std::vector<carray<int64_t>> const& part_idx, int64_t k,
                     bool select_min)
{
  std::vector<tamis::host_matrix_view<const T>> vals;
  std::vector<tamis::host_matrix_view<const int64_t>> idx;
  for (auto const& a : part_vals) vals.push_back(matrix_in(a, "values"));
  for (auto const& a : part_idx) idx.push_back(matrix_in(a, "indices"));
  if (vals.empty()) TAMIS_FAIL("values: needs at least one part");
  check_extent("k", k);
  auto out_vals = new_matrix<T>(vals.front().rows, k);
  auto out_idx = new_matrix<int64_t>(vals.front().rows, k);
  auto ov = matrix_out(out_vals);
  auto oi = matrix_out(out_idx);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    tamis::select::merge_topk(res, vals, idx, ov, oi, select_min);
  }
  return py::make_tuple(std::move(out_vals), std::move(out_idx));
}

template <typename T>
void def_typed(py::module_& m)
{
  m.def("select_k", &select_k<T>, py::arg("values").noconvert(), py::arg("k"), py::arg("select_min"),
        "top-k of each row: (values, int64 column indices), best first, ties by lower index");
  m.def("merge_topk", &merge_topk<T>, py::arg("values").noconvert(), py::arg("indices").noconvert(), py::arg("k"),
        py::arg("select_min"), "merges per-shard top-k lists (global indices, -1 = padding) into the best k");
}

}  // namespace

void init_select(py::module_& m)
{
  def_typed<float>(m);
  def_typed<double>(m);
}

}  // namespace tamis_py
