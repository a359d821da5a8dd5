// Isolation forest fit (100 trees, ψ = 256) and scoring of the training rows at the shapes, 50,000 ×
// 64 and 6,435 × 36 (satellite's). scikit-learn runs side by side in benchmarks/compare/outlier_vs_pyod.py
// (host) and benchmarks/compare/gpu_vs_anchors.py (device).
#include "common.hpp"
#include "tamis/outlier/isolation_forest.hpp"

namespace {

namespace iforest = tamis::outlier::isolation_forest;

template <typename Space>
void BM_isolation_forest_fit_score(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  iforest::params p;
  auto shape = iforest::make_forest_shape(p, n, d);
  auto feature = space::template matrix<int64_t>(res, shape.n_estimators, shape.node_capacity);
  auto left = space::template matrix<int64_t>(res, shape.n_estimators, shape.node_capacity);
  auto value = space::template matrix<float>(res, shape.n_estimators, shape.node_capacity);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    iforest::fit(res, p, x.view(), feature.view(), left.view(), value.view());
    iforest::forest_view<float, Space> forest{d, shape.sample_size, feature.view(), left.view(), value.view()};
    iforest::scores(res, forest, x.view(), out.view());
    space::finish(res);
  }
  state.counters["row-trees/s"] =
    benchmark::Counter(double(n) * double(shape.n_estimators), benchmark::Counter::kIsIterationInvariantRate);
}
TAMIS_BENCHMARK_SPACES(BM_isolation_forest_fit_score,
                       ->Args({50000, 64})->Args({6435, 36})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
