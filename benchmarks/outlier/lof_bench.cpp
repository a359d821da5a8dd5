// LOF fit at the shape: 50,000 × 64, k = 20 (kNN graph, k-distances, lrd, LOF).
// PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/lof.hpp"

namespace {

void BM_lof_fit(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> k_distance(static_cast<size_t>(n)), lrd(k_distance.size()), scores(k_distance.size());
  tamis::resources res;
  for (auto _ : state) {
    tamis::outlier::lof_fit(res, tamis::make_host_matrix_view<const float>(x.data(), n, d), k,
                            tamis::make_host_vector_view(k_distance.data(), n), tamis::make_host_vector_view(lrd.data(), n),
                            tamis::make_host_vector_view(scores.data(), n));
    benchmark::DoNotOptimize(scores.data());
  }
  tamis::bench::report_flops(state, 2.0 * n * n * d);
}
BENCHMARK(BM_lof_fit)->Args({50000, 64, 20})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
