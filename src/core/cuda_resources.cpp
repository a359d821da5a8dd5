// The handle's CUDA context: created lazily, destroyed with the last owner (the handle or a
// device buffer that outlived it).
#include "tamis/core/cuda_resources.hpp"

#include <mutex>

namespace tamis {

bool cuda_device_available() noexcept
{
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();  // no driver / no device is not an error here
    return false;
  }
  return count > 0;
}

namespace detail {

cuda_context::cuda_context(std::size_t pool_release_threshold)
{
  int count = 0;
  TAMIS_CUDA_TRY(cudaGetDeviceCount(&count));
  if (count == 0) TAMIS_THROW(::tamis::cuda_error, "no CUDA device is visible to this process");
  TAMIS_CUDA_TRY(cudaGetDevice(&device));
  try {
    TAMIS_CUDA_TRY(cudaStreamCreateWithFlags(&owned_stream, cudaStreamNonBlocking));
    stream = owned_stream;
    TAMIS_CUBLAS_TRY(cublasCreate(&cublas));
    TAMIS_CUBLAS_TRY(cublasSetStream(cublas, stream));

    int pools_supported = 0;
    TAMIS_CUDA_TRY(cudaDeviceGetAttribute(&pools_supported, cudaDevAttrMemoryPoolsSupported, device));
    if (pools_supported != 0) {
      // A pool of our own, so tuning it never changes the device's default pool that other
      // libraries in the process may use.
      cudaMemPoolProps props{};
      props.allocType = cudaMemAllocationTypePinned;
      props.handleTypes = cudaMemHandleTypeNone;
      props.location.type = cudaMemLocationTypeDevice;
      props.location.id = device;
      TAMIS_CUDA_TRY(cudaMemPoolCreate(&pool, &props));
      // Keep up to the threshold reserved across synchronisations (tiles are reused call after
      // call); anything above it goes back to the driver at the next synchronisation.
      auto threshold = static_cast<uint64_t>(pool_release_threshold);
      TAMIS_CUDA_TRY(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold));
    }
  } catch (...) {
    release();
    throw;
  }
}

cuda_context::~cuda_context() { release(); }

void cuda_context::release() noexcept
{
  // cuBLAS and stream teardown belong on the context's device.
  int previous = -1;
  bool switched = false;
  if (device >= 0 && cudaGetDevice(&previous) == cudaSuccess && previous != device) {
    switched = cudaSetDevice(device) == cudaSuccess;
  }
  if (cublas != nullptr) {
    TAMIS_CUBLAS_TRY_NO_THROW(cublasDestroy(cublas));
    cublas = nullptr;
  }
  if (owned_stream != nullptr) {
    TAMIS_CUDA_TRY_NO_THROW(cudaStreamSynchronize(owned_stream));
    TAMIS_CUDA_TRY_NO_THROW(cudaStreamDestroy(owned_stream));
    owned_stream = nullptr;
  }
  stream = nullptr;
  if (pool != nullptr) {
    // Frees still queued elsewhere complete first: the driver releases the pool after them.
    TAMIS_CUDA_TRY_NO_THROW(cudaMemPoolDestroy(pool));
    pool = nullptr;
  }
  if (switched) TAMIS_CUDA_TRY_NO_THROW(cudaSetDevice(previous));
}

std::shared_ptr<cuda_context> share_cuda_context(resources const& res)
{
  std::lock_guard<std::mutex> lock(resource_access::cuda_mutex(res));
  auto& ctx = resource_access::cuda(res);
  if (!ctx) ctx = std::make_shared<cuda_context>(resource::get_workspace_limit(res));
  return ctx;
}

cuda_context& get_cuda_context(resources const& res)
{
  std::lock_guard<std::mutex> lock(resource_access::cuda_mutex(res));
  auto& ctx = resource_access::cuda(res);
  if (!ctx) ctx = std::make_shared<cuda_context>(resource::get_workspace_limit(res));
  return *ctx;
}

void* device_allocate(cuda_context const& ctx, std::size_t bytes, cudaStream_t stream)
{
  if (bytes == 0) return nullptr;
  void* ptr = nullptr;
  cudaError_t err = ctx.pool != nullptr ? cudaMallocFromPoolAsync(&ptr, bytes, ctx.pool, stream)
                                        : cudaMalloc(&ptr, bytes);
  if (err != cudaSuccess) {
    (void)cudaGetLastError();
    TAMIS_THROW(::tamis::cuda_error, "CUDA error %s (%s) allocating %zu bytes of device memory", cudaGetErrorName(err),
                cudaGetErrorString(err), bytes);
  }
  return ptr;
}

void device_deallocate(cuda_context const& ctx, void* ptr, cudaStream_t stream) noexcept
{
  if (ptr == nullptr) return;
  if (ctx.pool != nullptr) {
    TAMIS_CUDA_TRY_NO_THROW(cudaFreeAsync(ptr, stream));
  } else {
    TAMIS_CUDA_TRY_NO_THROW(cudaFree(ptr));
  }
}

void copy_bytes_sync(resources const& res, void* dst, const void* src, std::size_t bytes, cudaMemcpyKind kind)
{
  if (bytes == 0) return;
  cudaStream_t stream = get_cuda_context(res).stream;
  TAMIS_CUDA_TRY(cudaMemcpyAsync(dst, src, bytes, kind, stream));
  TAMIS_CUDA_TRY(cudaStreamSynchronize(stream));
}

}  // namespace detail

namespace resource {

cudaStream_t get_cuda_stream(resources const& res) { return detail::get_cuda_context(res).stream; }

cublasHandle_t get_cublas_handle(resources const& res) { return detail::get_cuda_context(res).cublas; }

int get_device_id(resources const& res) { return detail::get_cuda_context(res).device; }

void set_cuda_stream(resources& res, cudaStream_t stream)
{
  auto& ctx = detail::get_cuda_context(res);
  std::lock_guard<std::mutex> lock(resource_access::cuda_mutex(res));
  TAMIS_CUBLAS_TRY(cublasSetStream(ctx.cublas, stream));
  ctx.stream = stream;
}

void sync_stream(resources const& res) { TAMIS_CUDA_TRY(cudaStreamSynchronize(get_cuda_stream(res))); }

}  // namespace resource
}  // namespace tamis
