"""tamis.cluster.average_linkage: the same flat partitions as SciPy's average linkage on squared L2 (fcluster,
"distance" and "maxclust") and scikit-learn's AgglomerativeClustering; micro-cluster leaves; argument checks."""

import numpy as np
import pytest

from tamis import cluster

scipy_hierarchy = pytest.importorskip("scipy.cluster.hierarchy")

DTYPES = [np.float32, np.float64]


@pytest.fixture
def rng(request):
    """A generator seeded by the test's name, so each case draws its own data, repeatably."""
    return np.random.default_rng(sum(map(ord, request.node.name)))


def canonical(labels):
    """Labels renumbered 0, 1, ... in order of each cluster's lowest row (tamis's numbering)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse.reshape(-1)]


def scipy_linkage(x):
    return scipy_hierarchy.linkage(x.astype(np.float64), method="average", metric="sqeuclidean")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n,d", [(40, 2), (150, 5), (301, 8)])
def test_maxclust_equals_scipy(rng, dtype, n, d):
    x = rng.normal(size=(n, d)).astype(dtype)
    z = scipy_linkage(x)
    for k in sorted({1, 2, 3, 7, n // 4, n - 1, n}):
        want = canonical(scipy_hierarchy.fcluster(z, k, criterion="maxclust"))
        got = cluster.average_linkage(x, n_clusters=k)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, want, err_msg=f"k={k}")


@pytest.mark.parametrize("n,d", [(60, 3), (200, 4)])
def test_distance_threshold_equals_scipy(rng, n, d):
    x = rng.normal(size=(n, d))
    z = scipy_linkage(x)
    heights = z[:, 2]
    for t in [0.0, *((heights[i] + heights[i + 1]) / 2 for i in (0, n // 3, n // 2, n - 3)), heights[-1] + 1]:
        want = canonical(scipy_hierarchy.fcluster(z, t, criterion="distance"))
        np.testing.assert_array_equal(cluster.average_linkage(x, distance_threshold=t), want, err_msg=f"t={t}")


def test_equals_sklearn_agglomerative(rng):
    # scikit-learn's average linkage on the precomputed squared distances: the same metric.
    sklearn_cluster = pytest.importorskip("sklearn.cluster")
    x = rng.normal(size=(120, 4))
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    for k in (2, 5, 20):
        want = sklearn_cluster.AgglomerativeClustering(n_clusters=k, linkage="average", metric="precomputed").fit(d2)
        np.testing.assert_array_equal(cluster.average_linkage(x, n_clusters=k), canonical(want.labels_))


def test_duplicates_and_one_row():
    x = np.array([[0.0, 0.0], [5.0, 5.0]] * 3)
    np.testing.assert_array_equal(cluster.average_linkage(x, n_clusters=2), [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(cluster.average_linkage(x, distance_threshold=0.0), [0, 1, 0, 1, 0, 1])
    np.testing.assert_array_equal(cluster.average_linkage(np.ones((1, 3)), n_clusters=1), [0])


def test_micro_cluster_leaves(rng):
    # Far-apart blobs: with 50 micro-clusters as leaves the 4-cluster cut still recovers them, repeatably.
    blob = rng.integers(0, 4, size=3000)
    x = rng.normal(size=(3000, 6)) + 50.0 * np.eye(6)[blob]
    got = cluster.average_linkage(x, n_clusters=4, max_leaves=50, seed=3)
    np.testing.assert_array_equal(got, canonical(blob))
    np.testing.assert_array_equal(cluster.average_linkage(x, n_clusters=4, max_leaves=50, seed=3), got)
    # Rows of one micro-cluster share a cluster, so fewer leaves never split finer than the leaves.
    fine = cluster.average_linkage(x, n_clusters=40, max_leaves=40, seed=1)
    assert fine.max() == 39


def test_rejects_bad_input(rng):
    x = rng.normal(size=(10, 2))
    with pytest.raises(ValueError, match="give exactly one"):
        cluster.average_linkage(x)
    with pytest.raises(ValueError, match="give exactly one"):
        cluster.average_linkage(x, n_clusters=2, distance_threshold=1.0)
    with pytest.raises(ValueError, match="n_clusters"):
        cluster.average_linkage(x, n_clusters=11)
    with pytest.raises(ValueError, match="n_clusters"):
        cluster.average_linkage(x, n_clusters=5, max_leaves=4)
    with pytest.raises(ValueError, match="distance_threshold"):
        cluster.average_linkage(x, distance_threshold=-1.0)
    with pytest.raises(ValueError, match="max_leaves"):
        cluster.average_linkage(x, n_clusters=2, max_leaves=0)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="X"):
        cluster.average_linkage(bad, n_clusters=2)
    with pytest.raises(TypeError):
        cluster.average_linkage(x.astype(np.int32), n_clusters=2)
    with pytest.raises(ValueError, match="2-D"):
        cluster.average_linkage(x[:, 0], n_clusters=2)
