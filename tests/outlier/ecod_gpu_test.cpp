#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "device_helpers.hpp"
#include "reference.hpp"
#include "tamis/outlier/ecod.hpp"

namespace {

namespace ecod = tamis::outlier::ecod;

template <typename T>
class CudaEcod : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(CudaEcod, Types);

/// Training data with ties (rounded column) and a constant column; n spans several moment blocks.
template <typename T>
std::vector<T> awkward_matrix(int64_t n, int64_t d, uint32_t seed)
{
  auto x = tamis::test::random_matrix<T>(n, d, seed);
  for (int64_t i = 0; i < n; ++i) {
    x[i * d] = std::round(x[i * d] * 4);
    x[i * d + 1] = T(2);
  }
  return x;
}

TYPED_TEST(CudaEcod, SortAndMergeMatchHost)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n1 = 9000, n2 = 3000, d = 5;
  auto a = awkward_matrix<T>(n1, d, 1), b = awkward_matrix<T>(n2, d, 2);
  std::vector<T> want_a(n1 * d), want_b(n2 * d), want_merged((n1 + n2) * d);
  tamis::outlier::sort_columns(res, tamis::make_host_matrix_view<const T>(a.data(), n1, d),
                               tamis::make_host_matrix_view(want_a.data(), d, n1));
  tamis::outlier::sort_columns(res, tamis::make_host_matrix_view<const T>(b.data(), n2, d),
                               tamis::make_host_matrix_view(want_b.data(), d, n2));
  tamis::outlier::merge_sorted_columns(res, tamis::make_host_matrix_view<const T>(want_a.data(), d, n1),
                                       tamis::make_host_matrix_view<const T>(want_b.data(), d, n2),
                                       tamis::make_host_matrix_view(want_merged.data(), d, n1 + n2));
  auto d_a = tamis::test::upload(res, a, n1, d), d_b = tamis::test::upload(res, b, n2, d);
  auto s_a = tamis::make_device_matrix<T>(res, d, n1), s_b = tamis::make_device_matrix<T>(res, d, n2);
  auto merged = tamis::make_device_matrix<T>(res, d, n1 + n2);
  tamis::outlier::sort_columns(res, tamis::device_matrix_view<const T>(d_a.view()), s_a.view());
  tamis::outlier::sort_columns(res, tamis::device_matrix_view<const T>(d_b.view()), s_b.view());
  tamis::outlier::merge_sorted_columns(res, tamis::device_matrix_view<const T>(s_a.view()),
                                       tamis::device_matrix_view<const T>(s_b.view()), merged.view());
  EXPECT_EQ(tamis::test::download(res, s_a), want_a);
  EXPECT_EQ(tamis::test::download(res, merged), want_merged);
}

TYPED_TEST(CudaEcod, ScoresMatchHostInEveryMode)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 10000, m = 700, d = 7;
  auto train = awkward_matrix<T>(n, d, 3);
  auto x = tamis::test::random_matrix<T>(m, d, 4);
  std::vector<T> sorted(n * d);
  tamis::outlier::sort_columns(res, tamis::make_host_matrix_view<const T>(train.data(), n, d),
                               tamis::make_host_matrix_view(sorted.data(), d, n));
  auto hs = tamis::make_host_matrix_view<const T>(sorted.data(), d, n);
  auto d_sorted = tamis::test::upload(res, sorted, d, n);
  auto d_train = tamis::test::upload(res, train, n, d);
  auto d_x = tamis::test::upload(res, x, m, d);
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-12;
  for (auto kind : {ecod::detector::ecod, ecod::detector::copod}) {
    for (auto agg : {ecod::aggregation::pyod, ecod::aggregation::paper}) {
      std::vector<T> want_train(n);
      ecod::train_scores(res, hs, tamis::make_host_matrix_view<const T>(train.data(), n, d), kind, agg,
                         tamis::make_host_vector_view(want_train.data(), n));
      auto got_train = tamis::make_device_vector<T>(res, n);
      ecod::train_scores(res, tamis::device_matrix_view<const T>(d_sorted.view()),
                         tamis::device_matrix_view<const T>(d_train.view()), kind, agg, got_train.view());
      tamis::test::expect_near_host(tamis::test::download(res, got_train), want_train, tol, "train row ");
      for (auto mode : {ecod::ecdf_mode::inductive, ecod::ecdf_mode::transductive}) {
        std::vector<T> want(m);
        ecod::scores(res, hs, tamis::make_host_matrix_view<const T>(x.data(), m, d), kind, agg, mode,
                     tamis::make_host_vector_view(want.data(), m));
        auto got = tamis::make_device_vector<T>(res, m);
        ecod::scores(res, tamis::device_matrix_view<const T>(d_sorted.view()),
                     tamis::device_matrix_view<const T>(d_x.view()), kind, agg, mode, got.view());
        tamis::test::expect_near_host(tamis::test::download(res, got), want, tol, "row ");
      }
    }
  }
}

TYPED_TEST(CudaEcod, RejectsUnsortedColumnsAndAbsentTrainingRows)
{
  using T = TypeParam;
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 100, d = 3;
  auto x = tamis::test::random_matrix<T>(n, d, 5);
  auto d_x = tamis::test::upload(res, x, n, d);
  auto as_columns = tamis::test::upload(res, x, d, n);  // unsorted rows
  auto out = tamis::make_device_vector<T>(res, n);
  EXPECT_THROW(ecod::scores(res, tamis::device_matrix_view<const T>(as_columns.view()),
                            tamis::device_matrix_view<const T>(d_x.view()), ecod::detector::ecod,
                            ecod::aggregation::pyod, ecod::ecdf_mode::inductive, out.view()),
               tamis::logic_error);
  auto sorted = tamis::make_device_matrix<T>(res, d, n);
  tamis::outlier::sort_columns(res, tamis::device_matrix_view<const T>(d_x.view()), sorted.view());
  auto other = tamis::test::random_matrix<T>(n, d, 6);
  auto d_other = tamis::test::upload(res, other, n, d);
  EXPECT_THROW(ecod::train_scores(res, tamis::device_matrix_view<const T>(sorted.view()),
                                  tamis::device_matrix_view<const T>(d_other.view()), ecod::detector::ecod,
                                  ecod::aggregation::pyod, out.view()),
               tamis::logic_error);
}

}  // namespace
