// The host GEMM ceiling itself, at the tile shapes kNN and k-means use.
#include "common.hpp"

namespace {

void BM_gemm_nt(benchmark::State& state)
{
  const int64_t n = state.range(0), m = state.range(1), d = state.range(2);
  auto a = tamis::bench::random_matrix(n, d, 1), b = tamis::bench::random_matrix(m, d, 2);
  std::vector<float> c(static_cast<size_t>(n * m));
  tamis::resources res;
  for (auto _ : state) {
    tamis::linalg::gemm_nt(res, tamis::make_host_matrix_view<const float>(a.data(), n, d),
                           tamis::make_host_matrix_view<const float>(b.data(), m, d),
                           tamis::make_host_matrix_view(c.data(), n, m));
    benchmark::DoNotOptimize(c.data());
  }
  tamis::bench::report_flops(state, 2.0 * n * m * d);
}
BENCHMARK(BM_gemm_nt)->Args({512, 4096, 128})->Args({2048, 8192, 128})->Args({32768, 256, 128})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
