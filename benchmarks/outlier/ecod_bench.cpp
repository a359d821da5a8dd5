// ECOD / COPOD fit + training scores + inductive scores of new rows at the shape (50,000 × 64, 10,000
// new rows) and at the largest ODDS set's (satellite, 6,435 × 36). PyOD runs side by side in
// benchmarks/compare/outlier_vs_pyod.py (host) and benchmarks/compare/gpu_vs_anchors.py (device).
#include "common.hpp"
#include "tamis/outlier/ecod.hpp"

namespace {

template <typename Space>
void BM_ecod_fit_score(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  namespace ecod = tamis::outlier::ecod;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), m = n / 5;
  const auto detector = static_cast<ecod::detector>(state.range(2));
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1), q = tamis::bench::random_matrix<Space>(res, m, d, 2);
  auto sorted = space::template matrix<float>(res, d, n);
  auto train = space::template vector<float>(res, n), out = space::template vector<float>(res, m);
  for (auto _ : state) {
    tamis::outlier::sort_columns(res, x.view(), sorted.view());
    ecod::train_scores(res, sorted.view(), x.view(), detector, ecod::aggregation::pyod, train.view());
    ecod::scores(res, sorted.view(), q.view(), detector, ecod::aggregation::pyod, ecod::ecdf_mode::inductive,
                 out.view());
    space::finish(res);
  }
  state.counters["values/s"] = benchmark::Counter(double((n + m) * d), benchmark::Counter::kIsIterationInvariantRate);
}
// detector: 0 ECOD, 1 COPOD
TAMIS_BENCHMARK_SPACES(BM_ecod_fit_score, ->Args({50000, 64, 0})->Args({50000, 64, 1})->Args({6435, 36, 0})
                                            ->Args({6435, 36, 1})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
