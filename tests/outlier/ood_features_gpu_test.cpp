// Feature-based OOD scorers: the CUDA backend against the host backend on the same inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/ood_features.hpp"

namespace {

namespace ood = tamis::outlier::ood;
using tamis::make_host_matrix_view;
using tamis::make_host_vector_view;

template <typename T>
double tolerance()
{
  return std::is_same_v<T, float> ? 1e-4 : 1e-10;
}

template <typename T>
std::vector<T> non_negative(std::vector<T> x)
{
  for (auto& v : x) v = std::abs(v);
  return x;
}

/// A host problem (non-negative features, a random head, labels) and its device copy.
template <typename T>
struct problem {
  int64_t n = 3000, d = 48, classes = 7;
  std::vector<T> z, w, b;
  std::vector<int64_t> labels;
  tamis::device_matrix<T> dz, dw;
  tamis::device_vector<T> db;
  tamis::device_vector<int64_t> dlabels;

  explicit problem(tamis::resources const& res)
    : z(non_negative(tamis::test::random_matrix<T>(n, d, 3))),
      w(tamis::test::random_matrix<T>(classes, d, 4)),
      b(tamis::test::random_matrix<T>(1, classes, 5)),
      labels(n),
      dz(tamis::test::upload(res, z, n, d)),
      dw(tamis::test::upload(res, w, classes, d)),
      db(tamis::make_device_vector<T>(res, classes)),
      dlabels(tamis::make_device_vector<int64_t>(res, n))
  {
    for (int64_t i = 0; i < n; ++i) labels[i] = (i * 5) % classes;
    tamis::copy_to_device(res, db.view(), b.data());
    tamis::copy_to_device(res, dlabels.view(), labels.data());
  }
  tamis::host_matrix_view<const T> hz() const { return make_host_matrix_view<const T>(z.data(), n, d); }
  tamis::host_matrix_view<const T> hw() const { return make_host_matrix_view<const T>(w.data(), classes, d); }
  tamis::host_vector_view<const T> hb() const { return make_host_vector_view<const T>(b.data(), classes); }
  tamis::device_matrix_view<const T> gz() const { return tamis::device_matrix_view<const T>(dz.view()); }
  tamis::device_matrix_view<const T> gw() const { return tamis::device_matrix_view<const T>(dw.view()); }
  tamis::device_vector_view<const T> gb() const { return tamis::device_vector_view<const T>(db.view()); }
};

template <typename T>
class CudaOodFeatures : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaOodFeatures, Types);

TYPED_TEST(CudaOodFeatures, ReactAndAshMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  problem<T> p(res);
  const T want_threshold = ood::react_threshold(res, p.hz(), 90.0);
  EXPECT_EQ(ood::react_threshold(res, p.gz(), 90.0), want_threshold);
  std::vector<T> want(p.n);
  auto got = tamis::make_device_vector<T>(res, p.n);
  ood::react_scores(res, p.hz(), p.hw(), p.hb(), want_threshold, T(1), make_host_vector_view(want.data(), p.n));
  ood::react_scores(res, p.gz(), p.gw(), p.gb(), want_threshold, T(1), got.view());
  tamis::test::expect_near_host(tamis::test::download(res, got), want, tolerance<T>(), "react row ");
  for (auto variant : {ood::ash_variant::prune, ood::ash_variant::binarize, ood::ash_variant::scale}) {
    ood::ash_scores(res, p.hz(), p.hw(), p.hb(), variant, 90.0, T(1), make_host_vector_view(want.data(), p.n));
    ood::ash_scores(res, p.gz(), p.gw(), p.gb(), variant, 90.0, T(1), got.view());
    tamis::test::expect_near_host(tamis::test::download(res, got), want, tolerance<T>(), "ash row ");
  }
}

