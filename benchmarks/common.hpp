// Shared by the benchmarks: random inputs and the host GEMM ceiling measured in the same run,
// so every kernel can report the fraction of Eigen's GEMM rate it reaches.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <random>
#include <vector>

#include "tamis/linalg/linalg.hpp"

namespace tamis::bench {

inline std::vector<float> random_matrix(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::normal_distribution<float> dist;
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = dist(gen);
  return x;
}

/// The best float GEMM rate Eigen reaches here, through the same path, over the tile shapes the
/// kernels use (1,024 × 4,096 × 128 and 2,048 × 8,192 × 128), best of 5 each.
inline double gemm_ceiling_gflops()
{
  static const double rate = [] {
    resources res;
    double best = 0;
    for (auto [n, m] : {std::pair<int64_t, int64_t>{1024, 4096}, {2048, 8192}}) {
      const int64_t d = 128;
      auto a = random_matrix(n, d, 1), b = random_matrix(m, d, 2);
      std::vector<float> c(static_cast<size_t>(n * m));
      for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        linalg::gemm_nt(res, make_host_matrix_view<const float>(a.data(), n, d),
                        make_host_matrix_view<const float>(b.data(), m, d), make_host_matrix_view(c.data(), n, m));
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, 2.0 * n * m * d / s / 1e9);
      }
    }
    return best;
  }();
  return rate;
}

/// Reports achieved GFLOP/s and the fraction of the GEMM ceiling, given flops per iteration.
inline void report_flops(benchmark::State& state, double flops_per_iteration)
{
  state.counters["GFLOP/s"] =
    benchmark::Counter(flops_per_iteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["ceiling_GFLOP/s"] = gemm_ceiling_gflops();
  state.counters["of_ceiling"] = benchmark::Counter(flops_per_iteration * 1e-9 / gemm_ceiling_gflops(),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace tamis::bench
