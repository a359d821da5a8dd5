// The handle's CUDA context, the checking macros, device buffers and copies, and the CUDA
// backend's GEMM (through linalg) against the host overloads. Device tests skip without a GPU;
// the macro tests and the "no device" test run everywhere.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/core/cuda_resources.hpp"
#include "tamis/linalg/linalg.hpp"

namespace {

using tamis::distance_metric;
using tamis::resources;
using tamis::test::download;
using tamis::test::expect_near_host;
using tamis::test::upload;

bool contains(std::string const& s, const char* part) { return s.find(part) != std::string::npos; }

// ---- macros: no device needed ------------------------------------------------------------------

TEST(CudaErrors, CudaTryThrowsCudaErrorWithLocationCallAndName)
{
  try {
    TAMIS_CUDA_TRY(cudaErrorInvalidValue);
    FAIL() << "no throw";
  } catch (tamis::cuda_error const& e) {
    std::string what = e.what();
    EXPECT_TRUE(contains(what, "cuda_resources_gpu_test.cpp:")) << what;
    EXPECT_TRUE(contains(what, "cudaErrorInvalidValue")) << what;
    EXPECT_TRUE(contains(what, "`cudaErrorInvalidValue`")) << what;
  }
  EXPECT_NO_THROW(TAMIS_CUDA_TRY(cudaSuccess));
}

TEST(CudaErrors, CublasTryThrowsCublasErrorWhichIsACudaError)
{
  try {
    TAMIS_CUBLAS_TRY(CUBLAS_STATUS_INVALID_VALUE);
    FAIL() << "no throw";
  } catch (tamis::cublas_error const& e) {
    std::string what = e.what();
    EXPECT_TRUE(contains(what, "cuda_resources_gpu_test.cpp:")) << what;
    EXPECT_TRUE(contains(what, "CUBLAS_STATUS_INVALID_VALUE")) << what;
  }
  EXPECT_THROW(TAMIS_CUBLAS_TRY(CUBLAS_STATUS_ALLOC_FAILED), tamis::cuda_error);
  EXPECT_NO_THROW(TAMIS_CUBLAS_TRY(CUBLAS_STATUS_SUCCESS));
}

TEST(CudaErrors, NoThrowVariantsOnlyReport)
{
  EXPECT_NO_THROW(TAMIS_CUDA_TRY_NO_THROW(cudaErrorInvalidValue));
  EXPECT_NO_THROW(TAMIS_CUBLAS_TRY_NO_THROW(CUBLAS_STATUS_INVALID_VALUE));
}

TEST(CudaResources, DeviceAvailabilityNeverThrows) { EXPECT_NO_THROW((void)tamis::cuda_device_available()); }

TEST(CudaResources, DeviceUseWithoutDeviceThrowsCudaError)
{
  if (tamis::cuda_device_available()) GTEST_SKIP() << "a CUDA device is present";
  resources res;
  EXPECT_THROW(tamis::resource::get_cuda_stream(res), tamis::cuda_error);
  EXPECT_THROW(tamis::make_device_vector<float>(res, 4), tamis::cuda_error);  // and again: nothing half-made
  std::vector<float> x(6, 1.0f), out(4);
  EXPECT_THROW(tamis::linalg::gemm_nt(res, tamis::make_device_matrix_view<const float>(x.data(), 2, 3),
                                      tamis::make_device_matrix_view<const float>(x.data(), 2, 3),
                                      tamis::make_device_matrix_view(out.data(), 2, 2)),
               tamis::cuda_error);
  // The host path of the same handle is unaffected.
  tamis::linalg::gemm_nt(res, tamis::make_host_matrix_view<const float>(x.data(), 2, 3),
                         tamis::make_host_matrix_view<const float>(x.data(), 2, 3),
                         tamis::make_host_matrix_view(out.data(), 2, 2));
  EXPECT_EQ(out, std::vector<float>(4, 3.0f));
}

// ---- context ----------------------------------------------------------------------------------

TEST(CudaResources, ContextIsCreatedOnceWithStreamAndCublas)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  cudaStream_t stream = tamis::resource::get_cuda_stream(res);
  EXPECT_NE(stream, nullptr);  // the handle's own non-blocking stream, not the legacy default
  unsigned flags = 0;
  ASSERT_EQ(cudaStreamGetFlags(stream, &flags), cudaSuccess);
  EXPECT_EQ(flags & cudaStreamNonBlocking, static_cast<unsigned>(cudaStreamNonBlocking));
  EXPECT_EQ(tamis::resource::get_cuda_stream(res), stream);
  cublasHandle_t h = tamis::resource::get_cublas_handle(res);
  ASSERT_NE(h, nullptr);
  cudaStream_t bound = nullptr;
  ASSERT_EQ(cublasGetStream(h, &bound), CUBLAS_STATUS_SUCCESS);
  EXPECT_EQ(bound, stream);
  int current = -1;
  ASSERT_EQ(cudaGetDevice(&current), cudaSuccess);
  EXPECT_EQ(tamis::resource::get_device_id(res), current);
  EXPECT_NO_THROW(tamis::resource::sync_stream(res));

