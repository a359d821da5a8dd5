// Isolation forest fit (100 trees, ψ = 256) and scoring of the training rows at the shape,
// 50,000 × 64. scikit-learn runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/isolation_forest.hpp"

namespace {

namespace iforest = tamis::outlier::isolation_forest;

void BM_isolation_forest_fit_score(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1);
  auto x = tamis::bench::random_matrix(n, d, 1);
  iforest::params p;
  auto shape = iforest::make_forest_shape(p, n, d);
  const auto nodes = static_cast<size_t>(shape.n_estimators * shape.node_capacity);
  std::vector<int64_t> feature(nodes), left(nodes);
  std::vector<float> value(nodes), out(static_cast<size_t>(n));
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  for (auto _ : state) {
    iforest::fit(res, p, xv, tamis::make_host_matrix_view(feature.data(), shape.n_estimators, shape.node_capacity),
                 tamis::make_host_matrix_view(left.data(), shape.n_estimators, shape.node_capacity),
                 tamis::make_host_matrix_view(value.data(), shape.n_estimators, shape.node_capacity));
    iforest::forest_view<float, tamis::host_memory> forest{
      d, shape.sample_size,
      tamis::make_host_matrix_view<const int64_t>(feature.data(), shape.n_estimators, shape.node_capacity),
      tamis::make_host_matrix_view<const int64_t>(left.data(), shape.n_estimators, shape.node_capacity),
      tamis::make_host_matrix_view<const float>(value.data(), shape.n_estimators, shape.node_capacity)};
    iforest::scores(res, forest, xv, tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["row-trees/s"] =
    benchmark::Counter(double(n) * double(shape.n_estimators), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_isolation_forest_fit_score)->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
