// HBOS fit (sorted columns + histograms) and scores at the shape (50,000 × 64, scored on
// the training rows). PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/ecod.hpp"
#include "tamis/outlier/hbos.hpp"

namespace {

void BM_hbos_fit_score(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1), bins = state.range(2);
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> sorted(static_cast<size_t>(n * d)), out(static_cast<size_t>(n));
  std::vector<float> edges(static_cast<size_t>(d * (bins + 1))), density(static_cast<size_t>(d * bins));
  std::vector<int64_t> used(static_cast<size_t>(d));
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  for (auto _ : state) {
    tamis::outlier::sort_columns(res, xv, tamis::make_host_matrix_view(sorted.data(), d, n));
    tamis::outlier::hbos::fit(res, tamis::make_host_matrix_view<const float>(sorted.data(), d, n), bins,
                              tamis::make_host_matrix_view(edges.data(), d, bins + 1),
                              tamis::make_host_matrix_view(density.data(), d, bins),
                              tamis::make_host_vector_view(used.data(), d));
    tamis::outlier::hbos::scores(res, tamis::make_host_matrix_view<const float>(edges.data(), d, bins + 1),
                                 tamis::make_host_matrix_view<const float>(density.data(), d, bins),
                                 tamis::make_host_vector_view<const int64_t>(used.data(), d), xv, 0.1, 0.5,
                                 tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["values/s"] = benchmark::Counter(double(n * d), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_hbos_fit_score)->Args({50000, 64, 10})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
