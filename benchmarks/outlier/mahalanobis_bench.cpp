// Mahalanobis detector: empirical fit (column statistics through GEMM + a host eigensolve) and
// scores of the training rows, and the robust MCD fit, at 50,000 × 64 and 5,000 × 16.
#include "common.hpp"
#include "tamis/outlier/mahalanobis.hpp"

namespace {

namespace mh = tamis::outlier::mahalanobis;

void BM_mahalanobis_empirical(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1);
  auto x = tamis::bench::random_matrix(n, d, 1);
  std::vector<float> mean(static_cast<size_t>(d)), m2(static_cast<size_t>(d * d)), cov(m2.size()), white(m2.size());
  std::vector<float> out(static_cast<size_t>(n));
  tamis::resources res;
  auto xv = tamis::make_host_matrix_view<const float>(x.data(), n, d);
  for (auto _ : state) {
    tamis::outlier::column_stats(res, xv, tamis::make_host_vector_view(mean.data(), d),
                                 tamis::make_host_matrix_view(m2.data(), d, d));
    mh::empirical_fit(res, n, tamis::make_host_matrix_view<const float>(m2.data(), d, d),
                      tamis::make_host_matrix_view(cov.data(), d, d), tamis::make_host_matrix_view(white.data(), d, d));
    mh::scores(res, tamis::make_host_vector_view<const float>(mean.data(), d),
               tamis::make_host_matrix_view<const float>(white.data(), d, d), xv,
               tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  tamis::bench::report_flops(state, 2.0 * 2 * n * d * d);
}
BENCHMARK(BM_mahalanobis_empirical)->Args({50000, 64})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_mcd_fit(benchmark::State& state)
{
  const int64_t n = state.range(0), d = state.range(1);
  auto x = tamis::bench::random_matrix(n, d, 2);
  std::vector<float> loc(static_cast<size_t>(d)), cov(static_cast<size_t>(d * d)), white(cov.size());
  std::vector<uint8_t> support(static_cast<size_t>(n));
  tamis::resources res;
  for (auto _ : state) {
    mh::mcd_fit(res, mh::mcd_params{}, tamis::make_host_matrix_view<const float>(x.data(), n, d),
                tamis::make_host_vector_view(loc.data(), d), tamis::make_host_matrix_view(cov.data(), d, d),
                tamis::make_host_matrix_view(white.data(), d, d), tamis::make_host_vector_view(support.data(), n));
    benchmark::DoNotOptimize(loc.data());
  }
}
BENCHMARK(BM_mcd_fit)->Args({5000, 16})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
