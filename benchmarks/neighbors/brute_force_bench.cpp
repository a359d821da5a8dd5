// Exact kNN at the shapes: 2,000 queries against 200,000 × 128, and the kNN graph of
// 50,000 × 128, k = 10. The anchor side (faiss-cpu) runs in benchmarks/compare/knn_vs_faiss.py.
#include "common.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace {

template <typename Space>
void BM_knn(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t m = state.range(0), n = state.range(1), d = state.range(2), k = state.range(3);
  tamis::resources res;
  auto db = tamis::bench::random_matrix<Space>(res, m, d, 1), q = tamis::bench::random_matrix<Space>(res, n, d, 2);
  auto dist = space::template matrix<float>(res, n, k);
  auto idx = space::template matrix<int64_t>(res, n, k);
  for (auto _ : state) {
    tamis::neighbors::brute_force::knn(res, db.view(), q.view(), tamis::distance_metric::sqeuclidean, false,
                                       dist.view(), idx.view());
    space::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * n * m * d);
  state.counters["queries/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}
TAMIS_BENCHMARK_SPACES(BM_knn, ->Args({200000, 2000, 128, 10})->Args({200000, 2000, 128, 100})
                                 ->Unit(benchmark::kMillisecond)->UseRealTime());

template <typename Space>
void BM_knn_graph(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 3);
  auto dist = space::template matrix<float>(res, n, k);
  auto idx = space::template matrix<int64_t>(res, n, k);
  for (auto _ : state) {
    tamis::neighbors::brute_force::knn_graph(res, x.view(), tamis::distance_metric::sqeuclidean, dist.view(),
                                             idx.view());
    space::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * n * n * d);
}
TAMIS_BENCHMARK_SPACES(BM_knn_graph, ->Args({50000, 128, 10})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
