// The KNN detector at the shape: training scores of 50,000 × 64 (k = 5), i.e. the kNN graph
// plus exact distance refinement. PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/knn.hpp"

namespace {

void BM_knn_train_scores(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> out(static_cast<size_t>(n));
  tamis::resources res;
  for (auto _ : state) {
    tamis::outlier::knn_train_scores(res, tamis::make_host_matrix_view<const float>(x.data(), n, d), k,
                                     tamis::outlier::knn_method::largest, tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  tamis::bench::report_flops(state, 2.0 * n * n * d);
}
BENCHMARK(BM_knn_train_scores)->Args({50000, 64, 5})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
