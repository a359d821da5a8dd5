// CUDA backend: cuBLAS GEMM and Thrust/CUB primitives, all ordered on the handle's stream, with
// temporary memory from the handle's stream-ordered pool. Offers exactly the members of
// host_backend (host_backend.hpp), so every algorithm body compiles unchanged against it.
// Thrust's CUDA system is always named explicitly (thrust::cuda::par_nosync): never the default
// device system, whose meaning depends on per-TU macros (DESIGN §7).
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/cuda_backend.cuh is internal: include it only from tamis sources"
#endif
#if !defined(__CUDACC__)
#error "tamis/core/detail/cuda_backend.cuh needs nvcc"
#endif

#include <climits>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/scan.h>
#include <thrust/sort.h>
#include <thrust/system/cuda/execution_policy.h>
#include <thrust/system_error.h>

#include "tamis/core/cuda_resources.hpp"
#include "tamis/core/macros.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::detail {

/// Thrust's temporary storage, from the handle's pool and ordered on its stream, so algorithms
/// neither call cudaMalloc (which synchronises the device) nor wait for their frees.
class cuda_temporary_allocator {
 public:
  using value_type = char;

  explicit cuda_temporary_allocator(resources const& res)
    : ctx_(&get_cuda_context(res)), stream_(ctx_->stream)
  {
  }
  char* allocate(std::ptrdiff_t bytes)
  {
    return static_cast<char*>(device_allocate(*ctx_, static_cast<std::size_t>(bytes), stream_));
  }
  void deallocate(char* ptr, std::size_t) noexcept { device_deallocate(*ctx_, ptr, stream_); }
  cudaStream_t stream() const { return stream_; }

 private:
  cuda_context* ctx_;
  cudaStream_t stream_;
};

/// Runs a Thrust call, turning thrust::system_error into tamis::cuda_error with the call site.
#define TAMIS_THRUST_TRY(...)                                                                    \
  do {                                                                                           \
    try {                                                                                        \
      __VA_ARGS__;                                                                               \
    } catch (thrust::system_error const& tamis_thrust_error_) {                                  \
      (void)cudaGetLastError();                                                                  \
      TAMIS_THROW(::tamis::cuda_error, "Thrust/CUDA error in `%s`: %s", #__VA_ARGS__,            \
                  tamis_thrust_error_.what());                                                   \
    }                                                                                            \
  } while (0)

// Deterministic inclusive scan of floating-point data. CUB's scan combines tile prefixes in an
// order that depends on timing, so its float sums may differ between runs; tamis promises
// run-to-run identical results, so floating-point scans go through fixed blocks instead:
// block sums, one sequential pass over them, then each block rescanned from its offset.
inline constexpr int64_t cuda_scan_block = 1024;

template <typename T>
struct scan_block_sum_op {
  const T* in;
  int64_t n;
  T* partial;
  TAMIS_HD void operator()(int64_t b) const
  {
    int64_t end = (b + 1) * cuda_scan_block < n ? (b + 1) * cuda_scan_block : n;
    T acc = T(0);
    for (int64_t i = b * cuda_scan_block; i < end; ++i) acc += in[i];
    partial[b] = acc;
  }
};

/// Turns the block sums into exclusive offsets, sequentially (one thread; blocks = n / 1024).
template <typename T>
struct scan_block_offsets_op {
  T* partial;
  int64_t blocks;
  TAMIS_HD void operator()(int64_t) const
  {
    T acc = T(0);
    for (int64_t b = 0; b < blocks; ++b) {
      T v = partial[b];
      partial[b] = acc;
      acc += v;
    }
  }
};

/// Rescans block b from its offset. `in` may equal `out`: each element is read before it is written.
template <typename T>
struct scan_block_op {
  const T* in;
  T* out;
  int64_t n;
  const T* offsets;
  TAMIS_HD void operator()(int64_t b) const
  {
    int64_t end = (b + 1) * cuda_scan_block < n ? (b + 1) * cuda_scan_block : n;
    T acc = offsets[b];
    for (int64_t i = b * cuda_scan_block; i < end; ++i) {
      acc += in[i];
      out[i] = acc;
    }
  }
};

