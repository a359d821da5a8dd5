#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/isolation_forest.hpp"

namespace {

namespace iforest = tamis::outlier::isolation_forest;

template <typename T>
class CudaIsolationForest : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaIsolationForest, Types);

/// Device fit → bit-identical forest to the host's (the same draws on the same gathered values);
/// device scores → the host's, within exp2's last bit.
TYPED_TEST(CudaIsolationForest, ForestAndScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 5000, d = 12, m = 3000;
  auto x = tamis::test::random_matrix<T>(n, d, 31);
  auto q = tamis::test::random_matrix<T>(m, d, 32);
  for (size_t workspace : {size_t{0}, size_t{1} << 20}) {  // 1 MiB: many chunks of trees
    iforest::params p;
    p.n_estimators = 60;
    p.max_samples = workspace ? 3000 : 256;
    p.max_features = 0.75;
    p.seed = 5;
    if (workspace) tamis::resource::set_workspace_limit(res, workspace);
    const auto s = iforest::make_forest_shape(p, n, d);
    const int64_t e = s.n_estimators, cap = s.node_capacity;

    std::vector<int64_t> h_feature(e * cap), h_left(e * cap);
    std::vector<T> h_value(e * cap), h_scores(m);
    iforest::fit(res, p, tamis::make_host_matrix_view<const T>(x.data(), n, d),
                 tamis::make_host_matrix_view(h_feature.data(), e, cap),
                 tamis::make_host_matrix_view(h_left.data(), e, cap),
                 tamis::make_host_matrix_view(h_value.data(), e, cap));
    iforest::forest_view<T, tamis::host_memory> hf{
      d, s.sample_size, tamis::make_host_matrix_view<const int64_t>(h_feature.data(), e, cap),
      tamis::make_host_matrix_view<const int64_t>(h_left.data(), e, cap),
      tamis::make_host_matrix_view<const T>(h_value.data(), e, cap)};
    iforest::scores(res, hf, tamis::make_host_matrix_view<const T>(q.data(), m, d),
                    tamis::make_host_vector_view(h_scores.data(), m));

    auto d_x = tamis::test::upload(res, x, n, d);
    auto d_q = tamis::test::upload(res, q, m, d);
    auto d_feature = tamis::make_device_matrix<int64_t>(res, e, cap);
    auto d_left = tamis::make_device_matrix<int64_t>(res, e, cap);
    auto d_value = tamis::make_device_matrix<T>(res, e, cap);
    iforest::fit(res, p, tamis::device_matrix_view<const T>(d_x.view()), d_feature.view(), d_left.view(),
                 d_value.view());
    EXPECT_EQ(tamis::test::download(res, d_feature), h_feature);
    EXPECT_EQ(tamis::test::download(res, d_left), h_left);
    EXPECT_EQ(tamis::test::download(res, d_value), h_value);

    iforest::forest_view<T, tamis::device_memory> df{d, s.sample_size,
                                                     tamis::device_matrix_view<const int64_t>(d_feature.view()),
                                                     tamis::device_matrix_view<const int64_t>(d_left.view()),
                                                     tamis::device_matrix_view<const T>(d_value.view())};
    auto d_scores = tamis::make_device_vector<T>(res, m);
    iforest::scores(res, df, tamis::device_matrix_view<const T>(d_q.view()), d_scores.view());
    tamis::test::expect_near_host(tamis::test::download(res, d_scores), h_scores,
                                  std::is_same_v<T, float> ? 1e-6 : 1e-14, "row ");
  }
}

TYPED_TEST(CudaIsolationForest, RejectsNonFiniteAndBrokenForestsOnDevice)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 100, d = 3;
  auto x = tamis::test::random_matrix<T>(n, d, 3);
  iforest::params p;
  p.n_estimators = 4;
  const auto s = iforest::make_forest_shape(p, n, d);
  auto d_feature = tamis::make_device_matrix<int64_t>(res, 4, s.node_capacity);
  auto d_left = tamis::make_device_matrix<int64_t>(res, 4, s.node_capacity);
  auto d_value = tamis::make_device_matrix<T>(res, 4, s.node_capacity);
  auto bad = x;
  bad[5] = std::numeric_limits<T>::quiet_NaN();
  auto d_bad = tamis::test::upload(res, bad, n, d);
  EXPECT_THROW(iforest::fit(res, p, tamis::device_matrix_view<const T>(d_bad.view()), d_feature.view(),
                            d_left.view(), d_value.view()),
               tamis::logic_error);
  auto d_x = tamis::test::upload(res, x, n, d);
  iforest::fit(res, p, tamis::device_matrix_view<const T>(d_x.view()), d_feature.view(), d_left.view(),
               d_value.view());
  auto feature = tamis::test::download(res, d_feature);
  feature[0] = d;  // a feature the data does not have
  auto d_broken = tamis::test::upload(res, feature, 4, s.node_capacity);
  iforest::forest_view<T, tamis::device_memory> df{d, s.sample_size,
                                                   tamis::device_matrix_view<const int64_t>(d_broken.view()),
                                                   tamis::device_matrix_view<const int64_t>(d_left.view()),
                                                   tamis::device_matrix_view<const T>(d_value.view())};
  auto out = tamis::make_device_vector<T>(res, n);
  EXPECT_THROW(iforest::scores(res, df, tamis::device_matrix_view<const T>(d_x.view()), out.view()),
               tamis::logic_error);
}

}  // namespace
