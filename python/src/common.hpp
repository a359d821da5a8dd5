// Shared helpers of the pybind11 binding sources: zero-copy views over NumPy buffers.
//
// The Python layer (python/tamis/_arrays.py) validates every array before it gets here: C-contiguous,
// aligned, native float32/float64 (int64 for indices), 2-D. Array arguments are bound with
// .noconvert(), so pybind11 never makes a silent converted copy; an array that slips through the
// Python checks fails overload resolution (TypeError) instead of being copied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace py = pybind11;

namespace tamis_py {

template <typename T>
using carray = py::array_t<T, py::array::c_style>;

/// A read-only row-major view over a 2-D C-contiguous array (no copy).
template <typename T>
tamis::host_matrix_view<const T> matrix_in(carray<T> const& a, const char* name)
{
  if (a.ndim() != 2) {
    TAMIS_FAIL("%s: expected a 2-D array, got %d dimension(s)", name, static_cast<int>(a.ndim()));
  }
  return {a.data(), static_cast<int64_t>(a.shape(0)), static_cast<int64_t>(a.shape(1))};
}

/// A writable view over an output array this module allocated.
template <typename T>
tamis::host_matrix_view<T> matrix_out(carray<T>& a)
{
  return {a.mutable_data(), static_cast<int64_t>(a.shape(0)), static_cast<int64_t>(a.shape(1))};
}

/// A read-only view over a 1-D C-contiguous array (no copy).
template <typename T>
tamis::host_vector_view<const T> vector_in(carray<T> const& a, const char* name)
{
  if (a.ndim() != 1) TAMIS_FAIL("%s: expected a 1-D array, got %d dimension(s)", name, static_cast<int>(a.ndim()));
  return {a.data(), static_cast<int64_t>(a.shape(0))};
}

template <typename T>
tamis::host_vector_view<T> vector_out(carray<T>& a)
{
  return {a.mutable_data(), static_cast<int64_t>(a.shape(0))};
}

/// A fresh C-contiguous rows × cols output array.
template <typename T>
carray<T> new_matrix(int64_t rows, int64_t cols)
{
  return carray<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
}

/// A fresh output array of length n.
template <typename T>
carray<T> new_vector(int64_t n)
{
  return carray<T>(static_cast<py::ssize_t>(n));
}

/// A fresh length-n array, filled by fill(res, view) with the GIL released.
template <typename T, typename Fill>
carray<T> vector_result(int64_t n, Fill&& fill)
{
  auto out = new_vector<T>(n);
  auto view = vector_out(out);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    fill(res, view);
  }
  return out;
}

/// Rejects a negative output extent before NumPy is asked to allocate it.
inline void check_extent(const char* name, int64_t value)
{
  if (value < 0) TAMIS_FAIL("%s: must be >= 1, got %lld", name, static_cast<long long>(value));
}

/// (indices, values) of a budget-row batch: fill(res, out_indices, out_values) runs with the GIL released.
template <typename T, typename Fill>
py::tuple batch_result(int64_t budget, Fill&& fill)
{
  check_extent("budget", budget);
  auto out_idx = new_vector<int64_t>(budget);
  auto out_values = new_vector<T>(budget);
  auto oi = vector_out(out_idx);
  auto ov = vector_out(out_values);
  {
    py::gil_scoped_release nogil;
    tamis::resources res;
    fill(res, oi, ov);
  }
  return py::make_tuple(std::move(out_idx), std::move(out_values));
}

/// A writable view over the caller's 1-D state array, updated in place (bound with noconvert: never a copy).
template <typename T>
tamis::host_vector_view<T> vector_inout(carray<T>& a, const char* name)
{
  vector_in(a, name);
  return vector_out(a);  // mutable_data() rejects a read-only array
}

/// labeled: a uint8 mask of the rows (nonzero = labeled), or None when no row is.
inline tamis::host_vector_view<const uint8_t> mask_in(std::optional<carray<uint8_t>> const& labeled)
{
  return labeled ? vector_in(*labeled, "labeled") : tamis::host_vector_view<const uint8_t>{};
}

void init_neighbors(py::module_& m);
void init_cluster(py::module_& m);
void init_select(py::module_& m);
void init_outlier(py::module_& m);
void init_active(py::module_& m);
// Detector bindings, each adding its functions to the outlier submodule (called by init_outlier).
void bind_neighbors(py::module_& m);
void bind_ecod(py::module_& m);
void bind_hbos(py::module_& m);
void bind_iforest(py::module_& m);
void bind_pca(py::module_& m);
void bind_mahalanobis(py::module_& m);
void bind_ood_features(py::module_& m);
void bind_average_linkage(py::module_& m);  // in the cluster submodule (called by init_cluster)
// Strategy bindings, each adding its functions to the active submodule (called by init_active).
void bind_batchbald(py::module_& m);
void bind_cluster_margin(py::module_& m);
void bind_probcover(py::module_& m);
void bind_typiclust(py::module_& m);

}  // namespace tamis_py
