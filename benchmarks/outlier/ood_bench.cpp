// Logit OOD scores over a large batch: one streaming pass, so report GB/s of logits read.
#include "common.hpp"
#include "tamis/outlier/ood.hpp"

namespace {

void BM_logit_scores(benchmark::State& state)
{
  const int64_t n = state.range(0), classes = state.range(1);
  const auto kind = static_cast<tamis::outlier::ood::logit_score>(state.range(2));
  auto logits = tamis::bench::random_matrix(n, classes, 4);
  std::vector<float> out(static_cast<size_t>(n));
  tamis::resources res;
  for (auto _ : state) {
    tamis::outlier::ood::logit_scores(res, tamis::make_host_matrix_view<const float>(logits.data(), n, classes), kind,
                                      1.f, tamis::make_host_vector_view(out.data(), n));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * n * classes * static_cast<int64_t>(sizeof(float)));
}
// kind: 0 msp, 1 max_logit, 2 energy, 3 entropy
BENCHMARK(BM_logit_scores)->Args({1000000, 10, 2})->Args({100000, 1000, 0})->Args({100000, 1000, 2})
  ->Args({100000, 1000, 3})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
