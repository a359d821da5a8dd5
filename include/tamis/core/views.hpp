// Non-owning, row-major matrix and vector views with int64 extents.
// The memory-space tag in the type picks the backend at compile time.
#pragma once

#include <cstdint>
#include <type_traits>

#include "tamis/core/macros.hpp"

namespace tamis {

struct host_memory {};
struct device_memory {};

/// A contiguous row-major `rows × cols` matrix living in `Space`.
template <typename T, typename Space>
struct matrix_view {
  using value_type = T;
  using memory_space = Space;

  T* ptr = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;

  constexpr matrix_view() = default;
  constexpr matrix_view(T* data, int64_t n_rows, int64_t n_cols) : ptr(data), rows(n_rows), cols(n_cols) {}
  /// Views of T convert to views of const T.
  template <typename U, typename = std::enable_if_t<std::is_same_v<const U, T> && !std::is_same_v<U, T>>>
  constexpr matrix_view(matrix_view<U, Space> other) : ptr(other.ptr), rows(other.rows), cols(other.cols)
  {
  }

  TAMIS_HD constexpr T* data() const { return ptr; }
  TAMIS_HD constexpr int64_t extent(int dim) const { return dim == 0 ? rows : cols; }
  TAMIS_HD constexpr int64_t size() const { return rows * cols; }
  TAMIS_HD constexpr T& operator()(int64_t r, int64_t c) const { return ptr[r * cols + c]; }
  /// Rows [first, first + count) as a view of the same kind.
  constexpr matrix_view row_slice(int64_t first, int64_t count) const
  {
    return matrix_view(ptr + first * cols, count, cols);
  }
};

/// A contiguous vector living in `Space`.
template <typename T, typename Space>
struct vector_view {
  using value_type = T;
  using memory_space = Space;

  T* ptr = nullptr;
  int64_t length = 0;

  constexpr vector_view() = default;
  constexpr vector_view(T* data, int64_t n) : ptr(data), length(n) {}
  template <typename U, typename = std::enable_if_t<std::is_same_v<const U, T> && !std::is_same_v<U, T>>>
  constexpr vector_view(vector_view<U, Space> other) : ptr(other.ptr), length(other.length)
  {
  }

  TAMIS_HD constexpr T* data() const { return ptr; }
  TAMIS_HD constexpr int64_t extent(int) const { return length; }
  TAMIS_HD constexpr int64_t size() const { return length; }
  TAMIS_HD constexpr T& operator()(int64_t i) const { return ptr[i]; }
};

template <typename T>
using host_matrix_view = matrix_view<T, host_memory>;
template <typename T>
using device_matrix_view = matrix_view<T, device_memory>;
template <typename T>
using host_vector_view = vector_view<T, host_memory>;
template <typename T>
using device_vector_view = vector_view<T, device_memory>;

template <typename T>
constexpr host_matrix_view<T> make_host_matrix_view(T* ptr, int64_t rows, int64_t cols)
{
  return {ptr, rows, cols};
}
template <typename T>
constexpr device_matrix_view<T> make_device_matrix_view(T* ptr, int64_t rows, int64_t cols)
{
  return {ptr, rows, cols};
}
template <typename T>
constexpr host_vector_view<T> make_host_vector_view(T* ptr, int64_t n)
{
  return {ptr, n};
}
template <typename T>
constexpr device_vector_view<T> make_device_vector_view(T* ptr, int64_t n)
{
  return {ptr, n};
}

}  // namespace tamis
