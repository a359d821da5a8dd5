// Owning host buffers for convenience; algorithms only ever see views.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis {

/// An owning, row-major host matrix. Elements are value-initialised.
template <typename T>
class host_matrix {
 public:
  host_matrix() = default;
  host_matrix(int64_t rows, int64_t cols) : rows_(rows), cols_(cols)
  {
    TAMIS_EXPECTS(rows >= 0 && cols >= 0, "matrix extents must be non-negative (%lld x %lld)",
                  static_cast<long long>(rows), static_cast<long long>(cols));
    data_.resize(static_cast<size_t>(rows) * static_cast<size_t>(cols));
  }
  host_matrix_view<T> view() { return {data_.data(), rows_, cols_}; }
  host_matrix_view<const T> view() const { return {data_.data(), rows_, cols_}; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  T& operator()(int64_t r, int64_t c) { return data_[r * cols_ + c]; }
  const T& operator()(int64_t r, int64_t c) const { return data_[r * cols_ + c]; }

 private:
  std::vector<T> data_;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
};

/// An owning host vector.
template <typename T>
class host_vector {
 public:
  host_vector() = default;
  explicit host_vector(int64_t n) : data_(static_cast<size_t>(n)) {}
  host_vector_view<T> view() { return {data_.data(), size()}; }
  host_vector_view<const T> view() const { return {data_.data(), size()}; }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  int64_t size() const { return static_cast<int64_t>(data_.size()); }
  T& operator()(int64_t i) { return data_[i]; }
  const T& operator()(int64_t i) const { return data_[i]; }

 private:
  std::vector<T> data_;
};

template <typename T>
host_matrix<T> make_host_matrix(resources const&, int64_t rows, int64_t cols)
{
  return host_matrix<T>(rows, cols);
}
template <typename T>
host_vector<T> make_host_vector(resources const&, int64_t n)
{
  TAMIS_EXPECTS(n >= 0, "vector length must be non-negative (%lld)", static_cast<long long>(n));
  return host_vector<T>(n);
}

}  // namespace tamis
