// Mines a pool of embeddings the way a training pipeline would: the 5 nearest pool rows of each
// "failure" embedding, k-means over the pool to spread a labeling batch over clusters, and the
// pool's most anomalous rows by LOF.
#include <cstdio>
#include <random>
#include <vector>

#include <tamis/tamis.hpp>

int main()
{
  const int64_t pool = 20000, dim = 64, failures = 3, k = 5, clusters = 16;
  std::mt19937 gen(0);
  std::normal_distribution<float> normal;
  std::vector<float> embeddings(pool * dim), queries(failures * dim);
  for (auto& v : embeddings) v = normal(gen);
  for (int64_t q = 0; q < failures; ++q)  // failures look like pool rows 10, 20, 30 plus noise
    for (int64_t j = 0; j < dim; ++j) queries[q * dim + j] = embeddings[(q + 1) * 10 * dim + j] + 0.01f * normal(gen);

  tamis::resources res;
  std::vector<float> distances(failures * k);
  std::vector<int64_t> neighbours(failures * k);
  tamis::neighbors::brute_force::knn(res, tamis::make_host_matrix_view<const float>(embeddings.data(), pool, dim),
                                     tamis::make_host_matrix_view<const float>(queries.data(), failures, dim),
                                     tamis::distance_metric::cosine, false,
                                     tamis::make_host_matrix_view(distances.data(), failures, k),
                                     tamis::make_host_matrix_view(neighbours.data(), failures, k));
  for (int64_t q = 0; q < failures; ++q) {
    std::printf("failure %lld: nearest pool rows", static_cast<long long>(q));
    for (int64_t j = 0; j < k; ++j) std::printf(" %lld (%.3f)", static_cast<long long>(neighbours[q * k + j]), distances[q * k + j]);
    std::printf("\n");
  }

  tamis::cluster::kmeans::params params;
  params.n_clusters = clusters;
  params.seed = 42;
  std::vector<float> centres(clusters * dim);
  std::vector<int64_t> labels(pool);
  auto fit = tamis::cluster::kmeans::fit(res, params, tamis::make_host_matrix_view<const float>(embeddings.data(), pool, dim),
                                         tamis::make_host_matrix_view(centres.data(), clusters, dim),
                                         tamis::make_host_vector_view(labels.data(), pool));
  std::printf("k-means: %lld clusters, inertia %.1f after %d iterations\n", static_cast<long long>(clusters),
              fit.inertia, fit.n_iter);
  // Row 7 is pushed far from the cloud: LOF (k = 20) must rank it first.
  for (int64_t j = 0; j < dim; ++j) embeddings[7 * dim + j] += 25.f;
  std::vector<float> k_distance(pool), lrd(pool), lof(pool);
  tamis::outlier::lof_fit(res, tamis::make_host_matrix_view<const float>(embeddings.data(), pool, dim), 20,
                          tamis::make_host_vector_view(k_distance.data(), pool),
                          tamis::make_host_vector_view(lrd.data(), pool), tamis::make_host_vector_view(lof.data(), pool));
  int64_t top = 0;
  for (int64_t i = 1; i < pool; ++i) top = lof[i] > lof[top] ? i : top;
  std::printf("LOF: most anomalous pool row %lld (LOF %.2f)\n", static_cast<long long>(top), lof[top]);

  bool found = top == 7 && neighbours[0] == 10 && neighbours[k] == 20 && neighbours[2 * k] == 30;
  std::printf("%s\n", found ? "ok: every failure found its source row first" : "FAILED: a source row was missed");
  return found ? 0 : 1;
}
