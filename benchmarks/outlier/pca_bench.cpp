// PCA detector fit (column statistics through GEMM + a host eigensolve) and PyOD-style scores of
// the training rows, 50,000 × 64. PyOD runs side by side in benchmarks/compare/outlier_vs_pyod.py.
#include "common.hpp"
#include "tamis/outlier/pca.hpp"

namespace {

template <typename Space>
void BM_pca_fit_score(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  namespace pca = tamis::outlier::pca;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  auto mean = space::template vector<float>(res, d), scale = space::template vector<float>(res, d);
  auto var = space::template vector<float>(res, d), ratio = space::template vector<float>(res, d);
  auto comps = space::template matrix<float>(res, d, d);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    pca::fit(res, x.view(), true, mean.view(), scale.view(), comps.view(), var.view(), ratio.view());
    pca::scores(res, mean.view(), scale.view(), comps.view(), ratio.view(), x.view(), pca::score_kind::pyod,
                out.view());
    space::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * 2 * n * d * d);  // the scatter GEMM and the scoring GEMM
}
TAMIS_BENCHMARK_SPACES(BM_pca_fit_score, ->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
