// The column-major distance tiles a GPU folds (Backend::column_major_tiles), run here on the host
// backend with that layout forced on: the same neighbours and distances as the row-major tiles,
// across several tiles, every metric, with and without the query itself excluded. Small integer
// entries make every dot product exact, so both layouts see identical keys and ties.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tamis/neighbors/brute_force.hpp"
#include "tamis/core/detail/host_backend.hpp"
#include "tamis/neighbors/detail/brute_force-inl.hpp"

namespace {

std::vector<float> small_integers(int64_t rows, int64_t cols, uint32_t seed)
{
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> value(-3, 3);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = static_cast<float>(value(gen));
  return x;
}

struct column_major_host_backend : tamis::detail::host_backend {
  static constexpr bool column_major_tiles = true;
};

TEST(TileLayout, ColumnMajorTilesGiveTheRowMajorResult)
{
  const int64_t n = 700, m = 9000, d = 12, k = 6;  // several row and column tiles (1,024 × 4,096)
  auto db = small_integers(m, d, 5), q = small_integers(n, d, 6);
  tamis::resources res;
  for (auto metric : {tamis::distance_metric::sqeuclidean, tamis::distance_metric::euclidean,
                      tamis::distance_metric::inner_product, tamis::distance_metric::cosine}) {
    for (bool self : {false, true}) {
      const int64_t rows = self ? m : n;
      const float* queries = self ? db.data() : q.data();
      std::vector<float> want_d(static_cast<size_t>(rows * k)), got_d(want_d.size());
      std::vector<int64_t> want_i(want_d.size()), got_i(want_d.size());
      auto dbv = tamis::make_host_matrix_view<const float>(db.data(), m, d);
      auto qv = tamis::make_host_matrix_view<const float>(queries, rows, d);
      tamis::neighbors::detail::knn<tamis::detail::host_backend, float>(
        res, dbv, qv, metric, self, tamis::make_host_matrix_view(want_d.data(), rows, k),
        tamis::make_host_matrix_view(want_i.data(), rows, k));
      tamis::neighbors::detail::knn<column_major_host_backend, float>(
        res, dbv, qv, metric, self, tamis::make_host_matrix_view(got_d.data(), rows, k),
        tamis::make_host_matrix_view(got_i.data(), rows, k));
      EXPECT_EQ(got_i, want_i) << "metric " << static_cast<int>(metric) << " self " << self;
      EXPECT_EQ(got_d, want_d) << "metric " << static_cast<int>(metric) << " self " << self;
    }
  }
}

}  // namespace
