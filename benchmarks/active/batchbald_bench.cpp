// BatchBALD greedy selection on N = 60,000 rows, K = 20 members, C = 10 classes, budget 10: the joint
// entropy is exact for the first picks, then sampled. Host with 1,000 configurations; the device
// with batchbald_redux's example 100,000. GFLOP/s counts the candidate-joint GEMMs only.
#include "common.hpp"
#include "tamis/active/batchbald.hpp"

namespace {

template <typename Space>
void BM_batchbald(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), members = state.range(1), classes = state.range(2), budget = state.range(3);
  const int64_t max_configurations = state.range(4);
  tamis::resources res;
  auto probs =
    tamis::bench::to_space<Space>(res, tamis::bench::softmax_rows(n * members, classes, 8), n, members * classes);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::batchbald::select(res, probs.view(), members, {}, max_configurations, 0, idx.view(), gains.view());
    space::finish(res);
  }
  // Configurations per step as select() walks them: C^picks while C^(picks + 1) fits, then K·⌊limit / K⌋.
  double flops = 0;
  for (int64_t step = 0, rows = 1, power = classes; step < budget; ++step) {
    rows = step == 0 ? 1 : power <= max_configurations ? rows * classes : members * (max_configurations / members);
    flops += 2.0 * n * classes * rows * members;
    power = power > max_configurations ? power : power * classes;
  }
  tamis::bench::report_flops<Space>(state, flops);
}
TAMIS_BENCHMARK_SPACES(BM_batchbald, ->Args({60000, 20, 10, 10, 1000})->Iterations(1)->Unit(benchmark::kSecond)
                                       ->UseRealTime());
#if TAMIS_HAS_CUDA
BENCHMARK_TEMPLATE(BM_batchbald, tamis::device_memory)->Args({60000, 20, 10, 10, 100000})->Iterations(1)
  ->Unit(benchmark::kSecond)->UseRealTime();
#endif

}  // namespace
