// PCA detector fit (column statistics through GEMM + a host eigensolve) and PyOD-style scores of
// the training rows, 50,000 × 64. PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/pca.hpp"

namespace {

void BM_pca_fit_score(benchmark::State& state)
{
  namespace pca = tamis::outlier::pca;
  const int64_t n = state.range(0), d = state.range(1);
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> mean(static_cast<size_t>(d)), scale(mean.size()), comps(static_cast<size_t>(d * d));
  std::vector<float> var(mean.size()), ratio(mean.size()), out(static_cast<size_t>(n));
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  for (auto _ : state) {
    pca::fit(res, xv, true, tamis::make_host_vector_view(mean.data(), d), tamis::make_host_vector_view(scale.data(), d),
             tamis::make_host_matrix_view(comps.data(), d, d), tamis::make_host_vector_view(var.data(), d),
             tamis::make_host_vector_view(ratio.data(), d));
    pca::scores(res, tamis::make_host_vector_view<const float>(mean.data(), d),
                tamis::make_host_vector_view<const float>(scale.data(), d),
                tamis::make_host_matrix_view<const float>(comps.data(), d, d),
                tamis::make_host_vector_view<const float>(ratio.data(), d), xv, pca::score_kind::pyod,
                tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  tamis::bench::report_flops(state, 2.0 * 2 * n * d * d);  // the scatter GEMM and the scoring GEMM
}
BENCHMARK(BM_pca_fit_score)->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