  resources other;  // every handle has its own stream
  EXPECT_NE(tamis::resource::get_cuda_stream(other), stream);
}

TEST(CudaResources, SetCudaStreamRebindsCublasAndCopies)
{
  TAMIS_REQUIRE_GPU();
  cudaStream_t user = nullptr;
  ASSERT_EQ(cudaStreamCreateWithFlags(&user, cudaStreamNonBlocking), cudaSuccess);
  {
    resources res;
    tamis::resource::set_cuda_stream(res, user);
    EXPECT_EQ(tamis::resource::get_cuda_stream(res), user);
    cudaStream_t bound = nullptr;
    ASSERT_EQ(cublasGetStream(tamis::resource::get_cublas_handle(res), &bound), CUBLAS_STATUS_SUCCESS);
    EXPECT_EQ(bound, user);
    auto v = tamis::make_device_vector<int64_t>(res, 5);
    EXPECT_EQ(v.view().length, 5);
    std::vector<int64_t> h{1, 2, 3, 4, 5}, back(5);
    tamis::copy_to_device(res, v.view(), h.data());
    tamis::copy_to_host(res, back.data(), v.view());
    EXPECT_EQ(back, h);
  }
  EXPECT_EQ(cudaStreamDestroy(user), cudaSuccess);
}

// ---- buffers ----------------------------------------------------------------------------------

TEST(DeviceBuffers, MatrixAndVectorRoundTrip)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  auto m = tamis::make_device_matrix<double>(res, 7, 3);
  EXPECT_EQ(m.rows(), 7);
  EXPECT_EQ(m.cols(), 3);
  EXPECT_EQ(m.size(), 21);
  static_assert(std::is_same_v<decltype(m.view()), tamis::device_matrix_view<double>>);
  static_assert(std::is_same_v<decltype(std::as_const(m).view()), tamis::device_matrix_view<const double>>);
  auto h = tamis::test::random_matrix<double>(7, 3, 11);
  std::vector<double> back(21);
  tamis::copy_to_device(res, m.view(), h.data());
  tamis::copy_to_host(res, back.data(), std::as_const(m).view());
  EXPECT_EQ(back, h);

  auto v = tamis::make_device_vector<float>(res, 4);
  std::vector<float> hv{1.5f, -2.0f, 0.0f, 8.0f}, bv(4);
  tamis::copy_to_device(res, v.view(), hv.data());
  tamis::copy_to_host(res, bv.data(), v.view());
  EXPECT_EQ(bv, hv);
}

TEST(DeviceBuffers, EmptyMoveAndValidation)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  auto empty = tamis::make_device_matrix<float>(res, 0, 5);
  EXPECT_EQ(empty.data(), nullptr);
  EXPECT_NO_THROW(tamis::copy_to_host(res, static_cast<float*>(nullptr), empty.view()));

  tamis::device_buffer<int> a(res, 10);
  int* p = a.data();
  EXPECT_NE(p, nullptr);
  tamis::device_buffer<int> b(std::move(a));
  EXPECT_EQ(b.data(), p);
  EXPECT_EQ(b.size(), 10);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  a = std::move(b);
  EXPECT_EQ(a.data(), p);
  a.release();
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(a.size(), 0);

  EXPECT_THROW(tamis::make_device_matrix<float>(res, -1, 3), tamis::logic_error);
  EXPECT_THROW(tamis::make_device_vector<float>(res, -2), tamis::logic_error);
}

TEST(DeviceBuffers, BufferOutlivesItsHandle)
{
  TAMIS_REQUIRE_GPU();
  tamis::device_vector<int> v;
  std::vector<int> h{4, 5, 6};
  {
    resources res;
    v = tamis::make_device_vector<int>(res, 3);
    tamis::copy_to_device(res, v.view(), h.data());
  }
  resources other;
  std::vector<int> back(3);
  tamis::copy_to_host(other, back.data(), v.view());
  EXPECT_EQ(back, h);
  v = {};  // frees on the first handle's (still alive) stream
}

