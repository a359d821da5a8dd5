// Logit OOD scores over a large batch: one streaming pass, so report GB/s of logits read.
#include "common.hpp"
#include "tamis/outlier/ood.hpp"

namespace {

template <typename Space>
void BM_logit_scores(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  const int64_t n = state.range(0), classes = state.range(1);
  const auto kind = static_cast<tamis::outlier::ood::logit_score>(state.range(2));
  tamis::resources res;
  auto logits = tamis::bench::random_matrix<Space>(res, n, classes, 4);
  auto out = tamis::bench::space<Space>::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::outlier::ood::logit_scores(res, logits.view(), kind, 1.f, out.view());
    tamis::bench::space<Space>::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * n * classes * static_cast<int64_t>(sizeof(float)));
}
// kind: 0 msp, 1 max_logit, 2 energy, 3 entropy
TAMIS_BENCHMARK_SPACES(BM_logit_scores, ->Args({1000000, 10, 2})->Args({100000, 1000, 0})->Args({100000, 1000, 2})
                                          ->Args({100000, 1000, 3})->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
