// HBOS fit (sorted columns + histograms) and scores of the training rows at the shape (50,000 × 64)
// and at the largest ODDS set's (satellite, 6,435 × 36). PyOD runs side by side in
// benchmarks/compare/outlier_vs_pyod.py (host) and benchmarks/compare/gpu_vs_anchors.py (device).
#include "common.hpp"
#include "tamis/outlier/ecod.hpp"
#include "tamis/outlier/hbos.hpp"

namespace {

template <typename Space>
void BM_hbos_fit_score(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), bins = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  auto sorted = space::template matrix<float>(res, d, n);
  auto edges = space::template matrix<float>(res, d, bins + 1), density = space::template matrix<float>(res, d, bins);
  auto used = space::template vector<int64_t>(res, d);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::outlier::sort_columns(res, x.view(), sorted.view());
    tamis::outlier::hbos::fit(res, sorted.view(), bins, edges.view(), density.view(), used.view());
    tamis::outlier::hbos::scores(res, edges.view(), density.view(), used.view(), x.view(), 0.1, 0.5, out.view());
    space::finish(res);
  }
  state.counters["values/s"] = benchmark::Counter(double(n * d), benchmark::Counter::kIsIterationInvariantRate);
}
TAMIS_BENCHMARK_SPACES(BM_hbos_fit_score, ->Args({50000, 64, 10})->Args({6435, 36, 10})
                                          ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
