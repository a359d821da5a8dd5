#include <gtest/gtest.h>

#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/ood.hpp"

namespace {

namespace ood = tamis::outlier::ood;

template <typename T>
class CudaLogitScores : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaLogitScores, Types);

TYPED_TEST(CudaLogitScores, EveryKindMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 1000, classes = 37;
  auto logits = tamis::test::random_matrix<T>(n, classes, 9);
  auto d_logits = tamis::test::upload(res, logits, n, classes);
  for (auto kind : {ood::logit_score::msp, ood::logit_score::max_logit, ood::logit_score::energy,
                    ood::logit_score::entropy}) {
    std::vector<T> want(n);
    ood::logit_scores(res, tamis::make_host_matrix_view<const T>(logits.data(), n, classes), kind, T(2),
                      tamis::make_host_vector_view(want.data(), n));
    auto got = tamis::make_device_vector<T>(res, n);
    ood::logit_scores(res, tamis::device_matrix_view<const T>(d_logits.view()), kind, T(2), got.view());
    tamis::test::expect_near_host(tamis::test::download(res, got), want, std::is_same_v<T, float> ? 1e-5 : 1e-12,
                                  "row ");
  }
}

}  // namespace
