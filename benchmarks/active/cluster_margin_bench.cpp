// Cluster-Margin's per-round step on a 1,000,000-row pool with 10,000 clusters: top k_m = 100,000
// margin scores, then the round-robin to a budget of 10,000 (the paper's large-batch regime).
#include <random>

#include "common.hpp"
#include "tamis/active/cluster_margin.hpp"

namespace {

template <typename Space>
void BM_cluster_margin(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), n_clusters = state.range(1), km = state.range(2), budget = state.range(3);
  tamis::resources res;
  std::mt19937 gen(4);
  std::uniform_real_distribution<float> unit;
  std::uniform_int_distribution<int64_t> cluster(0, n_clusters - 1);
  std::vector<float> host_scores(static_cast<size_t>(n));
  std::vector<int64_t> host_clusters(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    host_scores[i] = unit(gen);
    host_clusters[i] = cluster(gen);
  }
  auto scores = tamis::bench::to_space<Space>(res, host_scores);
  auto clusters = tamis::bench::to_space<Space>(res, host_clusters);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::cluster_margin::select(res, scores.view(), clusters.view(), {}, km, 0, idx.view(), gains.view());
    space::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * n * static_cast<int64_t>(sizeof(float) + sizeof(int64_t)));
}
TAMIS_BENCHMARK_SPACES(BM_cluster_margin, ->Args({1000000, 10000, 100000, 10000})->Unit(benchmark::kMillisecond)
                                            ->UseRealTime());

}  // namespace