TEST(DeviceBuffers, OutOfMemoryIsACudaError)
{
  TAMIS_REQUIRE_GPU();
  resources res;
  EXPECT_THROW(tamis::make_device_vector<double>(res, int64_t{1} << 50), tamis::cuda_error);
  // The failure leaves nothing behind: the handle keeps working.
  auto v = tamis::make_device_vector<double>(res, 8);
  EXPECT_NO_THROW(tamis::resource::sync_stream(res));
}

// ---- the CUDA backend through linalg ------------------------------------------------------------

template <typename T>
class CudaLinalg : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaLinalg, Types);

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 1e-4 : 1e-10;
}

TYPED_TEST(CudaLinalg, GemmNtMatchesHostWithAlphaBeta)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 37, m = 53, d = 19;  // non-square, so a wrong transpose cannot pass
  auto a = tamis::test::random_matrix<T>(n, d, 1);
  auto b = tamis::test::random_matrix<T>(m, d, 2);
  auto c = tamis::test::random_matrix<T>(n, m, 3);
  auto da = upload(res, a, n, d);
  auto db = upload(res, b, m, d);
  auto dc = upload(res, c, n, m);
  tamis::linalg::gemm_nt(res, std::as_const(da).view(), std::as_const(db).view(), dc.view(), T(0.5), T(2));
  tamis::linalg::gemm_nt(res, tamis::make_host_matrix_view<const T>(a.data(), n, d),
                         tamis::make_host_matrix_view<const T>(b.data(), m, d),
                         tamis::make_host_matrix_view(c.data(), n, m), T(0.5), T(2));
  expect_near_host(download(res, dc), c, tolerance<T>());
}

TYPED_TEST(CudaLinalg, RowNormsAndPairwiseDistanceMatchHost)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  const int64_t n = 29, m = 41, d = 7;
  auto x = tamis::test::random_matrix<T>(n, d, 4);
  auto y = tamis::test::random_matrix<T>(m, d, 5);
  for (int64_t j = 0; j < d; ++j) y[3 * d + j] = 0;  // a zero row
  auto dx = upload(res, x, n, d);
  auto dy = upload(res, y, m, d);

  for (auto kind : {tamis::linalg::norm_kind::squared_l2, tamis::linalg::norm_kind::l2,
                    tamis::linalg::norm_kind::inverse_l2}) {
    auto dn = tamis::make_device_vector<T>(res, m);
    tamis::linalg::row_norms(res, std::as_const(dy).view(), dn.view(), kind);
    std::vector<T> want(static_cast<size_t>(m));
    tamis::linalg::row_norms(res, tamis::make_host_matrix_view<const T>(y.data(), m, d),
                             tamis::make_host_vector_view(want.data(), m), kind);
    expect_near_host(download(res, dn), want, tolerance<T>());
  }

  for (auto metric : {distance_metric::sqeuclidean, distance_metric::euclidean, distance_metric::inner_product,
                      distance_metric::cosine}) {
    auto dout = tamis::make_device_matrix<T>(res, n, m);
    tamis::linalg::pairwise_distance(res, std::as_const(dx).view(), std::as_const(dy).view(), dout.view(), metric);
    std::vector<T> want(static_cast<size_t>(n * m));
    tamis::linalg::pairwise_distance(res, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                                     tamis::make_host_matrix_view<const T>(y.data(), m, d),
                                     tamis::make_host_matrix_view(want.data(), n, m), metric);
    expect_near_host(download(res, dout), want, tolerance<T>(), std::string(tamis::to_string(metric)) + " at ");
  }
}

TYPED_TEST(CudaLinalg, NonFiniteDeviceInputIsRejected)
{
  TAMIS_REQUIRE_GPU();
  using T = TypeParam;
  resources res;
  std::vector<T> x(12, T(1));
  x[5] = std::numeric_limits<T>::quiet_NaN();
  auto dx = upload(res, x, 4, 3);
  auto dout = tamis::make_device_matrix<T>(res, 4, 4);
  EXPECT_THROW(tamis::linalg::pairwise_distance(res, std::as_const(dx).view(), std::as_const(dx).view(), dout.view(),
                                                distance_metric::sqeuclidean),
               tamis::logic_error);
}

}  // namespace
