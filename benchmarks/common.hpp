// Shared by the benchmarks. Each benchmark is written once over the memory space and registered for
// the host and, in CUDA builds, the device (TAMIS_BENCHMARK_SPACES). The GEMM ceiling of the same
// space is measured in the same run, so every kernel can report the fraction of it that it reaches.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "tamis/core/buffers.hpp"
#include "tamis/linalg/linalg.hpp"
#if TAMIS_HAS_CUDA
#include "tamis/core/cuda_resources.hpp"
#endif

namespace tamis::bench {

inline std::vector<float> random_matrix(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<float> dist;
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = dist(gen);
  return x;
}

/// vectors × classes softmax rows of 2·N(0, 1) logits: valid distributions, as a model would produce them.
inline std::vector<float> softmax_rows(int64_t vectors, int64_t classes, uint32_t seed)
{
  auto x = random_matrix(vectors, classes, seed);
  for (int64_t v = 0; v < vectors; ++v) {
    float* row = x.data() + v * classes;
    double total = 0;
    for (int64_t c = 0; c < classes; ++c) total += row[c] = std::exp(2 * row[c]);
    for (int64_t c = 0; c < classes; ++c) row[c] = static_cast<float>(row[c] / total);
  }
  return x;
}

/// What a benchmark needs of a memory space: owning buffers, an upload and a download, and a barrier that makes
/// the wall clock measure finished work (device calls return before the stream drains).
template <typename Space>
struct space;

template <>
struct space<host_memory> {
  template <typename T>
  static host_matrix<T> matrix(resources const& res, int64_t rows, int64_t cols)
  {
    return make_host_matrix<T>(res, rows, cols);
  }
  template <typename T>
  static host_vector<T> vector(resources const& res, int64_t n)
  {
    return make_host_vector<T>(res, n);
  }
  template <typename View>
  static void upload(resources const&, View dst, const typename View::value_type* src)
  {
    std::copy(src, src + dst.size(), dst.data());
  }
  template <typename View>
  static auto download(resources const&, View src)
  {
    return std::vector<std::remove_const_t<typename View::value_type>>(src.data(), src.data() + src.size());
  }
  static void finish(resources const&) {}
  static bool available() { return true; }
};

#if TAMIS_HAS_CUDA
template <>
struct space<device_memory> {
  template <typename T>
  static device_matrix<T> matrix(resources const& res, int64_t rows, int64_t cols)
  {
    return make_device_matrix<T>(res, rows, cols);
  }
  template <typename T>
  static device_vector<T> vector(resources const& res, int64_t n)
  {
    return make_device_vector<T>(res, n);
  }
  template <typename View>
  static void upload(resources const& res, View dst, const typename View::value_type* src)
  {
    copy_to_device(res, dst, src);
  }
  template <typename View>
  static auto download(resources const& res, View src)
  {
    std::vector<std::remove_const_t<typename View::value_type>> out(static_cast<size_t>(src.size()));
    copy_to_host(res, out.data(), src);
    return out;
  }
  static void finish(resources const& res) { resource::sync_stream(res); }
  static bool available() { return cuda_device_available(); }
};
#endif

/// The host rows × cols matrix `host` copied into a new matrix in `Space`.
template <typename Space, typename T>
auto to_space(resources const& res, std::vector<T> const& host, int64_t rows, int64_t cols)
{
  auto m = space<Space>::template matrix<T>(res, rows, cols);
  space<Space>::upload(res, m.view(), host.data());
  return m;
}

/// The host vector `host` copied into a new vector in `Space`.
template <typename Space, typename T>
auto to_space(resources const& res, std::vector<T> const& host)
{
  auto v = space<Space>::template vector<T>(res, static_cast<int64_t>(host.size()));
  space<Space>::upload(res, v.view(), host.data());
  return v;
}

/// A rows × cols matrix of N(0, 1) floats in `Space` (the same values in every space).
template <typename Space>
auto random_matrix(resources const& res, int64_t rows, int64_t cols, uint32_t seed)
{
  return to_space<Space>(res, random_matrix(rows, cols, seed), rows, cols);
}

/// False (and the benchmark skipped with a message) where `Space` has no device to run on.
template <typename Space>
bool skip_unless_available(benchmark::State& state)
{
  if (space<Space>::available()) return false;
  state.SkipWithError("no CUDA device");
  return true;
}

/// The best float GEMM rate this space's GEMM reaches here (Eigen on the host, cuBLAS on the device),
/// over the tile shapes the kernels use (1,024 × 4,096 × 128 and 2,048 × 8,192 × 128), best of 5 each.
template <typename Space>
double gemm_ceiling_gflops()
{
  static const double rate = [] {
    resources res;
    double best = 0;
    for (auto [n, m] : {std::pair<int64_t, int64_t>{1024, 4096}, {2048, 8192}}) {
      const int64_t d = 128;
      auto a = random_matrix<Space>(res, n, d, 1), b = random_matrix<Space>(res, m, d, 2);
      auto c = space<Space>::template matrix<float>(res, n, m);
      for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        linalg::gemm_nt(res, a.view(), b.view(), c.view());
        space<Space>::finish(res);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, 2.0 * n * m * d / s / 1e9);
      }
    }
    return best;
  }();
  return rate;
}

/// Reports achieved GFLOP/s and the fraction of the space's GEMM ceiling, given flops per iteration.
template <typename Space>
void report_flops(benchmark::State& state, double flops_per_iteration)
{
  const double ceiling = gemm_ceiling_gflops<Space>();
  state.counters["GFLOP/s"] =
    benchmark::Counter(flops_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["ceiling_GFLOP/s"] = ceiling;
  state.counters["of_ceiling"] =
    benchmark::Counter(flops_per_iteration * 1e-9 / ceiling, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace tamis::bench

/// Registers fn<host_memory>, and fn<device_memory> in CUDA builds, each with the same chained
/// settings: TAMIS_BENCHMARK_SPACES(BM_x, ->Args({...})->UseRealTime()).
#if TAMIS_HAS_CUDA
#define TAMIS_BENCHMARK_SPACES(fn, ...)                 \
  BENCHMARK_TEMPLATE(fn, tamis::host_memory) __VA_ARGS__; \
  BENCHMARK_TEMPLATE(fn, tamis::device_memory) __VA_ARGS__
#else
#define TAMIS_BENCHMARK_SPACES(fn, ...) BENCHMARK_TEMPLATE(fn, tamis::host_memory) __VA_ARGS__
#endif
