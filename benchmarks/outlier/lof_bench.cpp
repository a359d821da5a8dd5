// LOF fit at the shapes: 50,000 × 64 and 6,435 × 36 (satellite's), k = 20 (kNN graph, k-distances,
// lrd, LOF). PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py (host) and
// benchmarks/compare/gpu_vs_anchors.py (device).
#include "common.hpp"
#include "tamis/outlier/lof.hpp"

namespace {

template <typename Space>
void BM_lof_fit(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  auto k_distance = space::template vector<float>(res, n), lrd = space::template vector<float>(res, n);
  auto scores = space::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::outlier::lof_fit(res, x.view(), k, k_distance.view(), lrd.view(), scores.view());
    space::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * n * n * d);
}
TAMIS_BENCHMARK_SPACES(BM_lof_fit, ->Args({50000, 64, 20})->Args({6435, 36, 20})
                                   ->Unit(benchmark::kMillisecond)->UseRealTime());
#if TAMIS_HAS_CUDA
// The 1,000,000 × 64 scale on the device only (the host run is benchmarks/compare/outlier_memory.py).
BENCHMARK_TEMPLATE(BM_lof_fit, tamis::device_memory)->Args({1000000, 64, 20})->Iterations(1)->Unit(benchmark::kSecond)
  ->UseRealTime();
#endif

}  // namespace
