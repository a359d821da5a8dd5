// Argument checks shared by every public entry point: each names the offending argument.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/validate.hpp is internal: include it only from tamis sources"
#endif

#include <cstdint>
#include <limits>

#include "tamis/core/detail/reductions.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/views.hpp"

namespace tamis::detail {

// GEMM libraries index with 32-bit ints, so one feature dimension must fit in one.
inline constexpr int64_t max_features = std::numeric_limits<int32_t>::max();

/// A non-empty matrix with 1 ≤ cols ≤ 2³¹−1 and a data pointer.
template <typename View>
void check_matrix(const char* name, View x)
{
  TAMIS_EXPECTS(x.rows >= 1, "%s: needs at least one row (got %lld)", name, static_cast<long long>(x.rows));
  TAMIS_EXPECTS(x.cols >= 1, "%s: needs at least one feature column (got %lld)", name,
                static_cast<long long>(x.cols));
  TAMIS_EXPECTS(x.cols <= max_features, "%s: %lld features overflow the 32-bit GEMM dimension", name,
                static_cast<long long>(x.cols));
  TAMIS_EXPECTS(x.rows <= std::numeric_limits<int64_t>::max() / x.cols, "%s: %lld x %lld elements overflow int64",
                name, static_cast<long long>(x.rows), static_cast<long long>(x.cols));
  TAMIS_EXPECTS(x.ptr != nullptr, "%s: data pointer is null", name);
}

template <typename View>
void check_shape(const char* name, View x, int64_t rows, int64_t cols)
{
  TAMIS_EXPECTS(x.rows == rows && x.cols == cols, "%s: expected shape (%lld, %lld), got (%lld, %lld)", name,
                static_cast<long long>(rows), static_cast<long long>(cols), static_cast<long long>(x.rows),
                static_cast<long long>(x.cols));
  TAMIS_EXPECTS(x.ptr != nullptr || rows * cols == 0, "%s: data pointer is null", name);
}

template <typename View>
void check_length(const char* name, View x, int64_t n)
{
  TAMIS_EXPECTS(x.length == n, "%s: expected length %lld, got %lld", name, static_cast<long long>(n),
                static_cast<long long>(x.length));
  TAMIS_EXPECTS(x.ptr != nullptr || n == 0, "%s: data pointer is null", name);
}

/// Rejects NaN and ±Inf (the library-wide policy unless a function documents otherwise).
template <typename Backend, typename View>
void check_finite(resources const& res, const char* name, View x)
{
  int64_t bad = count_nonfinite<Backend>(res, x.ptr, x.size());
  TAMIS_EXPECTS(bad == 0, "%s: contains %lld NaN or infinite values", name, static_cast<long long>(bad));
}

}  // namespace tamis::detail
