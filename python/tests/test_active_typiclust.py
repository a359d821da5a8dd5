"""tamis.active TypiClust: picks and typicalities against a NumPy transcription of the reference loop
(avihu111/TypiClust deep-al/pycls/al/typiclust.py) on fixed clusters, the k-means path against tamis's
own k-means, the visiting order's properties, exhaustion and argument checks."""

import numpy as np
import pytest

from tamis import _core, active
from tamis.cluster import KMeans

from _helpers import as_mask, with_nan

DTYPES = [np.float32, np.float64]
RTOL = {np.float32: 1e-5, np.float64: 1e-9}


def blobs(rng, n, d, n_blobs, dtype):
    """Gaussian blobs of uneven sizes (a blob id is the product of two uniform draws, scaled), and the ids."""
    ids = rng.integers(0, n_blobs, n) * rng.integers(0, n_blobs, n) // (n_blobs - 1)
    centres = 6 * rng.normal(size=(n_blobs, d))
    return (centres[ids] + rng.normal(size=(n, d))).astype(dtype), ids


def reference(x, clusters, mask, budget, min_cluster_size=5, k=20):
    """The reference's selection in float64, with tamis's documented choices where it would fail: an
    exhausted cluster is skipped, a lone row is taken with typicality 0."""
    x = x.astype(np.float64)
    ids, sizes = np.unique(clusters, return_counts=True)
    known = np.array([mask[clusters == c].sum() for c in ids])
    keep = sizes > min_cluster_size
    ids, sizes, known = ids[keep], sizes[keep], known[keep]
    order = ids[np.lexsort((ids, -sizes, known))]  # last key first: labeled ascending, then size descending
    labels = np.where(mask, np.iinfo(np.int64).min, clusters)  # the reference sets labeled rows to −1
    picks, gains, nxt = [], [], 0
    while len(picks) < budget:
        for step in range(len(order)):
            c = (nxt + step) % len(order)
            members = np.flatnonzero(labels == order[c])
            if members.size:
                break
        else:
            raise AssertionError("exhausted")
        nxt = c + 1
        kk = min(k, members.size // 2)
        if kk == 0:
            best, typ = 0, 0.0
        else:
            rows = x[members]
            d2 = ((rows[:, None, :] - rows[None, :, :]) ** 2).sum(axis=2)
            mean = np.sort(d2, axis=1)[:, 1:kk + 1].mean(axis=1)  # search K + 1, drop the first (the row)
            typicality = 1 / (mean + 1e-5)
            best = int(np.argmax(typicality))
            typ = typicality[best]
        picks.append(members[best])
        gains.append(typ)
        labels[members[best]] = np.iinfo(np.int64).min
    return np.array(picks, np.int64), np.array(gains)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize(
    "n, d, n_blobs, budget, min_size, k",
    [(60, 2, 3, 5, 5, 20), (400, 5, 12, 10, 5, 20), (400, 5, 12, 40, 5, 3), (300, 3, 8, 25, 0, 1),
     (500, 8, 20, 60, 10, 50)],
)
def test_picks_match_the_reference(dtype, form, n, d, n_blobs, budget, min_size, k):
    rng = np.random.default_rng(n + d + budget)
    x, ids = blobs(rng, n, d, n_blobs, dtype)
    labeled_rows = rng.choice(n, size=n // 8, replace=False)
    labeled = {"none": None, "mask": as_mask(labeled_rows, n),
               "indices": np.concatenate([labeled_rows, labeled_rows[:3]])}[form]
    clusters = 7 * ids - 100  # any integer labels: only their order matters
    before = x.copy()
    idx, gains = active.typiclust(x, budget, labeled=labeled, clusters=clusters, min_cluster_size=min_size, k=k)
    assert type(idx) is np.ndarray and idx.dtype == np.int64 and idx.shape == (budget,)
    assert gains.dtype == dtype and gains.shape == (budget,)
    want, want_gains = reference(x, ids, as_mask(labeled, n), budget, min_size, k)
    np.testing.assert_array_equal(idx, want)
    np.testing.assert_allclose(gains, want_gains, rtol=RTOL[dtype])
    np.testing.assert_array_equal(x, before)


def test_one_pick_per_cluster_never_a_labeled_row_nor_a_small_cluster():
    rng = np.random.default_rng(1)
    x, ids = blobs(rng, 800, 4, 16, np.float64)
    labeled = rng.choice(800, size=100, replace=False)
    sizes = np.bincount(ids)
    eligible = np.flatnonzero(sizes > 5)
    idx, gains = active.typiclust(x, len(eligible), labeled=labeled, clusters=ids)
    assert sorted(ids[idx]) == sorted(eligible)
    assert not np.isin(idx, labeled).any()
    assert np.all(gains > 0)
    # The visiting order: labeled rows per cluster ascending, then sizes descending.
    known = np.bincount(ids[labeled], minlength=len(sizes))[ids[idx]]
    assert list(zip(known, -sizes[ids[idx]])) == sorted(zip(known, -sizes[ids[idx]]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_kmeans_path_runs_on_tamis_kmeans(dtype):
    rng = np.random.default_rng(2)
    x, _ = blobs(rng, 600, 6, 10, dtype)
    labeled = rng.choice(600, size=30, replace=False)
    for n_clusters, max_clusters, seed in [(None, 500, 0), (None, 12, 3), (25, 500, 7)]:
        idx, gains = active.typiclust(x, 10, labeled=labeled, n_clusters=n_clusters, max_clusters=max_clusters,
                                      seed=seed)
        k = n_clusters if n_clusters is not None else min(30 + 10, max_clusters)
        ids = KMeans(n_clusters=k, max_iter=300, seed=seed).fit(x).labels_
        want, want_gains = active.typiclust(x, 10, labeled=labeled, clusters=ids)
        np.testing.assert_array_equal(idx, want)
        np.testing.assert_array_equal(gains, want_gains)
        assert not np.isin(idx, labeled).any()


def test_ties_go_to_the_lowest_row_and_cycles_skip_exhausted_clusters():
    # Rows 2 and 6 coincide at the centre of one cluster: the first visit takes row 2, the next row 6.
    x = np.array([[1, 0], [-1, 0], [0, 0], [0, 1], [0, -1], [2, 2], [0, 0], [-2, -2]], np.float64)
    idx, _ = active.typiclust(x, 2, clusters=np.zeros(8, np.int64))
    np.testing.assert_array_equal(idx, [2, 6])
    # Cluster 0: 8 rows, row 3 labeled; cluster 1: 6 rows. Visits alternate 1, 0 until cluster 1 is dry.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(14, 2))
    ids = np.repeat([0, 1], [8, 6])
    idx, gains = active.typiclust(x, 13, labeled=[3], clusters=ids)
    np.testing.assert_array_equal(ids[idx], [1, 0] * 6 + [0])
    np.testing.assert_array_equal(idx, reference(x, ids, as_mask([3], 14), 13)[0])
    assert gains[10] == 0 and gains[12] == 0 and gains[11] > 0  # a cluster's last row has no neighbour
    # With min_cluster_size 6 only cluster 0 is visited: 7 unlabeled rows.
    with pytest.raises(ValueError, match="only 7 picks were possible"):
        active.typiclust(x, 8, labeled=[3], clusters=ids, min_cluster_size=6)


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor
    x, ids = blobs(np.random.default_rng(4), 200, 3, 6, np.float32)
    idx, gains = active.typiclust(FakeTensor(x), 5, labeled=FakeTensor(np.arange(4)), clusters=FakeTensor(ids))
    assert isinstance(idx, FakeTensor) and isinstance(gains, FakeTensor)
    want_idx, want_gains = active.typiclust(x, 5, labeled=np.arange(4), clusters=ids)
    np.testing.assert_array_equal(np.from_dlpack(idx), want_idx)
    np.testing.assert_array_equal(np.from_dlpack(gains), want_gains)


IDS = np.repeat([0, 1], [12, 8])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: active.typiclust(x, 0), ValueError, "budget"),
        (lambda x: active.typiclust(x, 21), ValueError, "budget"),
        (lambda x: active.typiclust(x, 18, labeled=[0, 1, 2]), ValueError, "budget.*17 unlabeled of 20"),
        (lambda x: active.typiclust(x, 2.0), ValueError, "budget"),
        (lambda x: active.typiclust(x, 2, k=0), ValueError, "k: must be"),
        (lambda x: active.typiclust(x, 2, min_cluster_size=-1), ValueError, "min_cluster_size"),
        (lambda x: active.typiclust(x, 2, max_clusters=0), ValueError, "max_clusters"),
        (lambda x: active.typiclust(x, 2, n_clusters=21), ValueError, "n_clusters"),
        (lambda x: active.typiclust(x, 2, n_clusters=0), ValueError, "n_clusters"),
        (lambda x: active.typiclust(x, 2, seed=-1), ValueError, "seed"),
        (lambda x: active.typiclust(x, 2, n_clusters=2, clusters=IDS), ValueError, "either clusters or n_clusters"),
        (lambda x: active.typiclust(x, 2, clusters=IDS[:19]), ValueError, r"clusters: expected one label per row"),
        (lambda x: active.typiclust(x, 2, clusters=IDS.astype(float)), TypeError, "clusters: expected integer"),
        (lambda x: active.typiclust(x, 2, clusters=IDS, min_cluster_size=12), ValueError,
         "clusters: none has more than min_cluster_size = 12"),
        (lambda x: active.typiclust(x, 2, n_clusters=20), ValueError, "clusters: none has more than"),
        (lambda x: active.typiclust(with_nan(x), 2), ValueError, "embeddings.*NaN"),
        (lambda x: active.typiclust(np.where(x > 0.5, np.inf, x), 2), ValueError, "embeddings.*infinite"),
        (lambda x: active.typiclust(x, 2, labeled=np.zeros(19, bool)), ValueError, "one entry per row"),
        (lambda x: active.typiclust(x, 2, labeled=[3, 20]), ValueError, r"\[0, 19\]"),
        (lambda x: active.typiclust(x[:, 0].copy(), 2), ValueError, "embeddings.*2-D"),
        (lambda x: active.typiclust(x[:0], 1), ValueError, "empty"),
        (lambda x: active.typiclust(x[:, ::2], 2), ValueError, "contiguous"),
        (lambda x: active.typiclust(x.astype(np.float16), 2), TypeError, "embeddings"),
        (lambda x: active.typiclust(x.astype(np.int64), 2), TypeError, "embeddings"),
    ],
)
def test_bad_input(call, error, match):
    x = np.random.default_rng(5).normal(size=(20, 4))
    with pytest.raises(error, match=match):
        call(x)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    x = np.random.default_rng(6).normal(size=(20, 3))
    mask = (np.arange(20) % 4 == 0).astype(np.uint8)
    with pytest.raises(ValueError, match="budget"):
        _core.active.typiclust_select(x, IDS, mask, 16, 5, 20)
    with pytest.raises(ValueError, match="budget"):
        _core.active.typiclust_select(x, IDS, None, -1, 5, 20)
    with pytest.raises(ValueError, match="clusters: id 20 of row 0"):
        _core.active.typiclust_select(x, IDS + 20, None, 1, 5, 20)
    with pytest.raises(ValueError, match="clusters: expected length 20"):
        _core.active.typiclust_select(x, IDS[:5], None, 1, 5, 20)
    with pytest.raises(ValueError, match="labeled"):
        _core.active.typiclust_select(x, IDS, mask[:4], 1, 5, 20)
    with pytest.raises(ValueError, match="k: must be"):
        _core.active.typiclust_select(x, IDS, None, 1, 5, 0)
    with pytest.raises(ValueError, match="n_clusters"):
        _core.active.typiclust_cluster_select(x, None, 1, 21, 5, 20, 0)
    with pytest.raises(TypeError):  # noconvert: int32 ids would need a converted copy
        _core.active.typiclust_select(x, IDS.astype(np.int32), None, 1, 5, 20)
    idx, gains = _core.active.typiclust_select(x, IDS, mask, 3, 5, 20)
    np.testing.assert_array_equal(idx, reference(x, IDS, mask.astype(bool), 3)[0])


def test_visits_the_clusters_scikit_activeml_visits():
    # Where the definitions coincide on the order (no labeled row, distinct cluster sizes, all above 10 rows),
    # scikit-activeml's TypiClust visits the same clusters in the same order; inside a cluster it ranks by plain
    # L2 (tamis and the reference: squared), so only the cluster of each pick is compared.
    pool = pytest.importorskip("skactiveml.pool")

    class GivenLabels:
        def __init__(self, n_clusters=8, labels=None):
            self.n_clusters, self.labels = n_clusters, labels

        def fit_predict(self, X, y=None):
            return self.labels

    rng = np.random.default_rng(7)
    ids = rng.permutation(np.repeat(np.arange(12), 11 + 3 * np.arange(12)))
    x = (4 * rng.normal(size=(12, 6)))[ids] + rng.normal(size=(len(ids), 6))
    idx, _ = active.typiclust(x, 12, clusters=ids, k=5)
    qs = pool.TypiClust(random_state=0, cluster_algo=GivenLabels, cluster_algo_dict={"labels": ids})
    theirs = qs.query(x, np.full(len(ids), np.nan), batch_size=12)
    np.testing.assert_array_equal(ids[idx], ids[theirs])
    np.testing.assert_array_equal(ids[idx], np.arange(12)[::-1])  # largest first
