// Lloyd iterations of k-means at the shape (100,000 × 128, 256 clusters), timed per
// iteration: init="array" from fixed centres, tol = 0, so every run does exactly max_iter steps.
#include "common.hpp"
#include "tamis/cluster/kmeans.hpp"

namespace {

void BM_kmeans_iteration(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1), k = state.range(2);
  const int iters = 5;
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> init(x.begin(), x.begin() + k * d), centres(static_cast<size_t>(k * d));
  std::vector<int64_t> labels(static_cast<size_t>(n));
  tamis::cluster::kmeans::params p;
  p.n_clusters = k;
  p.max_iter = iters;
  p.tol = 0;
  p.init = tamis::cluster::kmeans::init_method::array;
  p.batch_rows = state.range(3);
  tamis::resources res;
  for (auto _ : state) {
    centres = init;
    auto r = tamis::cluster::kmeans::fit(res, p, tamis::make_host_matrix_view<const float>(x.data(), n, d),
                                         tamis::make_host_matrix_view(centres.data(), k, d),
                                         tamis::make_host_vector_view(labels.data(), n));
    benchmark::DoNotOptimize(r);
  }
  // max_iter Lloyd steps plus the final assignment pass.
  state.counters["passes"] = iters + 1;  // time per Lloyd step = Time / passes
  tamis::bench::report_flops(state, 2.0 * n * k * d * (iters + 1));
}
BENCHMARK(BM_kmeans_iteration)->Args({100000, 128, 256, 0})->Args({100000, 128, 256, 32768})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
