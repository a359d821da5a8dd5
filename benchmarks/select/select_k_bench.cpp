// Row-wise top-k over a dense matrix: memory-bound, so report GB/s of values read.
#include "common.hpp"
#include "tamis/select/select_k.hpp"

namespace {

void BM_select_k(benchmark::State& state)
{
  const int64_t n = state.range(0), m = state.range(1), k = state.range(2);
  auto vals = tamis::bench::random_matrix(n, m, 3);
  std::vector<float> ov(static_cast<size_t>(n * k));
  std::vector<int64_t> oi(static_cast<size_t>(n * k));
  tamis::resources res;
  for (auto _ : state) {
    tamis::select::select_k(res, tamis::make_host_matrix_view<const float>(vals.data(), n, m), {},
                            tamis::make_host_matrix_view(ov.data(), n, k), tamis::make_host_matrix_view(oi.data(), n, k),
                            true);
    benchmark::DoNotOptimize(oi.data());
  }
  state.SetBytesProcessed(state.iterations() * n * m * static_cast<int64_t>(sizeof(float)));
}
BENCHMARK(BM_select_k)->Args({1000, 100000, 10})->Args({1000, 100000, 1000})->Args({10, 1000000, 10000})->Args({1, 4000000, 100})
  ->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
