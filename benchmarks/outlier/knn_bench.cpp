// The KNN detector at the shapes: training scores of 50,000 × 64 and 6,435 × 36 (satellite's shape),
// k = 5, i.e. the kNN graph plus exact distance refinement. PyOD runs side by side in
// benchmarks/compare/outlier_vs_pyod.py (host) and benchmarks/compare/gpu_vs_anchors.py (device).
#include "common.hpp"
#include "tamis/outlier/knn.hpp"

namespace {

template <typename Space>
void BM_knn_train_scores(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  auto out = tamis::bench::space<Space>::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::outlier::knn_train_scores(res, x.view(), k, tamis::outlier::knn_method::largest, out.view());
    tamis::bench::space<Space>::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * n * n * d);
}
TAMIS_BENCHMARK_SPACES(BM_knn_train_scores, ->Args({50000, 64, 5})->Args({6435, 36, 5})
                                            ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
