// Lloyd iterations of k-means at the shape (100,000 × 128, 256 clusters), timed per
// iteration: init="array" from fixed centres, tol = 0, so every run does exactly max_iter steps.
#include "common.hpp"
#include "tamis/cluster/kmeans.hpp"

namespace {

template <typename Space>
void BM_kmeans_iteration(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  const int iters = 5;
  tamis::resources res;
  auto host_x = tamis::bench::random_matrix(n, d, 1);
  auto x = space::template matrix<float>(res, n, d);
  space::upload(res, x.view(), host_x.data());
  auto centres = space::template matrix<float>(res, k, d);
  auto labels = space::template vector<int64_t>(res, n);
  tamis::cluster::kmeans::params p;
  p.n_clusters = k;
  p.max_iter = iters;
  p.tol = 0;
  p.init = tamis::cluster::kmeans::init_method::array;
  p.batch_rows = state.range(3);
  for (auto _ : state) {
    space::upload(res, centres.view(), host_x.data());  // the first k rows
    auto r = tamis::cluster::kmeans::fit(res, p, x.view(), centres.view(), labels.view());
    space::finish(res);
    benchmark::DoNotOptimize(r);
  }
  // max_iter Lloyd steps plus the final assignment pass.
  state.counters["passes"] = iters + 1;  // time per Lloyd step = Time / passes
  tamis::bench::report_flops<Space>(state, 2.0 * n * k * d * (iters + 1));
}
TAMIS_BENCHMARK_SPACES(BM_kmeans_iteration, ->Args({100000, 128, 256, 0})->Args({100000, 128, 256, 32768})
                                              ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
