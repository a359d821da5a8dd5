// Mines a pool of embeddings the way a training pipeline would: the 5 nearest pool rows of each
// "failure" embedding, then k-means over the pool to spread a labeling batch over clusters.
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
  bool found = neighbours[0] == 10 && neighbours[k] == 20 && neighbours[2 * k] == 30;
  std::printf("%s\n", found ? "ok: every failure found its source row first" : "FAILED: a source row was missed");
  return found ? 0 : 1;
}
