#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "reference.hpp"
#include "tamis/neighbors/brute_force.hpp"
#include "tamis/neighbors/faiss_index.hpp"

namespace {

using tamis::distance_metric;
using tamis::resources;

struct search_result {
  std::vector<float> d;
  std::vector<int64_t> i;
};

search_result exact(resources const& res, std::vector<float> const& db, int64_t m, std::vector<float> const& q,
                    int64_t n, int64_t dim, int64_t k, distance_metric metric)
{
  search_result r{std::vector<float>(n * k), std::vector<int64_t>(n * k)};
  tamis::neighbors::brute_force::knn(res, tamis::make_host_matrix_view<const float>(db.data(), m, dim),
                                     tamis::make_host_matrix_view<const float>(q.data(), n, dim), metric, false,
                                     tamis::make_host_matrix_view(r.d.data(), n, k),
                                     tamis::make_host_matrix_view(r.i.data(), n, k));
  return r;
}

search_result search(resources const& res, tamis::neighbors::faiss_index const& index, std::vector<float> const& q,
                     int64_t n, int64_t k)
{
  search_result r{std::vector<float>(n * k), std::vector<int64_t>(n * k)};
  index.search(res, tamis::make_host_matrix_view<const float>(q.data(), n, index.dim()),
               tamis::make_host_matrix_view(r.d.data(), n, k), tamis::make_host_matrix_view(r.i.data(), n, k));
  return r;
}

double recall(search_result const& got, search_result const& truth, int64_t n, int64_t k)
{
  int64_t hits = 0;
  for (int64_t r = 0; r < n; ++r) {
    std::set<int64_t> want(truth.i.begin() + r * k, truth.i.begin() + (r + 1) * k);
    for (int64_t j = 0; j < k; ++j) hits += want.count(got.i[r * k + j]);
  }
  return double(hits) / double(n * k);
}

TEST(FaissIndex, FlatEqualsBruteForceForEveryMetric)
{
  resources res;
  const int64_t m = 2000, n = 50, dim = 16, k = 10;
  auto db = tamis::test::random_matrix<float>(m, dim, 1);
  auto q = tamis::test::random_matrix<float>(n, dim, 2);
  for (auto metric : {distance_metric::sqeuclidean, distance_metric::euclidean, distance_metric::inner_product,
                      distance_metric::cosine}) {
    tamis::neighbors::faiss_index index(res, dim, "Flat", metric);
    index.add(res, tamis::make_host_matrix_view<const float>(db.data(), m, dim));
    EXPECT_EQ(index.size(), m);
    auto got = search(res, index, q, n, k);
    auto truth = exact(res, db, m, q, n, dim, k, metric);
    EXPECT_GE(recall(got, truth, n, k), 0.99) << tamis::to_string(metric);
    for (int64_t i = 0; i < n * k; ++i) EXPECT_NEAR(got.d[i], truth.d[i], 1e-3 * (1 + std::abs(truth.d[i])));
  }
}

TEST(FaissIndex, IvfWithAllListsProbedIsExactAndHnswHasHighRecall)
{
  resources res;
  const int64_t m = 5000, n = 100, dim = 24, k = 10;
  auto db = tamis::test::random_matrix<float>(m, dim, 3);
  auto q = tamis::test::random_matrix<float>(n, dim, 4);
  auto truth = exact(res, db, m, q, n, dim, k, distance_metric::sqeuclidean);
  auto dbv = tamis::make_host_matrix_view<const float>(db.data(), m, dim);

  tamis::neighbors::faiss_index ivf(res, dim, "IVF32,Flat");
  EXPECT_FALSE(ivf.is_trained());
  ivf.train(res, dbv);
  ivf.add(res, dbv);
  ivf.set_search_parameter("nprobe", 32);
  EXPECT_GE(recall(search(res, ivf, q, n, k), truth, n, k), 0.99);

  tamis::neighbors::faiss_index hnsw(res, dim, "HNSW32");
  hnsw.add(res, dbv);
  hnsw.set_search_parameter("efSearch", 128);
  EXPECT_GE(recall(search(res, hnsw, q, n, k), truth, n, k), 0.9);

  tamis::neighbors::faiss_index pq(res, dim, "IVF16,PQ8");
  pq.train(res, dbv);
  pq.add(res, dbv);
  pq.set_search_parameter("nprobe", 16);
  EXPECT_GE(recall(search(res, pq, q, n, k), truth, n, k), 0.3);  // lossy codes, still far above chance
}

TEST(FaissIndex, ErrorsAreTamisErrors)
{
  resources res;
  EXPECT_THROW(tamis::neighbors::faiss_index(res, 8, "NoSuchIndex"), tamis::logic_error);
  tamis::neighbors::faiss_index ivf(res, 8, "IVF4,Flat");
  std::vector<float> x(80, 0.5f), d(10);
  std::vector<int64_t> i(10);
  EXPECT_THROW(ivf.add(res, tamis::make_host_matrix_view<const float>(x.data(), 10, 8)), tamis::logic_error);
  tamis::neighbors::faiss_index flat(res, 8, "Flat");
  EXPECT_THROW(flat.search(res, tamis::make_host_matrix_view<const float>(x.data(), 1, 8),
                           tamis::make_host_matrix_view(d.data(), 1, 1), tamis::make_host_matrix_view(i.data(), 1, 1)),
               tamis::logic_error);
  EXPECT_THROW(flat.add(res, tamis::make_host_matrix_view<const float>(x.data(), 8, 10)), tamis::logic_error);
}

}  // namespace
