// ECOD fit + training scores + inductive scores of new rows at the shape (50,000 × 64, 10,000
// new rows). PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/ecod.hpp"

namespace {

void BM_ecod_fit_score(benchmark::State& state)
{
  namespace ecod = tamis::outlier::ecod;
  const int64_t n = state.range(0), d = state.range(1), m = n / 5;
  auto x = tamis::bench::random_matrix(n, d, 1), q = tamis::bench::random_matrix(m, d, 2);
  std::vector<float> sorted(static_cast<size_t>(n * d)), train(static_cast<size_t>(n)), out(static_cast<size_t>(m));
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  auto sv = tamis::make_host_matrix_view<const float>(sorted.data(), d, n);
  for (auto _ : state) {
    tamis::outlier::sort_columns(res, xv, tamis::make_host_matrix_view(sorted.data(), d, n));
    ecod::train_scores(res, sv, xv, ecod::detector::ecod, ecod::aggregation::pyod,
                       tamis::make_host_vector_view(train.data(), n));
    ecod::scores(res, sv, tamis::make_host_matrix_view<const float>(q.data(), m, d), ecod::detector::ecod,
                 ecod::aggregation::pyod, ecod::ecdf_mode::inductive, tamis::make_host_vector_view(out.data(), m));
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["values/s"] = benchmark::Counter(double((n + m) * d), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ecod_fit_score)->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
