// Bodies of select_k and merge_topk, written once over a backend.
#pragma once
#ifndef TAMIS_SELECT_HPP_INCLUDED
#error "tamis/select/detail/select_k-inl.hpp is internal: include tamis/select/select_k.hpp"
#endif

#include <vector>

#include "tamis/core/detail/validate.hpp"
#include "tamis/select/detail/fold_rows.hpp"
#include "tamis/select/detail/topk_ops.hpp"

namespace tamis::select::detail {

template <typename Backend, typename T>
void check_outputs(matrix_view<T, typename Backend::memory_space> out_vals,
                   matrix_view<int64_t, typename Backend::memory_space> out_idx, int64_t rows, int64_t available)
{
  TAMIS_EXPECTS(out_vals.cols >= 1 && out_vals.cols <= available,
                "k: must be in [1, %lld] (the candidates per row), got %lld", static_cast<long long>(available),
                static_cast<long long>(out_vals.cols));
  tamis::detail::check_shape("out_vals", out_vals, rows, out_vals.cols);
  tamis::detail::check_shape("out_idx", out_idx, rows, out_vals.cols);
}

template <typename Backend, typename T>
void fold_matrix(resources const& res, matrix_view<const T, typename Backend::memory_space> vals,
                 const int64_t* in_idx, T sign, T* keys, int64_t* idx, int64_t k)
{
  TAMIS_EXPECTS(tamis::detail::count_if<Backend>(res, vals.ptr, vals.size(), tamis::detail::is_nan{}) == 0,
                "values: contain NaN, which has no rank");
  fold_rows<Backend, T>(res, vals.rows, matrix_candidates<T>{vals.ptr, in_idx, vals.cols, sign}, keys, idx, k);
}

template <typename Backend, typename T>
void select_k(resources const& res, matrix_view<const T, typename Backend::memory_space> in_vals,
              matrix_view<const int64_t, typename Backend::memory_space> in_idx,
              matrix_view<T, typename Backend::memory_space> out_vals,
              matrix_view<int64_t, typename Backend::memory_space> out_idx, bool select_min)
{
  tamis::detail::check_matrix("in_vals", in_vals);
  if (in_idx.ptr != nullptr) tamis::detail::check_shape("in_idx", in_idx, in_vals.rows, in_vals.cols);
  check_outputs<Backend>(out_vals, out_idx, in_vals.rows, in_vals.cols);
  int64_t k = out_vals.cols;
  T sign = select_min ? T(1) : T(-1);
  Backend::for_each_n(res, out_vals.size(), init_topk_op<T>{out_vals.ptr, out_idx.ptr});
  fold_matrix<Backend>(res, in_vals, in_idx.ptr, sign, out_vals.ptr, out_idx.ptr, k);
  Backend::for_each_n(res, in_vals.rows, finish_topk_op<T, signed_value<T>>{out_vals.ptr, out_idx.ptr, k, {sign}});
  Backend::sync(res);
}

template <typename Backend, typename T>
void merge_topk(resources const& res, std::vector<matrix_view<const T, typename Backend::memory_space>> const& part_vals,
                std::vector<matrix_view<const int64_t, typename Backend::memory_space>> const& part_idx,
                matrix_view<T, typename Backend::memory_space> out_vals,
                matrix_view<int64_t, typename Backend::memory_space> out_idx, bool select_min)
{
  TAMIS_EXPECTS(!part_vals.empty(), "part_vals: needs at least one part");
  TAMIS_EXPECTS(part_vals.size() == part_idx.size(), "part_idx: %zu parts but part_vals has %zu", part_idx.size(),
                part_vals.size());
  int64_t rows = part_vals[0].rows;
  int64_t available = 0;
  for (size_t p = 0; p < part_vals.size(); ++p) {
    tamis::detail::check_matrix("part_vals", part_vals[p]);
    TAMIS_EXPECTS(part_vals[p].rows == rows, "part_vals[%zu]: %lld rows, part 0 has %lld", p,
                  static_cast<long long>(part_vals[p].rows), static_cast<long long>(rows));
    tamis::detail::check_shape("part_idx", part_idx[p], rows, part_vals[p].cols);
    available += part_vals[p].cols;
  }
  check_outputs<Backend>(out_vals, out_idx, rows, available);
  int64_t k = out_vals.cols;
  T sign = select_min ? T(1) : T(-1);
  Backend::for_each_n(res, out_vals.size(), init_topk_op<T>{out_vals.ptr, out_idx.ptr});
  for (size_t p = 0; p < part_vals.size(); ++p) {
    fold_matrix<Backend>(res, part_vals[p], part_idx[p].ptr, sign, out_vals.ptr, out_idx.ptr, k);
  }
  Backend::for_each_n(res, rows, finish_topk_op<T, signed_value<T>>{out_vals.ptr, out_idx.ptr, k, {sign}});
  Backend::sync(res);
}

}  // namespace tamis::select::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_SELECT_DEFINE(T, Space, Backend)                                                                   \
  void tamis::select::select_k(resources const& res, matrix_view<const T, Space> in_vals,                        \
                               matrix_view<const int64_t, Space> in_idx, matrix_view<T, Space> out_vals,         \
                               matrix_view<int64_t, Space> out_idx, bool select_min)                             \
  {                                                                                                              \
    detail::select_k<Backend, T>(res, in_vals, in_idx, out_vals, out_idx, select_min);                           \
  }                                                                                                              \
  void tamis::select::merge_topk(resources const& res, std::vector<matrix_view<const T, Space>> const& part_vals, \
                                 std::vector<matrix_view<const int64_t, Space>> const& part_idx,                 \
                                 matrix_view<T, Space> out_vals, matrix_view<int64_t, Space> out_idx,            \
                                 bool select_min)                                                                \
  {                                                                                                              \
    detail::merge_topk<Backend, T>(res, part_vals, part_idx, out_vals, out_idx, select_min);                     \
  }
