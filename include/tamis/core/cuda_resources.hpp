// CUDA side of the handle: the device, stream, cuBLAS handle and memory pool a `tamis::resources`
// creates on first device use; the CUDA/cuBLAS checking macros; owning device buffers and the
// host <-> device copy helpers. Plain C++: compiles with a host compiler given the CUDA include
// directory (tamis::tamis provides it in CUDA builds).
//
// Threading: one handle may be used from several host threads (context creation is locked), but
// all work of a handle is ordered on its one stream, and set_cuda_stream must not race with work
// on the same handle. The handle binds to the device that is current when it is first used on the
// device; call it from threads whose current device is that one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "tamis/core/config.hpp"
#include "tamis/core/error.hpp"
#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

#if !TAMIS_HAS_CUDA
#error "tamis/core/cuda_resources.hpp needs a CUDA build of tamis (TAMIS_HAS_CUDA is 0)"
#endif

// ---- error checking ---------------------------------------------------------------------------------

namespace tamis::detail {

/// Throws tamis::cuda_error for a failed runtime call: "file:line: CUDA error cudaErrorX (text) in `call`".
[[noreturn]] inline void throw_cuda_error(cudaError_t err, const char* call, const char* file, int line)
{
  // Clear the (non-sticky) error so that a later launch check does not report it a second time.
  (void)cudaGetLastError();
  throw ::tamis::cuda_error(::tamis::detail::format_message(file, line, "CUDA error %s (%s) in `%s`",
                                                            cudaGetErrorName(err), cudaGetErrorString(err), call));
}

/// Throws tamis::cublas_error for a failed cuBLAS call.
[[noreturn]] inline void throw_cublas_error(cublasStatus_t status, const char* call, const char* file, int line)
{
  throw ::tamis::cublas_error(::tamis::detail::format_message(
    file, line, "cuBLAS error %s (%s) in `%s`", cublasGetStatusName(status), cublasGetStatusString(status), call));
}

/// Reports a failed call on stderr without throwing (destructors). Silent while the CUDA runtime
/// is unloading at process exit, where every call fails and nothing is lost.
inline void report_cuda_error(cudaError_t err, const char* call, const char* file, int line) noexcept
{
  if (err == cudaErrorCudartUnloading) return;
  (void)cudaGetLastError();
  std::fprintf(stderr, "%s:%d: tamis: CUDA error %s (%s) in `%s` (ignored)\n", file, line, cudaGetErrorName(err),
               cudaGetErrorString(err), call);
}
inline void report_cublas_error(cublasStatus_t status, const char* call, const char* file, int line) noexcept
{
  std::fprintf(stderr, "%s:%d: tamis: cuBLAS error %s (%s) in `%s` (ignored)\n", file, line,
               cublasGetStatusName(status), cublasGetStatusString(status), call);
}

}  // namespace tamis::detail

