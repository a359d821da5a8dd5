// TypiClust: the selection on given clusters (n rows in equal shuffled clusters, one visit per
// cluster, so the per-cluster kNN is the work: 2 r² d flops per cluster of r rows), and the whole
// strategy with its k-means (the reference's 500 clusters).
#include "common.hpp"
#include "tamis/active/typiclust.hpp"

namespace {

template <typename Space>
void BM_typiclust_select(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), n_clusters = state.range(2), budget = state.range(3);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 3);
  std::vector<int64_t> host_ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) host_ids[i] = (i * 7919) % n_clusters;
  auto ids = tamis::bench::to_space<Space>(res, host_ids);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::typiclust::select(res, {}, x.view(), ids.view(), {}, idx.view(), gains.view());
    space::finish(res);
  }
  const double r = static_cast<double>(n) / n_clusters;
  tamis::bench::report_flops<Space>(state, 2.0 * r * r * d * std::min(budget, n_clusters));
}
TAMIS_BENCHMARK_SPACES(BM_typiclust_select, ->Args({100000, 128, 500, 500})->Args({100000, 128, 50, 50})
                                              ->Unit(benchmark::kMillisecond)->UseRealTime());

template <typename Space>
void BM_typiclust_with_kmeans(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), budget = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 4);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::typiclust::cluster_and_select(res, {}, x.view(), {}, idx.view(), gains.view());
    space::finish(res);
  }
}
TAMIS_BENCHMARK_SPACES(BM_typiclust_with_kmeans, ->Args({20000, 64, 500})->Iterations(1)
                                                   ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
