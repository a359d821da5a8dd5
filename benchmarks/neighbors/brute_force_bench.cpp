// Exact kNN at the shapes: 2,000 queries against 200,000 × 128, and the kNN graph of
// 50,000 × 128, k = 10. The anchor side (faiss-cpu) runs in benchmarks/compare/knn_vs_faiss.py.
#include "common.hpp"
#include "tamis/neighbors/brute_force.hpp"

namespace {

void BM_knn(benchmark::State& state)
{
  const int64_t m = state.range(0), n = state.range(1), d = state.range(2), k = state.range(3);
  auto db = tamis::bench::random_matrix(m, d, 1), q = tamis::bench::random_matrix(n, d, 2);
  std::vector<float> dist(static_cast<size_t>(n * k));
  std::vector<int64_t> idx(static_cast<size_t>(n * k));
  tamis::resources res;
  for (auto _ : state) {
    tamis::neighbors::brute_force::knn(res, tamis::make_host_matrix_view<const float>(db.data(), m, d),
                                       tamis::make_host_matrix_view<const float>(q.data(), n, d),
                                       tamis::distance_metric::sqeuclidean, false,
                                       tamis::make_host_matrix_view(dist.data(), n, k),
                                       tamis::make_host_matrix_view(idx.data(), n, k));
    benchmark::DoNotOptimize(idx.data());
  }
  tamis::bench::report_flops(state, 2.0 * n * m * d);
  state.counters["queries/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_knn)->Args({200000, 2000, 128, 10})->Args({200000, 2000, 128, 100})->Unit(benchmark::kMillisecond)
  ->UseRealTime();

void BM_knn_graph(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  auto x = tamis::bench::random_matrix(n, d, 3);
  std::vector<float> dist(static_cast<size_t>(n * k));
  std::vector<int64_t> idx(static_cast<size_t>(n * k));
  tamis::resources res;
  for (auto _ : state) {
    tamis::neighbors::brute_force::knn_graph(res, tamis::make_host_matrix_view<const float>(x.data(), n, d),
                                             tamis::distance_metric::sqeuclidean,
                                             tamis::make_host_matrix_view(dist.data(), n, k),
                                             tamis::make_host_matrix_view(idx.data(), n, k));
    benchmark::DoNotOptimize(idx.data());
  }
  tamis::bench::report_flops(state, 2.0 * n * n * d);
}
BENCHMARK(BM_knn_graph)->Args({50000, 128, 10})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
