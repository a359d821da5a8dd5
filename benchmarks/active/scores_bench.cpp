// Active-learning scores over a large pool: one pass over the probabilities (uncertainty), or two
// (ensembles: the mean, then the score), so report GB/s of probabilities read.
#include "common.hpp"
#include "tamis/active/scores.hpp"

namespace {

template <typename Space>
void BM_uncertainty_scores(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), classes = state.range(1);
  const auto kind = static_cast<tamis::active::uncertainty>(state.range(2));
  tamis::resources res;
  auto probs = tamis::bench::to_space<Space>(res, tamis::bench::softmax_rows(n, classes, 7), n, classes);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::active::uncertainty_scores(res, probs.view(), kind, out.view());
    space::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * n * classes * static_cast<int64_t>(sizeof(float)));
}
// kind: 0 least_confidence, 1 margin, 2 ratio, 3 entropy
TAMIS_BENCHMARK_SPACES(BM_uncertainty_scores, ->Args({1000000, 10, 1})->Args({1000000, 10, 3})->Args({100000, 1000, 3})
                                                ->Unit(benchmark::kMillisecond)->UseRealTime());

template <typename Space>
void BM_ensemble_scores(benchmark::State& state)
{
  if (tamis::bench::skip_unless_available<Space>(state)) return;
  using space = tamis::bench::space<Space>;
  const int64_t n = state.range(0), members = state.range(1), classes = state.range(2);
  const auto kind = static_cast<tamis::active::ensemble>(state.range(3));
  tamis::resources res;
  auto probs =
    tamis::bench::to_space<Space>(res, tamis::bench::softmax_rows(n * members, classes, 7), n, members * classes);
  auto out = space::template vector<float>(res, n);
  for (auto _ : state) {
    tamis::active::ensemble_scores(res, probs.view(), members, kind, out.view());
    space::finish(res);
  }
  state.SetBytesProcessed(state.iterations() * n * members * classes * static_cast<int64_t>(sizeof(float)));
}
// kind: 4 bald, 2 kl_max, 1 vote_entropy
TAMIS_BENCHMARK_SPACES(BM_ensemble_scores, ->Args({100000, 20, 10, 4})->Args({100000, 20, 10, 2})
                                             ->Args({100000, 20, 10, 1})->Args({10000, 20, 1000, 4})
                                             ->Unit(benchmark::kMillisecond)->UseRealTime());

}  // namespace
