// Host backend: OpenMP loops and Eigen GEMM. Algorithms call only the members below; the CUDA
// backend (cuda_backend.cuh) offers the same members over cuBLAS and Thrust/CUB.
#pragma once
#ifndef TAMIS_CORE_RESOURCES_HPP_INCLUDED
#error "tamis/core/detail/host_backend.hpp is internal: include it only from tamis sources"
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <numeric>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <omp.h>

#include "tamis/core/resources.hpp"
#include "tamis/core/views.hpp"

namespace tamis::detail {

/// Uninitialised host scratch memory.
template <typename T>
class host_buffer {
 public:
  host_buffer() = default;
  explicit host_buffer(int64_t n) : data_(n > 0 ? new T[static_cast<size_t>(n)] : nullptr), size_(n) {}
  T* data() const { return data_.get(); }
  int64_t size() const { return size_; }

 private:
  std::unique_ptr<T[]> data_;
  int64_t size_ = 0;
};

struct host_backend {
  using memory_space = host_memory;
  template <typename T>
  using buffer = host_buffer<T>;

  // Tile shapes for pairwise work: rows of the query block, and a cap on database columns so a
  // distance tile stays near the last-level cache while the GEMM still runs at full rate.
  static constexpr int64_t tile_rows = 1024;
  static constexpr int64_t tile_cols_cap = 4096;
  // Rows per streamed batch when a caller leaves the choice to the backend (k-means passes).
  static constexpr int64_t stream_batch_rows = 8192;
  // Elements per worker in sums and counts (core/detail/reductions.hpp): cache-sized blocks.
  static constexpr int64_t reduction_block = 4096;
  // Top-k folds run one worker per row, never splitting a row (select/detail/fold_rows.hpp): the
  // rows of a tile already outnumber the cores.
  static constexpr int64_t fold_threads = 0;
  // Distance tiles row-major: a core folds one query row from contiguous memory.
  static constexpr bool column_major_tiles = false;
  // Columns per worker in per-cluster sums: whole rows, read contiguously.
  static constexpr int64_t sum_chunk_cols = std::numeric_limits<int32_t>::max();

  static int threads(resources const& res)
  {
    int n = resource::get_num_threads(res);
    return n > 0 ? n : omp_get_max_threads();
  }

  template <typename T>
  static buffer<T> allocate(resources const&, int64_t n)
  {
    return buffer<T>(n);
  }

  /// C[n×m] = alpha · A[n×d] · B[m×d]ᵀ + beta · C, all row-major with leading dimensions.
  template <typename T>
  static void gemm_nt(resources const& res, int64_t n, int64_t m, int64_t d, T alpha, const T* a, int64_t lda,
                      const T* b, int64_t ldb, T beta, T* c, int64_t ldc)
  {
    using mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using stride = Eigen::OuterStride<>;
    Eigen::Map<const mat, 0, stride> A(a, n, d, stride(lda));
    Eigen::Map<const mat, 0, stride> B(b, m, d, stride(ldb));
    Eigen::Map<mat, 0, stride> C(c, n, m, stride(ldc));
    // Eigen sizes its OpenMP team from omp_get_max_threads(), a per-thread setting: changing it
    // here (and back) affects only this call, unlike the process-wide Eigen::setNbThreads.
    const int previous = omp_get_max_threads();
    omp_set_num_threads(threads(res));
    if (beta == T(0)) {
      C.noalias() = alpha * A * B.transpose();
    } else {
      C *= beta;
      C.noalias() += alpha * A * B.transpose();
    }
    omp_set_num_threads(previous);
  }

  /// Below this many items a loop runs on the calling thread: a team's start-up and barrier cost
  /// more than they save, and far more when another process holds the other cores.
  static constexpr int64_t parallel_threshold = 64;

  /// Calls f(i) for i in [0, n), in parallel.
  template <typename F>
  static void for_each_n(resources const& res, int64_t n, F f)
  {
#pragma omp parallel for schedule(static) num_threads(threads(res)) if (n >= parallel_threshold)
    for (int64_t i = 0; i < n; ++i) {
      f(i);
    }
  }

  /// Copies within this backend's memory, and between it and the host (the same thing here).
  template <typename T>
  static void copy(resources const&, T* dst, const T* src, int64_t n)
  {
    if (n > 0) std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(T));
  }
  template <typename T>
  static void to_host(resources const& res, T* host_dst, const T* src, int64_t n)
  {
    copy(res, host_dst, src, n);
  }
  template <typename T>
  static void from_host(resources const& res, T* dst, const T* host_src, int64_t n)
  {
    copy(res, dst, host_src, n);
  }

  /// Sorts `keys` ascending, permuting `values` alike; equal keys keep their order.
  template <typename K, typename V>
  static void stable_sort_by_key(resources const&, K* keys, V* values, int64_t n)
  {
    if (n <= 1) return;
    std::vector<K> k2(keys, keys + n);
    std::vector<V> v2(values, values + n);
    auto [lo, hi] = std::minmax_element(k2.begin(), k2.end());
    if constexpr (std::is_integral_v<K>) {
      // Labels and other small-range keys: a counting sort, O(n + range), stable by construction.
      if (static_cast<uint64_t>(*hi) - static_cast<uint64_t>(*lo) < static_cast<uint64_t>(n)) {
        K base = *lo;
        std::vector<int64_t> start(static_cast<size_t>(*hi - base) + 2, 0);
        for (int64_t i = 0; i < n; ++i) ++start[static_cast<size_t>(k2[i] - base) + 1];
        std::partial_sum(start.begin(), start.end(), start.begin());
        for (int64_t i = 0; i < n; ++i) {
          int64_t pos = start[static_cast<size_t>(k2[i] - base)]++;
          keys[pos] = k2[i];
          values[pos] = v2[i];
        }
        return;
      }
    }
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return k2[a] < k2[b]; });
    for (int64_t i = 0; i < n; ++i) {
      keys[i] = k2[order[i]];
      values[i] = v2[order[i]];
    }
  }

  /// Sorts each of `segments` contiguous runs of `length` keys ascending, in place (one run per
  /// thread: the runs are columns of a feature matrix, so there are few and they are long).
  template <typename T>
  static void sort_segments(resources const& res, T* keys, int64_t segments, int64_t length)
  {
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads(res)) if (segments > 1)
    for (int64_t s = 0; s < segments; ++s) {
      std::sort(keys + s * length, keys + (s + 1) * length);
    }
  }

  /// Reorders keys[0, n) so keys[k] is the k-th smallest, none before it larger and none after it
  /// smaller (an order statistic in O(n), where a sort would be O(n log n)).
  template <typename T>
  static void nth_element(resources const&, T* keys, int64_t n, int64_t k)
  {
    std::nth_element(keys, keys + k, keys + n);
  }

  /// Inclusive prefix sum, sequential so the result never depends on thread count.
  template <typename T>
  static void inclusive_scan(resources const&, const T* in, T* out, int64_t n)
  {
    T acc = T(0);
    for (int64_t i = 0; i < n; ++i) {
      acc += in[i];
      out[i] = acc;
    }
  }

  static void sync(resources const&) {}
};

}  // namespace tamis::detail