/// Evaluates a CUDA runtime call and throws tamis::cuda_error unless it returns cudaSuccess.
#define TAMIS_CUDA_TRY(call)                                                            \
  do {                                                                                  \
    cudaError_t const tamis_cuda_status_ = (call);                                      \
    if (tamis_cuda_status_ != cudaSuccess) {                                            \
      ::tamis::detail::throw_cuda_error(tamis_cuda_status_, #call, __FILE__, __LINE__); \
    }                                                                                   \
  } while (0)

/// Evaluates a CUDA runtime call and reports a failure on stderr (for destructors and cleanup).
#define TAMIS_CUDA_TRY_NO_THROW(call)                                                    \
  do {                                                                                   \
    cudaError_t const tamis_cuda_status_ = (call);                                       \
    if (tamis_cuda_status_ != cudaSuccess) {                                             \
      ::tamis::detail::report_cuda_error(tamis_cuda_status_, #call, __FILE__, __LINE__); \
    }                                                                                    \
  } while (0)

/// Evaluates a cuBLAS call and throws tamis::cublas_error unless it returns CUBLAS_STATUS_SUCCESS.
#define TAMIS_CUBLAS_TRY(call)                                                              \
  do {                                                                                      \
    cublasStatus_t const tamis_cublas_status_ = (call);                                     \
    if (tamis_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                    \
      ::tamis::detail::throw_cublas_error(tamis_cublas_status_, #call, __FILE__, __LINE__); \
    }                                                                                       \
  } while (0)

/// Evaluates a cuBLAS call and reports a failure on stderr.
#define TAMIS_CUBLAS_TRY_NO_THROW(call)                                                      \
  do {                                                                                       \
    cublasStatus_t const tamis_cublas_status_ = (call);                                      \
    if (tamis_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                     \
      ::tamis::detail::report_cublas_error(tamis_cublas_status_, #call, __FILE__, __LINE__); \
    }                                                                                        \
  } while (0)

// ---- the handle's CUDA context ------------------------------------------------------------------

namespace tamis {

/// True when the CUDA runtime sees at least one device. Never throws; false without a driver.
bool cuda_device_available() noexcept;

namespace detail {

/// What a handle holds on the device. Created on first device use by get_cuda_context().
struct cuda_context {
  int device = -1;                      ///< the device current when the context was created
  cudaStream_t stream = nullptr;        ///< the stream all work of the handle is ordered on
  cublasHandle_t cublas = nullptr;      ///< bound to `stream`
  cudaStream_t owned_stream = nullptr;  ///< the non-blocking stream the context created (and destroys)
  cudaMemPool_t pool = nullptr;         ///< stream-ordered pool; null where the device has none (cudaMalloc then)

  /// The current device, a fresh non-blocking stream, a cuBLAS handle on it and a memory pool that
  /// keeps up to `pool_release_threshold` bytes reserved between calls. Throws tamis::cuda_error
  /// (e.g. without a device) and tamis::cublas_error.
  explicit cuda_context(std::size_t pool_release_threshold);
  ~cuda_context();
  cuda_context(cuda_context const&) = delete;
  cuda_context& operator=(cuda_context const&) = delete;

 private:
  void release() noexcept;
};

/// The handle's context, created on first call (thread-safe). Throws tamis::cuda_error when no
/// device can be used.
cuda_context& get_cuda_context(resources const& res);
/// The same, shared: owners of device memory keep the context (stream, pool) alive through it.
std::shared_ptr<cuda_context> share_cuda_context(resources const& res);

/// `bytes` of device memory ordered on `stream` (the pool's, or cudaMalloc). Null for 0 bytes.
/// Throws tamis::cuda_error, mentioning the size, when the device is out of memory.
void* device_allocate(cuda_context const& ctx, std::size_t bytes, cudaStream_t stream);
/// Returns memory from device_allocate, ordered after the work already queued on `stream`.
void device_deallocate(cuda_context const& ctx, void* ptr, cudaStream_t stream) noexcept;

/// cudaMemcpyAsync on the handle's stream, then waits for it: on return the copy is complete and
/// the source may be reused.
void copy_bytes_sync(resources const& res, void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind);

}  // namespace detail

namespace resource {

/// The stream the handle orders its device work on (created non-blocking unless set_cuda_stream).
cudaStream_t get_cuda_stream(resources const& res);
/// The cuBLAS handle of the handle, bound to its stream.
cublasHandle_t get_cublas_handle(resources const& res);
/// The device the handle's work runs on.
int get_device_id(resources const& res);
/// Orders the handle's later work on `stream` (e.g. a framework's current stream; 0 is the legacy
/// default stream). The caller keeps `stream` alive while the handle or its buffers use it. Memory
/// allocated before the switch is still freed on the stream it was allocated on.
void set_cuda_stream(resources& res, cudaStream_t stream);
/// Waits for all work queued on the handle's stream; throws tamis::cuda_error if any of it failed.
void sync_stream(resources const& res);

}  // namespace resource

// ---- owning device memory -----------------------------------------------------------------------

/// `size()` elements of uninitialised device memory, allocated and freed in order on the handle's
/// stream. Move-only. Keeps the handle's CUDA context alive, so it may outlive the handle.
template <typename T>
class device_buffer {
  static_assert(std::is_trivially_copyable_v<T>, "device_buffer holds trivially copyable elements only");

 public:
  device_buffer() = default;
  device_buffer(resources const& res, int64_t n) : ctx_(checked_context(res, n)), stream_(ctx_->stream)
  {
    ptr_ = static_cast<T*>(detail::device_allocate(*ctx_, static_cast<std::size_t>(n) * sizeof(T), stream_));
    size_ = n;
  }
  device_buffer(device_buffer&& other) noexcept
    : ctx_(std::move(other.ctx_)),
      stream_(other.stream_),
      ptr_(std::exchange(other.ptr_, nullptr)),
      size_(std::exchange(other.size_, 0))
  {
  }
  device_buffer& operator=(device_buffer&& other) noexcept
  {
    if (this != &other) {
      release();
      ctx_ = std::move(other.ctx_);
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
      stream_ = other.stream_;
    }
    return *this;
  }
  device_buffer(device_buffer const&) = delete;
  device_buffer& operator=(device_buffer const&) = delete;
  ~device_buffer() { release(); }

  T* data() const { return ptr_; }
  int64_t size() const { return size_; }
  /// The stream the memory was allocated on, and will be freed on.
  cudaStream_t stream() const { return stream_; }

  /// Frees the memory now (ordered on its stream) and leaves the buffer empty.
  void release() noexcept
  {
    if (ptr_ != nullptr) detail::device_deallocate(*ctx_, ptr_, stream_);
    ptr_ = nullptr;
    size_ = 0;
    ctx_.reset();
  }

 private:
  // Arguments are checked before the context exists, so a bad length is a logic_error everywhere.
  static std::shared_ptr<detail::cuda_context> checked_context(resources const& res, int64_t n)
  {
    TAMIS_EXPECTS(n >= 0, "device buffer length must be non-negative (%lld)", static_cast<long long>(n));
    TAMIS_EXPECTS(static_cast<uint64_t>(n) <= std::numeric_limits<std::size_t>::max() / sizeof(T),
                  "device buffer of %lld elements overflows size_t", static_cast<long long>(n));
    return detail::share_cuda_context(res);
  }

  std::shared_ptr<detail::cuda_context> ctx_;
  cudaStream_t stream_ = nullptr;
  T* ptr_ = nullptr;
  int64_t size_ = 0;
};

/// An owning, row-major device matrix (uninitialised).
template <typename T>
class device_matrix {
 public:
  device_matrix() = default;
  device_matrix(resources const& res, int64_t rows, int64_t cols)
    : buf_(res, checked_size(rows, cols)), rows_(rows), cols_(cols)
  {
  }
  device_matrix_view<T> view() { return {buf_.data(), rows_, cols_}; }
  device_matrix_view<const T> view() const { return {buf_.data(), rows_, cols_}; }
  T* data() { return buf_.data(); }
  const T* data() const { return buf_.data(); }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  int64_t size() const { return rows_ * cols_; }

 private:
  static int64_t checked_size(int64_t rows, int64_t cols)
  {
    TAMIS_EXPECTS(rows >= 0 && cols >= 0, "matrix extents must be non-negative (%lld x %lld)",
                  static_cast<long long>(rows), static_cast<long long>(cols));
    TAMIS_EXPECTS(cols == 0 || rows <= std::numeric_limits<int64_t>::max() / cols,
                  "matrix of %lld x %lld elements overflows int64", static_cast<long long>(rows),
                  static_cast<long long>(cols));
    return rows * cols;
  }

  device_buffer<T> buf_;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
};

/// An owning device vector (uninitialised).
template <typename T>
class device_vector {
 public:
  device_vector() = default;
  device_vector(resources const& res, int64_t n) : buf_(res, n) {}
  device_vector_view<T> view() { return {buf_.data(), buf_.size()}; }
  device_vector_view<const T> view() const { return {buf_.data(), buf_.size()}; }
  T* data() { return buf_.data(); }
  const T* data() const { return buf_.data(); }
  int64_t size() const { return buf_.size(); }

 private:
  device_buffer<T> buf_;
};

template <typename T>
device_matrix<T> make_device_matrix(resources const& res, int64_t rows, int64_t cols)
{
  return device_matrix<T>(res, rows, cols);
}
template <typename T>
device_vector<T> make_device_vector(resources const& res, int64_t n)
{
  return device_vector<T>(res, n);
}

// ---- host <-> device copies (synchronous: complete on return) ----------------------------------

/// Copies `n` elements from host memory to device memory.
template <typename T>
void copy_to_device(resources const& res, T* device_dst, const T* host_src, int64_t n)
{
  TAMIS_EXPECTS(n >= 0, "copy length must be non-negative (%lld)", static_cast<long long>(n));
  if (n == 0) return;
  detail::copy_bytes_sync(res, device_dst, host_src, static_cast<std::size_t>(n) * sizeof(T),
                          cudaMemcpyHostToDevice);
}
/// Copies `n` elements from device memory to host memory.
template <typename T>
void copy_to_host(resources const& res, T* host_dst, const T* device_src, int64_t n)
{
  TAMIS_EXPECTS(n >= 0, "copy length must be non-negative (%lld)", static_cast<long long>(n));
  if (n == 0) return;
  detail::copy_bytes_sync(res, host_dst, device_src, static_cast<std::size_t>(n) * sizeof(T),
                          cudaMemcpyDeviceToHost);
}

/// Fills a device matrix / vector with `dst.size()` elements read from `host_src`.
template <typename T>
void copy_to_device(resources const& res, device_matrix_view<T> dst, const T* host_src)
{
  copy_to_device(res, dst.data(), host_src, dst.size());
}
template <typename T>
void copy_to_device(resources const& res, device_vector_view<T> dst, const T* host_src)
{
  copy_to_device(res, dst.data(), host_src, dst.size());
}

/// Writes the `src.size()` elements of a device matrix / vector to `host_dst`.
template <typename T, typename U>
void copy_to_host(resources const& res, T* host_dst, device_matrix_view<U> src)
{
  static_assert(std::is_same_v<std::remove_const_t<U>, T>, "copy_to_host: element types differ");
  copy_to_host(res, host_dst, static_cast<const T*>(src.data()), src.size());
}
template <typename T, typename U>
void copy_to_host(resources const& res, T* host_dst, device_vector_view<U> src)
{
  static_assert(std::is_same_v<std::remove_const_t<U>, T>, "copy_to_host: element types differ");
  copy_to_host(res, host_dst, static_cast<const T*>(src.data()), src.size());
}

}  // namespace tamis