inline cublasStatus_t cublas_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                                  const float* alpha, const float* a, int lda, const float* b, int ldb,
                                  const float* beta, float* c, int ldc)
{
  return cublasSgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline cublasStatus_t cublas_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                                  const double* alpha, const double* a, int lda, const double* b, int ldb,
                                  const double* beta, double* c, int ldc)
{
  return cublasDgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

struct cuda_backend {
  using memory_space = device_memory;
  template <typename T>
  using buffer = ::tamis::device_buffer<T>;

  // Pairwise tiles: the top-k fold runs one thread per query row (rows split when few), so many
  // rows keep the GPU busy; the column count then follows from the workspace limit (1 GiB:
  // 32768 × 8192 floats).
  static constexpr int64_t tile_rows = int64_t{1} << 15;
  static constexpr int64_t tile_cols_cap = int64_t{1} << 16;
  // Rows per streamed batch when a caller leaves the choice to the backend (k-means passes).
  static constexpr int64_t stream_batch_rows = int64_t{1} << 18;
  // Elements per worker in sums and counts (core/detail/reductions.hpp): short serial chains.
  static constexpr int64_t reduction_block = 256;
  // Threads a top-k fold over few rows is split across (select/detail/fold_rows.hpp): on an H100
  // the kNN of 2,000 queries against 200,000 rows ran 4.4× faster so.
  static constexpr int64_t fold_threads = int64_t{1} << 18;
  // Distance tiles column-major where one thread folds each query row: a warp's 32 threads then
  // read 32 adjacent floats (select/detail/fold_rows.hpp deals few rows out, row-major, instead).
  static constexpr bool column_major_tiles = true;
  // Columns per thread in per-cluster sums: one, so a warp reads a row's adjacent columns at once.
  static constexpr int64_t sum_chunk_cols = 1;

  template <typename T>
  static buffer<T> allocate(resources const& res, int64_t n)
  {
    return buffer<T>(res, n);
  }

  /// C[n×m] = alpha · A[n×d] · B[m×d]ᵀ + beta · C, all row-major with leading dimensions.
  /// Row-major C is column-major Cᵀ (m×n, ld ldc) = B · Aᵀ, which cuBLAS computes directly.
  template <typename T>
  static void gemm_nt(resources const& res, int64_t n, int64_t m, int64_t d, T alpha, const T* a, int64_t lda,
                      const T* b, int64_t ldb, T beta, T* c, int64_t ldc)
  {
    if (n <= 0 || m <= 0) return;
    TAMIS_EXPECTS(m <= INT_MAX && d <= INT_MAX && lda <= INT_MAX && ldb <= INT_MAX && ldc <= INT_MAX,
                  "gemm: m = %lld, d = %lld or a leading dimension (%lld, %lld, %lld) overflows cuBLAS's int",
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(lda),
                  static_cast<long long>(ldb), static_cast<long long>(ldc));
    cublasHandle_t handle = resource::get_cublas_handle(res);
    // Rows of A and C are independent: more than INT_MAX of them go in slices.
    for (int64_t r0 = 0; r0 < n; r0 += INT_MAX) {
      int rows = static_cast<int>(n - r0 < INT_MAX ? n - r0 : INT_MAX);
      TAMIS_CUBLAS_TRY(cublas_gemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(m), rows, static_cast<int>(d),
                                   &alpha, b, static_cast<int>(ldb), a + r0 * lda, static_cast<int>(lda), &beta,
                                   c + r0 * ldc, static_cast<int>(ldc)));
    }
  }

  /// Calls f(i) for i in [0, n) on the device; f is a TAMIS_HD functor holding device pointers.
  template <typename F>
  static void for_each_n(resources const& res, int64_t n, F f)
  {
    if (n <= 0) return;
    cudaStream_t stream = resource::get_cuda_stream(res);
    TAMIS_THRUST_TRY(thrust::for_each_n(thrust::cuda::par_nosync.on(stream), thrust::counting_iterator<int64_t>(0),
                                        n, f));
  }

  /// Device-to-device copy, ordered on the stream (no host wait).
  template <typename T>
  static void copy(resources const& res, T* dst, const T* src, int64_t n)
  {
    if (n <= 0) return;
    TAMIS_CUDA_TRY(cudaMemcpyAsync(dst, src, static_cast<std::size_t>(n) * sizeof(T), cudaMemcpyDeviceToDevice,
                                   resource::get_cuda_stream(res)));
  }
  /// Device-to-host copy after all queued work; the data is on the host when this returns.
  template <typename T>
  static void to_host(resources const& res, T* host_dst, const T* src, int64_t n)
  {
    if (n <= 0) return;
    copy_bytes_sync(res, host_dst, src, static_cast<std::size_t>(n) * sizeof(T), cudaMemcpyDeviceToHost);
  }
  /// Host-to-device copy; complete on return, so the host source may change right after.
  template <typename T>
  static void from_host(resources const& res, T* dst, const T* host_src, int64_t n)
  {
    if (n <= 0) return;
    copy_bytes_sync(res, dst, host_src, static_cast<std::size_t>(n) * sizeof(T), cudaMemcpyHostToDevice);
  }

  /// Sorts `keys` ascending, permuting `values` alike; equal keys keep their order.
  template <typename K, typename V>
  static void stable_sort_by_key(resources const& res, K* keys, V* values, int64_t n)
  {
    if (n <= 1) return;
    cuda_temporary_allocator alloc(res);
    TAMIS_THRUST_TRY(
      thrust::stable_sort_by_key(thrust::cuda::par_nosync(alloc).on(alloc.stream()), keys, keys + n, values));
  }

  /// Inclusive prefix sum (in == out allowed). Run-to-run deterministic: integers through CUB
  /// (exact), floating point through fixed blocks (see scan_block_op).
  struct run_id_op {
    int64_t* out;
    int64_t length;
    __device__ void operator()(int64_t i) const { out[i] = i / length; }
  };

  /// Sorts each of `segments` contiguous runs of `length` keys ascending, in place: one global
  /// stable sort by key carrying the run ids, then a stable sort by run id (two radix sorts).
  template <typename T>
  static void sort_segments(resources const& res, T* keys, int64_t segments, int64_t length)
  {
    const int64_t n = segments * length;
    if (length <= 1) return;
    auto run = allocate<int64_t>(res, n);
    int64_t* run_ptr = run.data();
    for_each_n(res, n, run_id_op{run_ptr, length});
    stable_sort_by_key(res, keys, run_ptr, n);
    if (segments > 1) stable_sort_by_key(res, run_ptr, keys, n);
  }

  /// keys[k] becomes the k-th smallest of keys[0, n), none before it larger and none after it
  /// smaller: here by a full radix sort (the composed fallback; a selection kernel when measured).
  template <typename T>
  static void nth_element(resources const& res, T* keys, int64_t n, int64_t /*k*/)
  {
    sort_segments(res, keys, int64_t{1}, n);
  }

  template <typename T>
  static void inclusive_scan(resources const& res, const T* in, T* out, int64_t n)
  {
    if (n <= 0) return;
    if constexpr (std::is_floating_point_v<T>) {
      const int64_t blocks = (n + cuda_scan_block - 1) / cuda_scan_block;
      auto partial = allocate<T>(res, blocks);
      for_each_n(res, blocks, scan_block_sum_op<T>{in, n, partial.data()});
      for_each_n(res, 1, scan_block_offsets_op<T>{partial.data(), blocks});
      for_each_n(res, blocks, scan_block_op<T>{in, out, n, partial.data()});
    } else {
      cuda_temporary_allocator alloc(res);
      TAMIS_THRUST_TRY(thrust::inclusive_scan(thrust::cuda::par_nosync(alloc).on(alloc.stream()), in, in + n, out));
    }
  }

  /// Waits for the stream; reports any failure of the queued work.
  static void sync(resources const& res) { TAMIS_CUDA_TRY(cudaStreamSynchronize(resource::get_cuda_stream(res))); }
};

}  // namespace tamis::detail
