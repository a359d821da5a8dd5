// Batch selection over a 1,000,000-row pool with 10 % labeled: top-b, stochastic top-b (Gumbel
// keys, then the top-k of one long row) and the uniform batch, budget 1,000.
#include "common.hpp"
#include "tamis/active/select.hpp"

namespace {

template <typename Space>
void BM_select(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), budget = state.range(1);
  const int mode = static_cast<int>(state.range(2));  // -2: random_b, -1: top_b, else a sampling mode
  tamis::resources res;
  auto host_scores = tamis::bench::random_matrix(1, n, 5);
  std::vector<uint8_t> host_labeled(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    host_scores[i] = std::abs(host_scores[i]);  // power sampling needs scores >= 0
    host_labeled[i] = i % 10 == 0;
  }
  auto scores = tamis::bench::to_space<Space>(res, host_scores);
  auto labeled = tamis::bench::to_space<Space>(res, host_labeled);
  auto idx = space::template vector<int64_t>(res, budget);
  auto picked = space::template vector<float>(res, budget);
  auto keys = space::template vector<double>(res, budget);
  for (auto _ : state) {
    if (mode == -2) {
      tamis::active::random_b(res, n, labeled.view(), 0, idx.view(), keys.view());
    } else if (mode == -1) {
      tamis::active::top_b(res, scores.view(), labeled.view(), idx.view(), picked.view());
    } else {
      tamis::active::stochastic_top_b(res, scores.view(), labeled.view(), static_cast<tamis::active::sampling>(mode),
                                      1.0, 0, idx.view(), picked.view());
    }
    space::finish(res);
  }
  state.counters["rows/s"] = benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}
// mode: -2 random_b, -1 top_b, 0 power, 1 softmax, 2 softrank
TAMIS_BENCHMARK_SPACES(BM_select, ->Args({1000000, 1000, -2})->Args({1000000, 1000, -1})->Args({1000000, 1000, 0})->Args({1000000, 1000, 2})
                                    ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