TYPED_TEST(CudaOodFeatures, MahalanobisMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  problem<T> p(res);
  std::vector<T> means(p.classes * p.d), white(p.d * p.d), want(p.n);
  const int64_t rank = ood::mahalanobis_fit(res, p.hz(), make_host_vector_view<const int64_t>(p.labels.data(), p.n),
                                            make_host_matrix_view(means.data(), p.classes, p.d),
                                            make_host_matrix_view(white.data(), p.d, p.d));
  ood::mahalanobis_scores(res, p.hz(), make_host_matrix_view<const T>(means.data(), p.classes, p.d),
                          make_host_matrix_view<const T>(white.data(), p.d, p.d), make_host_vector_view(want.data(), p.n));
  auto dmeans = tamis::make_device_matrix<T>(res, p.classes, p.d);
  auto dwhite = tamis::make_device_matrix<T>(res, p.d, p.d);
  EXPECT_EQ(ood::mahalanobis_fit(res, p.gz(), tamis::device_vector_view<const int64_t>(p.dlabels.view()), dmeans.view(),
                                 dwhite.view()),
            rank);
  tamis::test::expect_near_host(tamis::test::download(res, dmeans), means, tolerance<T>(), "mean ");
  auto got = tamis::make_device_vector<T>(res, p.n);
  ood::mahalanobis_scores(res, p.gz(), tamis::device_matrix_view<const T>(dmeans.view()),
                          tamis::device_matrix_view<const T>(dwhite.view()), got.view());
  tamis::test::expect_near_host(tamis::test::download(res, got), want, 10 * tolerance<T>(), "row ");
}

TYPED_TEST(CudaOodFeatures, VimMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  problem<T> p(res);
  const int64_t dim = 24, r = p.d - dim;
  std::vector<T> origin(p.d), basis(r * p.d), want(p.n);
  const T alpha = ood::vim_fit(res, p.hz(), p.hw(), p.hb(), make_host_vector_view(origin.data(), p.d),
                               make_host_matrix_view(basis.data(), r, p.d));
  ood::vim_scores(res, p.hz(), p.hw(), p.hb(), make_host_vector_view<const T>(origin.data(), p.d),
                  make_host_matrix_view<const T>(basis.data(), r, p.d), alpha, make_host_vector_view(want.data(), p.n));
  auto dorigin = tamis::make_device_vector<T>(res, p.d);
  auto dbasis = tamis::make_device_matrix<T>(res, r, p.d);
  const T dalpha = ood::vim_fit(res, p.gz(), p.gw(), p.gb(), dorigin.view(), dbasis.view());
  EXPECT_NEAR(dalpha, alpha, 10 * tolerance<T>() * std::abs(alpha));
  tamis::test::expect_near_host(tamis::test::download(res, dorigin), origin, 10 * tolerance<T>(), "origin ");
  // Eigenvector signs are the solver's: compare the scores, which do not see them.
  auto got = tamis::make_device_vector<T>(res, p.n);
  ood::vim_scores(res, p.gz(), p.gw(), p.gb(), tamis::device_vector_view<const T>(dorigin.view()),
                  tamis::device_matrix_view<const T>(dbasis.view()), dalpha, got.view());
  tamis::test::expect_near_host(tamis::test::download(res, got), want, 10 * tolerance<T>(), "row ");
}

TYPED_TEST(CudaOodFeatures, KnnMatchesHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  problem<T> p(res);
  const int64_t banked = 2000, queries = p.n - banked, k = 50;
  std::vector<T> bank(banked * p.d), want(queries);
  ood::knn_ood_normalize(res, make_host_matrix_view<const T>(p.z.data(), banked, p.d),
                         make_host_matrix_view(bank.data(), banked, p.d));
  auto hq = make_host_matrix_view<const T>(p.z.data() + banked * p.d, queries, p.d);
  ood::knn_ood_scores(res, make_host_matrix_view<const T>(bank.data(), banked, p.d), hq, k,
                      make_host_vector_view(want.data(), queries));
  auto dbank = tamis::make_device_matrix<T>(res, banked, p.d);
  ood::knn_ood_normalize(res, tamis::device_matrix_view<const T>(p.dz.data(), banked, p.d), dbank.view());
  tamis::test::expect_near_host(tamis::test::download(res, dbank), bank, tolerance<T>(), "bank ");
  auto got = tamis::make_device_vector<T>(res, queries);
  ood::knn_ood_scores(res, tamis::device_matrix_view<const T>(dbank.view()),
                      tamis::device_matrix_view<const T>(p.dz.data() + banked * p.d, queries, p.d), k, got.view());
  tamis::test::expect_near_host(tamis::test::download(res, got), want, tolerance<T>(), "row ");
}

}  // namespace
