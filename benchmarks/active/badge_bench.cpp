// BADGE seeding (factorised gradient-embedding distances): 100,000 rows, C = 100, d = 512 as in the
// issue; budget 100 on the host, the 1,000 on the device.
#include "common.hpp"
#include "tamis/active/badge.hpp"

namespace {

template <typename Space>
void BM_badge(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), classes = state.range(1), d = state.range(2), budget = state.range(3);
  tamis::resources res;
  auto probs = tamis::bench::to_space<Space>(res, tamis::bench::softmax_rows(n, classes, 8), n, classes);
  auto features = tamis::bench::random_matrix<Space>(res, n, d, 9);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::badge::select(res, probs.view(), features.view(), {}, 0, idx.view(), gains.view());
    space::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * budget * n * (classes + d) * static_cast<int64_t>(sizeof(float)));
}
TAMIS_BENCHMARK_SPACES(BM_badge, ->Args({100000, 100, 512, 100})->Unit(benchmark::kMillisecond)->UseRealTime());
#if TAMIS_HAS_CUDA
BENCHMARK_TEMPLATE(BM_badge, tamis::device_memory)->Args({100000, 100, 512, 1000})->Iterations(1)
  ->Unit(benchmark::kSecond)->UseRealTime();
#endif

}  // namespace
