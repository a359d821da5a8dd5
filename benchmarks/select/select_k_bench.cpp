// Row-wise top-k over a dense matrix: memory-bound, so report GB/s of values read.
#include "common.hpp"
#include "tamis/select/select_k.hpp"

namespace {

template <typename Space>
void BM_select_k(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), m = state.range(1), k = state.range(2);
  tamis::resources res;
  auto vals = tamis::bench::random_matrix<Space>(res, n, m, 3);
  auto ov = space::template matrix<float>(res, n, k);
  auto oi = space::template matrix<int64_t>(res, n, k);
  for (auto _ : state) {
    tamis::select::select_k(res, vals.view(), {}, ov.view(), oi.view(), true);
    space::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * n * m * static_cast<int64_t>(sizeof(float)));
}
TAMIS_BENCHMARK_SPACES(BM_select_k, ->Args({1000, 100000, 10})->Args({1000, 100000, 1000})->Args({10, 1000000, 10000})
                                      ->Args({1, 4000000, 100})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
