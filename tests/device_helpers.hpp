// Scaffolding shared by the *_gpu_test.cpp suites: skipping where no CUDA device is visible,
// host <-> device copies of test data, and the element-wise device-against-host comparison.
#ifndef TAMIS_TESTS_DEVICE_HELPERS_HPP
#define TAMIS_TESTS_DEVICE_HELPERS_HPP

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tamis/core/cuda_resources.hpp"

/// First statement of a device test: skips it where no CUDA device is visible.
#define TAMIS_REQUIRE_GPU()                \
  do {                                     \
    if (!tamis::cuda_device_available()) { \
      GTEST_SKIP() << "no CUDA device";    \
    }                                      \
  } while (0)

namespace tamis::test {

/// A device copy of the row-major host matrix `h` (rows x cols).
template <typename T>
tamis::device_matrix<T> upload(resources const& res, std::vector<T> const& h, int64_t rows, int64_t cols)
{
  auto m = tamis::make_device_matrix<T>(res, rows, cols);
  tamis::copy_to_device(res, m.view(), h.data());
  return m;
}

/// A host copy of a device matrix or vector.
template <typename T>
std::vector<T> download(resources const& res, tamis::device_matrix<T> const& m)
{
  std::vector<T> h(static_cast<size_t>(m.size()));
  tamis::copy_to_host(res, h.data(), m.view());
  return h;
}
template <typename T>
std::vector<T> download(resources const& res, tamis::device_vector<T> const& v)
{
  std::vector<T> h(static_cast<size_t>(v.size()));
  tamis::copy_to_host(res, h.data(), v.view());
  return h;
}

/// EXPECT_NEAR(got[i], want[i], tol * (1 + |want[i]|)) for every i of `got`; a failure names `what` and i.
template <typename G, typename W>
void expect_near_host(std::vector<G> const& got, std::vector<W> const& want, double tol, std::string const& what = "")
{
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol * (1 + std::abs(want[i]))) << what << i;
}

}  // namespace tamis::test

#endif  // TAMIS_TESTS_DEVICE_HELPERS_HPP
