// Backend-independent parts of k-means: merging partial sums and turning them into centres.
#include "tamis/cluster/kmeans.hpp"
#include "tamis/cluster/detail/kmeans-inl.hpp"

namespace tamis::cluster::kmeans {

void partial_sums::merge(partial_sums const& other)
{
  TAMIS_EXPECTS(other.n_clusters == n_clusters && other.n_features == n_features,
                "other: partial sums of %lld x %lld cannot merge into %lld x %lld",
                static_cast<long long>(other.n_clusters), static_cast<long long>(other.n_features),
                static_cast<long long>(n_clusters), static_cast<long long>(n_features));
  for (size_t i = 0; i < sums.size(); ++i) sums[i] += other.sums[i];
  for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  inertia += other.inertia;
}

template <typename T>
static void centroids_from_checked(partial_sums const& stats, bool spherical, host_matrix_view<T> centroids)
{
  tamis::detail::check_shape("centroids", centroids, stats.n_clusters, stats.n_features);
  detail::centres_from_sums(stats, spherical, centroids.ptr);
}

void centroids_from(partial_sums const& stats, bool spherical, host_matrix_view<float> centroids)
{
  centroids_from_checked(stats, spherical, centroids);
}
void centroids_from(partial_sums const& stats, bool spherical, host_matrix_view<double> centroids)
{
  centroids_from_checked(stats, spherical, centroids);
}

}  // namespace tamis::cluster::kmeans
