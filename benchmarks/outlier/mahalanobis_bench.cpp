// Mahalanobis detector: empirical fit (column statistics through GEMM + a host eigensolve) and
// scores of the training rows, and the robust MCD fit, at 50,000 × 64 and 5,000 × 16.
#include "common.hpp"
#include "tamis/outlier/mahalanobis.hpp"

namespace {

namespace mh = tamis::outlier::mahalanobis;

template <typename Space>
void BM_mahalanobis_empirical(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 1);
  auto mean = space::template vector<float>(res, d);
  auto m2 = space::template matrix<float>(res, d, d), cov = space::template matrix<float>(res, d, d);
  auto white = space::template matrix<float>(res, d, d);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::outlier::column_stats(res, x.view(), mean.view(), m2.view());
    mh::empirical_fit(res, n, m2.view(), cov.view(), white.view());
    mh::scores(res, mean.view(), white.view(), x.view(), out.view());
    space::finish(res);
  }
  tamis::bench::report_flops<Space>(state, 2.0 * 2 * n * d * d);
}
TAMIS_BENCHMARK_SPACES(BM_mahalanobis_empirical, ->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime());

template <typename Space>
void BM_mcd_fit(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 2);
  auto loc = space::template vector<float>(res, d);
  auto cov = space::template matrix<float>(res, d, d), white = space::template matrix<float>(res, d, d);
  auto support = space::template vector<uint8_t>(res, n);
  for (auto _ : state) {
    auto r = mh::mcd_fit(res, mh::mcd_params{}, x.view(), loc.view(), cov.view(), white.view(), support.view());
    space::finish(res);
    benchmark::DoNotOptimize(r);
  }
}
TAMIS_BENCHMARK_SPACES(BM_mcd_fit, ->Args({5000, 16})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
