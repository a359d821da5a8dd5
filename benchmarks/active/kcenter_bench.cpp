// Greedy k-center: init against the labeled rows (exact kNN, k = 1) plus the picks (one fused
// distance + running-min pass and one arg-max each). Host at 100,000 × 128 (1,000 labeled, 100
// picks); the 1,000,000 × 128 (10,000 labeled, 1,000 picks) on the device only.
#include "common.hpp"
#include "tamis/active/kcenter.hpp"

namespace {

template <typename Space>
void BM_kcenter(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), d = state.range(1), labeled_rows = state.range(2), budget = state.range(3);
  tamis::resources res;
  auto x = tamis::bench::random_matrix<Space>(res, n, d, 6);
  std::vector<uint8_t> host_labeled(static_cast<size_t>(n));
  for (int64_t i = 0; i < labeled_rows; ++i) host_labeled[static_cast<size_t>(i * (n / labeled_rows))] = 1;
  auto labeled = tamis::bench::to_space<Space>(res, host_labeled);
  auto min_dist = space::template vector<float>(res, n);
  auto idx = space::template vector<int64_t>(res, budget);
  auto gains = space::template vector<float>(res, budget);
  for (auto _ : state) {
    tamis::active::kcenter::init(res, x.view(), labeled.view(), min_dist.view());
    tamis::active::kcenter::select(res, x.view(), min_dist.view(), idx.view(), gains.view());
    space::finish(res);
  }
  // Bytes of the pool read by the picks (the init is a GEMM of n × labeled × d).
  state.SetBytesProcessed(state.iterations() * budget * n * d * static_cast<int64_t>(sizeof(float)));
}
TAMIS_BENCHMARK_SPACES(BM_kcenter, ->Args({100000, 128, 1000, 100})->Unit(benchmark::kMillisecond)->UseRealTime());
#if TAMIS_HAS_CUDA
BENCHMARK_TEMPLATE(BM_kcenter, tamis::device_memory)->Args({1000000, 128, 10000, 1000})->Iterations(1)
  ->Unit(benchmark::kSecond)->UseRealTime();
#endif

}  // namespace
