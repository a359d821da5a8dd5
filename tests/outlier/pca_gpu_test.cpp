#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/pca.hpp"

namespace {

namespace pca = tamis::outlier::pca;
using tamis::device_matrix_view;
using tamis::device_vector_view;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

template <typename T>
class CudaPca : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaPca, Types);

TYPED_TEST(CudaPca, FitAndScoresMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-10;
  tamis::resources res;
  const int64_t n = 70000, d = 24, m = 3000;
  auto x = tamis::test::random_matrix<T>(n, d, 1);
  for (int64_t i = 0; i < n; ++i)  // distinct variances, so the components are well defined
    for (int64_t j = 0; j < d; ++j) x[i * d + j] = static_cast<T>(x[i * d + j] * (1 + 0.3 * j) + x[i * d] * 0.5 + 3 * j);
  auto q = tamis::test::random_matrix<T>(m, d, 2);
  std::vector<T> mean(d), scale(d), comp(d * d), ev(d), evr(d);
  pca::fit(res, make_host_matrix_view<const T>(x.data(), n, d), true, make_host_vector_view(mean.data(), d),
           make_host_vector_view(scale.data(), d), make_host_matrix_view(comp.data(), d, d),
           make_host_vector_view(ev.data(), d), make_host_vector_view(evr.data(), d));

  auto dx = tamis::test::upload(res, x, n, d);
  auto dq = tamis::test::upload(res, q, m, d);
  auto dmean = tamis::make_device_vector<T>(res, d);
  auto dscale = tamis::make_device_vector<T>(res, d);
  auto dcomp = tamis::make_device_matrix<T>(res, d, d);
  auto dev = tamis::make_device_vector<T>(res, d);
  auto devr = tamis::make_device_vector<T>(res, d);
  pca::fit(res, device_matrix_view<const T>(dx.view()), true, dmean.view(), dscale.view(), dcomp.view(), dev.view(),
           devr.view());
  tamis::test::expect_near_host(tamis::test::download(res, dmean), mean, tol, "mean ");
  tamis::test::expect_near_host(tamis::test::download(res, dscale), scale, tol, "scale ");
  tamis::test::expect_near_host(tamis::test::download(res, dcomp), comp, 100 * tol, "component entry ");
  tamis::test::expect_near_host(tamis::test::download(res, devr), evr, tol, "ratio ");

  for (auto kind : {pca::score_kind::pyod, pca::score_kind::reconstruction}) {
    const int64_t k = kind == pca::score_kind::pyod ? d : 5;
    std::vector<T> want(m);
    pca::scores(res, make_host_vector_view<const T>(mean.data(), d), make_host_vector_view<const T>(scale.data(), d),
                make_host_matrix_view<const T>(comp.data(), k, d), make_host_vector_view<const T>(evr.data(), k),
                make_host_matrix_view<const T>(q.data(), m, d), kind, make_host_vector_view(want.data(), m));
    // The device scores the host's fitted state, so only the scoring path is compared.
    auto hcomp = tamis::test::upload(res, comp, d, d);
    auto hw = tamis::test::upload(res, evr, 1, d);
    auto hmean = tamis::test::upload(res, mean, 1, d);
    auto hscale = tamis::test::upload(res, scale, 1, d);
    auto out = tamis::make_device_vector<T>(res, m);
    pca::scores(res, device_vector_view<const T>(hmean.data(), d), device_vector_view<const T>(hscale.data(), d),
                device_matrix_view<const T>(hcomp.data(), k, d), device_vector_view<const T>(hw.data(), k),
                device_matrix_view<const T>(dq.view()), kind, out.view());
    tamis::test::expect_near_host(tamis::test::download(res, out), want, 10 * tol, "score ");
  }
}

}  // namespace
