// Dense linear-algebra building blocks: GEMM, row norms, pairwise distance tiles.
// Host overloads always exist; device overloads exist in CUDA builds (TAMIS_HAS_CUDA).
#pragma once
#define TAMIS_LINALG_HPP_INCLUDED

#include "tamis/core/config.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"
#include "tamis/linalg/distance_types.hpp"

namespace tamis::linalg {

enum class norm_kind {
  squared_l2,   ///< Σ x²
  l2,           ///< √Σ x²
  inverse_l2,   ///< 1/‖x‖, and 0 for a zero row (what cosine uses)
};

#define TAMIS_LINALG_DECLARE(T, Space)                                                                   \
  /** c = alpha · a · bᵀ + beta · c, with a: n×d, b: m×d, c: n×m. */                                     \
  void gemm_nt(resources const& res, matrix_view<const T, Space> a, matrix_view<const T, Space> b,        \
               matrix_view<T, Space> c, T alpha = T(1), T beta = T(0));                                  \
  /** out[i] = the chosen norm of row i of x. */                                                          \
  void row_norms(resources const& res, matrix_view<const T, Space> x, vector_view<T, Space> out,          \
                 norm_kind kind);                                                                         \
  /** out[i][j] = metric(x_i, y_j) for a caller-owned n×m tile (inner_product is the similarity x·y). */ \
  void pairwise_distance(resources const& res, matrix_view<const T, Space> x, matrix_view<const T, Space> y, \
                         matrix_view<T, Space> out, distance_metric metric);

TAMIS_LINALG_DECLARE(float, host_memory)
TAMIS_LINALG_DECLARE(double, host_memory)
#if TAMIS_HAS_CUDA
TAMIS_LINALG_DECLARE(float, device_memory)
TAMIS_LINALG_DECLARE(double, device_memory)
#endif
#undef TAMIS_LINALG_DECLARE

}  // namespace tamis::linalg
