// Average-linkage HAC on squared L2 by the nearest-neighbour chain: exact on 4,096 and 16,384 rows,
// and 100,000 rows through 2,048 k-means micro-cluster leaves. Each chain step is one pass over the
// m × d leaf means (double), so bytes_per_second counts 3 m passes (about the number of chain steps)
// of m · d doubles: the rate to hold against the copy bandwidth of the space.
#include "common.hpp"
#include "tamis/cluster/average_linkage.hpp"

namespace {

template <typename Space>
void BM_average_linkage(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), leaves = state.range(2);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 3);
  auto labels = space::template vector<int64_t>(res, n);
  tamis::cluster::average_linkage::params p;
  p.n_clusters = 100;
  p.max_leaves = leaves;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tamis::cluster::average_linkage::fit(res, p, x.view(), labels.view()));
    space::finish(res);
  }
  const int64_t m = std::min(n, leaves);
  state.SetBytesProcessed(state.iterations() * 3 * m * m * d * static_cast<int64_t>(sizeof(double)));
}
TAMIS_BENCHMARK_SPACES(BM_average_linkage, ->Args({4096, 32, 4096})->Args({16384, 32, 16384})
                                             ->Args({100000, 64, 2048})->Iterations(1)->Unit(benchmark::kSecond)
                                             ->UseRealTime());

}  // namespace
