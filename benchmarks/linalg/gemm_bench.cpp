// The GEMM ceiling itself (Eigen on the host, cuBLAS on the device), at the tile shapes kNN and
// k-means use.
#include "common.hpp"

namespace {

template <typename Space>
void BM_gemm_nt(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  const int64_t n = state.range(0), m = state.range(1), d = state.range(2);
  tamis::resources res;
  auto a = tamis::bench::random_matrix<Space>(res, n, d, 1), b = tamis::bench::random_matrix<Space>(res, m, d, 2);
  auto c = tamis::bench::space<Space>::template matrix<float>(res, n, m);
  for (auto _ : state) {
    tamis::linalg::gemm_nt(res, a.view(), b.view(), c.view());
    tamis::bench::space<Space>::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * n * m * d);
}
TAMIS_BENCHMARK_SPACES(BM_gemm_nt, ->Args({512, 4096, 128})->Args({2048, 8192, 128})->Args({32768, 256, 128})
                                     ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
