#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "device_helpers.hpp"
#include "tamis/active/scores.hpp"

namespace {

namespace active = tamis::active;

template <typename T>
class CudaActiveScores : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaActiveScores, Types);

/// n × (members · classes) random probability vectors.
template <typename T>
std::vector<T> distributions(int64_t vectors, int64_t classes, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::exponential_distribution<double> gamma1;
  std::vector<T> p(static_cast<size_t>(vectors * classes));
  for (int64_t v = 0; v < vectors; ++v) {
    double total = 0;
    std::vector<double> w(static_cast<size_t>(classes));
    for (auto& x : w) total += (x = gamma1(gen));
    for (int64_t c = 0; c < classes; ++c) p[v * classes + c] = static_cast<T>(w[c] / total);
  }
  return p;
}

TYPED_TEST(CudaActiveScores, EveryKindMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 2000, members = 12, classes = 7;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  auto probs = distributions<T>(n * members, classes, 4);
  auto d_probs = tamis::test::upload(res, probs, n, members * classes);
  auto d_single = tamis::test::upload(res, probs, n * members, classes);
  auto host = tamis::make_host_matrix_view<const T>(probs.data(), n, members * classes);
  auto host_single = tamis::make_host_matrix_view<const T>(probs.data(), n * members, classes);
  for (auto kind : {active::uncertainty::least_confidence, active::uncertainty::margin, active::uncertainty::ratio,
                    active::uncertainty::entropy}) {
    std::vector<T> want(static_cast<size_t>(n * members));
    active::uncertainty_scores(res, host_single, kind, tamis::make_host_vector_view(want.data(), n * members));
    auto got = tamis::make_device_vector<T>(res, n * members);
    active::uncertainty_scores(res, tamis::device_matrix_view<const T>(d_single.view()), kind, got.view());
    tamis::test::expect_near_host(tamis::test::download(res, got), want, tol, "uncertainty row ");
  }
  for (auto kind : {active::ensemble::consensus_entropy, active::ensemble::vote_entropy, active::ensemble::kl_max,
                    active::ensemble::kl_mean, active::ensemble::bald, active::ensemble::variation_ratio,
                    active::ensemble::vote_variation_ratio, active::ensemble::mean_std}) {
    std::vector<T> want(static_cast<size_t>(n));
    active::ensemble_scores(res, host, members, kind, tamis::make_host_vector_view(want.data(), n));
    auto got = tamis::make_device_vector<T>(res, n);
    active::ensemble_scores(res, tamis::device_matrix_view<const T>(d_probs.view()), members, kind, got.view());
    tamis::test::expect_near_host(tamis::test::download(res, got), want, tol, "ensemble row ");
  }
}

TEST(CudaActiveScores, RejectsNonDistributions)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  std::vector<float> probs{0.5f, 0.4f, 0.25f, 0.75f};
  auto d = tamis::test::upload(res, probs, 2, 2);
  auto out = tamis::make_device_vector<float>(res, 2);
  EXPECT_THROW(active::uncertainty_scores(res, tamis::device_matrix_view<const float>(d.view()),
                                          active::uncertainty::entropy, out.view()),
               tamis::logic_error);
}

}  // namespace
