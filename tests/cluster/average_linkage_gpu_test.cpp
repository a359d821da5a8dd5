#include <gtest/gtest.h>

#include <vector>

#include "device_helpers.hpp"
#include "tamis/cluster/average_linkage.hpp"
#include "reference.hpp"

namespace {

namespace al = tamis::cluster::average_linkage;

/// Device labels and cluster count equal the host's, for exact leaves and for micro-cluster leaves.
TEST(CudaAverageLinkage, LabelsEqualTheHosts)
{
  TAMIS_REQUIRE_GPU();
  tamis::resources res;
  const int64_t n = 3000, d = 16;
  auto x = tamis::test::random_matrix<double>(n, d, 8);
  auto dx = tamis::test::upload(res, x, n, d);
  for (int64_t max_leaves : {n, int64_t{256}}) {
    al::params p;
    p.n_clusters = 25;
    p.max_leaves = max_leaves;
    std::vector<int64_t> want(static_cast<size_t>(n));
    const int64_t want_k = al::fit(res, p, tamis::make_host_matrix_view<const double>(x.data(), n, d),
                                   tamis::make_host_vector_view(want.data(), n));
    auto got = tamis::make_device_vector<int64_t>(res, n);
    const int64_t got_k = al::fit(res, p, tamis::device_matrix_view<const double>(dx.view()), got.view());
    EXPECT_EQ(got_k, want_k) << "max_leaves " << max_leaves;
    EXPECT_EQ(tamis::test::download(res, got), want) << "max_leaves " << max_leaves;
  }
}

}  // namespace
