// Bodies of the linalg entry points, written once over a backend.
#pragma once
#ifndef TAMIS_LINALG_HPP_INCLUDED
#error "tamis/linalg/detail/linalg-inl.hpp is internal: include tamis/linalg/linalg.hpp"
#endif

#include "tamis/core/detail/validate.hpp"
#include "tamis/linalg/detail/distance_ops.hpp"

namespace tamis::linalg::detail {

template <typename Backend, typename T>
void gemm_nt(resources const& res, matrix_view<const T, typename Backend::memory_space> a,
             matrix_view<const T, typename Backend::memory_space> b, matrix_view<T, typename Backend::memory_space> c,
             T alpha, T beta)
{
  tamis::detail::check_matrix("a", a);
  tamis::detail::check_matrix("b", b);
  TAMIS_EXPECTS(a.cols == b.cols, "b: has %lld columns but a has %lld", static_cast<long long>(b.cols),
                static_cast<long long>(a.cols));
  tamis::detail::check_shape("c", c, a.rows, b.rows);
  Backend::gemm_nt(res, a.rows, b.rows, a.cols, alpha, a.ptr, a.cols, b.ptr, b.cols, beta, c.ptr, c.cols);
}

/// Norms of rows without validation, for callers that already checked their input.
template <typename Backend, typename T>
void row_norms_unchecked(resources const& res, const T* x, int64_t n, int64_t d, T* out, norm_kind kind)
{
  Backend::for_each_n(res, n, row_norm_op<T>{x, d, out, kind});
}

template <typename Backend, typename T>
void row_norms(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
               vector_view<T, typename Backend::memory_space> out, norm_kind kind)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_length("out", out, x.rows);
  row_norms_unchecked<Backend>(res, x.ptr, x.rows, x.cols, out.ptr, kind);
}

/// Distances of n rows of x to m rows of y into out (n×m), given the norms the metric needs
/// (needed_norm(metric); null for inner_product).
template <typename Backend, typename T>
void pairwise_distance_unchecked(resources const& res, const T* x, int64_t n, const T* y, int64_t m, int64_t d,
                                 const T* x_norms, const T* y_norms, distance_metric metric, T* out)
{
  Backend::gemm_nt(res, n, m, d, gemm_alpha<T>(metric), x, d, y, d, T(0), out, m);
  Backend::for_each_n(res, n, distance_epilogue_op<T>{out, m, x_norms, y_norms, metric});
}

template <typename Backend, typename T>
void pairwise_distance(resources const& res, matrix_view<const T, typename Backend::memory_space> x,
                       matrix_view<const T, typename Backend::memory_space> y,
                       matrix_view<T, typename Backend::memory_space> out, distance_metric metric)
{
  tamis::detail::check_matrix("x", x);
  tamis::detail::check_matrix("y", y);
  TAMIS_EXPECTS(x.cols == y.cols, "y: has %lld columns but x has %lld", static_cast<long long>(y.cols),
                static_cast<long long>(x.cols));
  tamis::detail::check_shape("out", out, x.rows, y.rows);
  tamis::detail::check_finite<Backend>(res, "x", x);
  tamis::detail::check_finite<Backend>(res, "y", y);

  auto x_norms = Backend::template allocate<T>(res, needs_norms(metric) ? x.rows : 0);
  auto y_norms = Backend::template allocate<T>(res, needs_norms(metric) ? y.rows : 0);
  if (needs_norms(metric)) {
    row_norms_unchecked<Backend>(res, x.ptr, x.rows, x.cols, x_norms.data(), needed_norm(metric));
    row_norms_unchecked<Backend>(res, y.ptr, y.rows, y.cols, y_norms.data(), needed_norm(metric));
  }
  pairwise_distance_unchecked<Backend>(res, x.ptr, x.rows, y.ptr, y.rows, x.cols, x_norms.data(), y_norms.data(),
                                       metric, out.ptr);
  Backend::sync(res);
}

}  // namespace tamis::linalg::detail

/// Defines the public overloads for one (T, Space) in a backend's translation unit.
#define TAMIS_LINALG_DEFINE(T, Space, Backend)                                                                  \
  void tamis::linalg::gemm_nt(resources const& res, matrix_view<const T, Space> a, matrix_view<const T, Space> b, \
                              matrix_view<T, Space> c, T alpha, T beta)                                         \
  {                                                                                                             \
    detail::gemm_nt<Backend, T>(res, a, b, c, alpha, beta);                                                     \
  }                                                                                                             \
  void tamis::linalg::row_norms(resources const& res, matrix_view<const T, Space> x, vector_view<T, Space> out,  \
                                norm_kind kind)                                                                 \
  {                                                                                                             \
    detail::row_norms<Backend, T>(res, x, out, kind);                                                           \
  }                                                                                                             \
  void tamis::linalg::pairwise_distance(resources const& res, matrix_view<const T, Space> x,                    \
                                        matrix_view<const T, Space> y, matrix_view<T, Space> out,               \
                                        distance_metric metric)                                                 \
  {                                                                                                             \
    detail::pairwise_distance<Backend, T>(res, x, y, out, metric);                                              \
  }
