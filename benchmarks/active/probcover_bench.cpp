// ProbCover: init (the labeled rows' balls, then every row's degree against the uncovered rows) plus
// the picks (the pick's ball, then the pool against the rows it covers). Unit-norm rows around 300
// modes, δ = 0.5, labeled rows spread evenly. GFLOP/s counts the GEMM work of the pairs compared,
// 2·d per pair: n · (labeled + uncovered) at init and n · (1 + gain) per pick.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common.hpp"
#include "tamis/active/probcover.hpp"

namespace {

/// Unit-norm rows: 10 classes of 30 modes each, modes N(class centre, 0.6²/d), rows N(mode, 0.25²/d),
/// then normalised (benchmarks/compare/probcover_vs_skactiveml.py's pool), so δ = 0.5 holds about a mode.
std::vector<float> mode_rows(int64_t n, int64_t d, uint32_t seed)
{
  const int64_t classes = 10, modes = classes * 30;
  auto centres = tamis::bench::random_matrix(classes, d, seed);
  auto mode_noise = tamis::bench::random_matrix(modes, d, seed + 1);
  auto noise = tamis::bench::random_matrix(n, d, seed + 2);
  std::vector<double> mode(static_cast<size_t>(modes * d));
  for (int64_t m = 0; m < modes; ++m) {
    const float* c = centres.data() + (m % classes) * d;
    double norm = 0;
    for (int64_t j = 0; j < d; ++j) norm += double(c[j]) * c[j];
    for (int64_t j = 0; j < d; ++j) {
      mode[m * d + j] = c[j] / std::sqrt(norm) + 0.6 * mode_noise[m * d + j] / std::sqrt(d);
    }
  }
  std::vector<float> x(static_cast<size_t>(n * d));
  for (int64_t i = 0; i < n; ++i) {
    const double* m = mode.data() + (i * 7919 % modes) * d;
    double norm = 0;
    for (int64_t j = 0; j < d; ++j) norm += std::pow(m[j] + 0.25 * noise[i * d + j] / std::sqrt(d), 2);
    for (int64_t j = 0; j < d; ++j) {
      x[i * d + j] = static_cast<float>((m[j] + 0.25 * noise[i * d + j] / std::sqrt(d)) / std::sqrt(norm));
    }
  }
  return x;
}

template <typename Space>
void BM_probcover(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), labeled_rows = state.range(2), budget = state.range(3);
  const float delta = 0.5f;
  tamis::resources res;
  auto host_x = mode_rows(n, d, 8);
  auto x = tamis::bench::to_space<Space>(res, host_x, n, d);
  std::vector<uint8_t> host_labeled(static_cast<size_t>(n));
  for (int64_t i = 0; i < labeled_rows; ++i) host_labeled[static_cast<size_t>(i * (n / labeled_rows))] = 1;
  auto labeled = tamis::bench::to_space<Space>(res, host_labeled);
  auto status = space::template vector<uint8_t>(res, n);
  auto degree = space::template vector<int64_t>(res, n);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<int64_t>(res, budget);
  auto cx = tamis::matrix_view<const float, Space>(x.view());
  auto cl = tamis::vector_view<const uint8_t, Space>(labeled.view());
  for (auto _ : state) {
    tamis::active::probcover::init(res, cx, cl, delta, status.view(), degree.view());
    tamis::active::probcover::select(res, cx, delta, status.view(), degree.view(), idx.view(), gains.view());
    space::finish(res);
  }
  // The pairs compared: the state is rebuilt to count the uncovered rows the init compared with.
  tamis::active::probcover::init(res, cx, cl, delta, status.view(), degree.view());
  const auto host_status = space::download(res, status.view());
  const auto host_gains = space::download(res, gains.view());
  const double uncovered = static_cast<double>(std::count(host_status.begin(), host_status.end(), uint8_t{0}));
  const double gained = static_cast<double>(std::accumulate(host_gains.begin(), host_gains.end(), int64_t{0}));
  const double pairs = double(n) * (labeled_rows + uncovered + budget + gained);
  tamis::bench::report_flops<Space>(state, 2.0 * d * pairs);
  state.counters["covered_by_picks"] = gained;
  state.counters["uncovered_at_init"] = uncovered;
}
TAMIS_BENCHMARK_SPACES(BM_probcover, ->Args({20000, 64, 100, 100})->Args({50000, 128, 500, 200})
                                          ->Unit(benchmark::kMillisecond)->UseRealTime());
#if TAMIS_HAS_CUDA
BENCHMARK_TEMPLATE(BM_probcover, tamis::device_memory)->Args({1000000, 128, 10000, 1000})->Iterations(1)
  ->Unit(benchmark::kSecond)->UseRealTime();
#endif

}  // namespace
