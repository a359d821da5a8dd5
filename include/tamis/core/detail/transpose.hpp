// Row-major transpose, written once over a backend: column-wise algorithms (ECDFs, histograms,
// covariances) want each feature as one contiguous run.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/transpose.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>

#include "tamis/core/macros.hpp"

namespace tamis::detail {

/// out (cols × rows) = inᵀ for a row-major in (rows × cols); one output element per call.
template <typename T>
struct transpose_op {
  const T* in;
  int64_t rows;
  int64_t cols;
  T* out;
  TAMIS_HD void operator()(int64_t e) const
  {
    int64_t j = e / rows, i = e - j * rows;  // consecutive e write consecutive outputs
    out[e] = in[i * cols + j];
  }
};

template <typename Backend, typename T>
void transpose(resources const& res, const T* in, int64_t rows, int64_t cols, T* out)
{
  Backend::for_each_n(res, rows * cols, transpose_op<T>{in, rows, cols, out});
}

}  // namespace tamis::detail
