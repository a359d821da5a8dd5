"""tamis.cluster against scikit-learn's KMeans and NumPy references."""

import pickle
from pathlib import Path

import numpy as np
import pytest

import tamis
from tamis import cluster

DTYPES = [np.float32, np.float64]
SEEDS = range(5)
SATELLITE = Path(__file__).parents[3] / "shared/data/odds/satellite.csv"


def load_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    return np.ascontiguousarray(datasets.load_digits().data, dtype=np.float64)


def load_satellite():
    if not SATELLITE.is_file():
        pytest.skip(f"ODDS satellite data not found at {SATELLITE}")
    # Header: feature_0..feature_35,label. The label column is not a feature.
    data = np.loadtxt(SATELLITE, delimiter=",", skiprows=1)
    assert data.shape[1] == 37
    return np.ascontiguousarray(data[:, :-1])


def sq_dists(x, centers):
    x = np.asarray(x, np.float64)
    c = np.asarray(centers, np.float64)
    return ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)


def blobs(rng, n=600, d=5, k=4, dtype=np.float64):
    centres = rng.uniform(-10, 10, size=(k, d))
    x = centres[rng.integers(0, k, n)] + rng.standard_normal((n, d))
    return np.ascontiguousarray(x, dtype=dtype)


# ---- quality against scikit-learn ----------------------------------------------------------------
def mean_inertias(x, k):
    sk_cluster = pytest.importorskip("sklearn.cluster")
    sk = [sk_cluster.KMeans(n_clusters=k, n_init=1, init="k-means++", random_state=s).fit(x).inertia_ for s in SEEDS]
    tm = [cluster.KMeans(n_clusters=k, seed=s).fit(x).inertia_ for s in SEEDS]
    return float(np.mean(tm)), float(np.mean(sk))


@pytest.mark.parametrize("dtype", DTYPES)
def test_inertia_matches_sklearn_on_digits(dtype):
    x = load_digits().astype(dtype)
    tm, sk = mean_inertias(x, 10)
    assert tm <= 1.01 * sk, f"tamis mean inertia {tm:.6g} vs scikit-learn {sk:.6g}"


def test_inertia_matches_sklearn_on_satellite():
    x = load_satellite()
    tm, sk = mean_inertias(x, 10)
    assert tm <= 1.01 * sk, f"tamis mean inertia {tm:.6g} vs scikit-learn {sk:.6g}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_given_init_follows_sklearn_lloyd(dtype):
    # From the same initial centres Lloyd's algorithm is deterministic: same centres and labels.
    sk_cluster = pytest.importorskip("sklearn.cluster")
    rng = np.random.default_rng(0)
    x = blobs(rng, dtype=dtype)
    init = x[rng.choice(len(x), 4, replace=False)].copy()
    ours = cluster.KMeans(n_clusters=4, init=init, max_iter=300).fit(x)
    ref = sk_cluster.KMeans(n_clusters=4, init=init, n_init=1, max_iter=300, algorithm="lloyd").fit(x)
    rtol = 1e-4 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=rtol, atol=rtol)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=rtol)


# ---- estimator behaviour --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_fit_attributes_and_predict(dtype, init):
    rng = np.random.default_rng(1)
    x = blobs(rng, dtype=dtype)
    km = cluster.KMeans(n_clusters=4, init=init, seed=3)
    assert km.fit(x) is km
    assert km.cluster_centers_.shape == (4, 5) and km.cluster_centers_.dtype == dtype
    assert km.labels_.shape == (600,) and km.labels_.dtype == np.int64
    assert 1 <= km.n_iter_ <= km.max_iter
    assert km.n_features_in_ == 5
    # Labels are the nearest centres, inertia is their squared distance sum.
    d = sq_dists(x, km.cluster_centers_)
    np.testing.assert_array_equal(km.labels_, np.argmin(d, axis=1))
    np.testing.assert_allclose(km.inertia_, d[np.arange(600), km.labels_].sum(), rtol=1e-5 if dtype == np.float32 else 1e-10)
    np.testing.assert_array_equal(km.predict(x), km.labels_)
    np.testing.assert_allclose(km.score(x), -km.inertia_, rtol=1e-5)
    # Centres are the means of their members.
    for c in range(4):
        np.testing.assert_allclose(km.cluster_centers_[c], x[km.labels_ == c].astype(np.float64).mean(0), rtol=1e-4, atol=1e-4)
    # fit_predict agrees with fit + labels_, and results are deterministic for a seed.
    np.testing.assert_array_equal(cluster.KMeans(n_clusters=4, init=init, seed=3).fit_predict(x), km.labels_)
    other = rng.standard_normal((20, 5)).astype(dtype)
    np.testing.assert_array_equal(km.predict(other), np.argmin(sq_dists(other, km.cluster_centers_), axis=1))


def test_predict_other_dtype_and_batches():
    rng = np.random.default_rng(2)
    x = blobs(rng)
    km = cluster.KMeans(n_clusters=4, seed=0).fit(x)
    np.testing.assert_array_equal(km.predict(x.astype(np.float32)), km.labels_)
    small = cluster.KMeans(n_clusters=4, seed=0, batch_rows=37).fit(x)
    np.testing.assert_array_equal(small.labels_, km.labels_)
    np.testing.assert_allclose(small.inertia_, km.inertia_, rtol=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_spherical_centres_have_unit_norm(dtype):
    rng = np.random.default_rng(5)
    x = blobs(rng, d=8, k=5, dtype=dtype)
    km = cluster.KMeans(n_clusters=5, spherical=True, seed=1).fit(x)
    np.testing.assert_allclose(np.linalg.norm(km.cluster_centers_.astype(np.float64), axis=1), 1.0, rtol=1e-5)
    unit = x.astype(np.float64) / np.linalg.norm(x.astype(np.float64), axis=1, keepdims=True)
    cos = unit @ km.cluster_centers_.astype(np.float64).T
    np.testing.assert_array_equal(km.labels_, np.argmax(cos, axis=1))
    np.testing.assert_allclose(km.inertia_, (1 - cos.max(axis=1)).sum(), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(km.predict(x), km.labels_)


def test_init_array():
    rng = np.random.default_rng(6)
    x = blobs(rng)
    init = x[:4].copy()
    km = cluster.KMeans(n_clusters=4, init=init, max_iter=1).fit(x)
    # One Lloyd step from `init`: the means of the rows nearest each initial centre.
    labels = np.argmin(sq_dists(x, init), axis=1)
    expected = np.stack([x[labels == c].mean(0) if np.any(labels == c) else init[c] for c in range(4)])
    np.testing.assert_allclose(km.cluster_centers_, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(init, x[:4])  # the init array is not modified
    # A float32 init with float64 data is accepted (centres are converted, not the data).
    cluster.KMeans(n_clusters=4, init=init.astype(np.float32)).fit(x)
    with pytest.raises(ValueError, match="init"):
        cluster.KMeans(n_clusters=3, init=init).fit(x)
    with pytest.raises(ValueError, match="init"):
        cluster.KMeans(n_clusters=4, init=init[:, :3].copy()).fit(x)
    with pytest.raises(ValueError, match="init"):
        cluster.KMeans(n_clusters=4, init="kmeans||").fit(x)
    bad = init.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="init"):
        cluster.KMeans(n_clusters=4, init=bad).fit(x)


def test_memmap_fit_without_loading(tmp_path):
    rng = np.random.default_rng(7)
    x = blobs(rng, n=2000, dtype=np.float32)
    path = tmp_path / "x.npy"
    np.save(path, x)
    mm = np.load(path, mmap_mode="r")
    assert isinstance(mm, np.memmap) and not mm.flags.writeable
    km = cluster.KMeans(n_clusters=4, seed=0).fit(mm)
    ref = cluster.KMeans(n_clusters=4, seed=0).fit(x)
    np.testing.assert_array_equal(km.labels_, ref.labels_)
    np.testing.assert_array_equal(km.predict(mm), ref.labels_)
    np.testing.assert_array_equal(np.asarray(mm), x)
    del mm


def test_params_protocol_and_clone():
    km = cluster.KMeans(n_clusters=3, tol=1e-3, seed=4)
    params = km.get_params()
    assert params == dict(n_clusters=3, max_iter=100, tol=1e-3, init="k-means++", spherical=False, seed=4, batch_rows=0)
    assert km.get_params(deep=False) == params
    assert km.set_params(n_clusters=5, spherical=True) is km
    assert km.n_clusters == 5 and km.spherical
    km.set_params(**params)
    assert km.get_params() == params
    with pytest.raises(ValueError, match="Invalid parameter"):
        km.set_params(n_init=3)
    assert repr(km) == "KMeans(n_clusters=3, tol=0.001, seed=4)"
    assert repr(cluster.KMeans()) == "KMeans()"

    base = pytest.importorskip("sklearn.base")
    x = blobs(np.random.default_rng(8))
    fitted = cluster.KMeans(n_clusters=4, seed=2).fit(x)
    twin = base.clone(fitted)
    assert twin is not fitted and twin.get_params() == fitted.get_params()
    assert not hasattr(twin, "cluster_centers_")
    np.testing.assert_array_equal(twin.fit(x).labels_, fitted.labels_)
    init = x[:4].copy()
    cloned = base.clone(cluster.KMeans(n_clusters=4, init=init))
    np.testing.assert_array_equal(cloned.init, init)


def test_not_fitted():
    km = cluster.KMeans()
    with pytest.raises(cluster.NotFittedError):
        km.predict(np.ones((2, 2)))
    with pytest.raises(ValueError):
        km.predict(np.ones((2, 2)))


@pytest.mark.parametrize(
    "params",
    [
        dict(n_clusters=0),
        dict(n_clusters=-1),
        dict(n_clusters=601),
        dict(n_clusters=2.0),
        dict(max_iter=0),
        dict(tol=-1.0),
        dict(tol=float("nan")),
        dict(seed=-1),
        dict(batch_rows=-1),
        dict(spherical="no"),
        dict(init=None),
    ],
)
def test_bad_params(params):
    x = blobs(np.random.default_rng(9))
    with pytest.raises(ValueError, match=next(iter(params))):
        cluster.KMeans(**{"n_clusters": 4, **params}).fit(x)


def test_bad_inputs():
    rng = np.random.default_rng(10)
    x = blobs(rng)
    km = cluster.KMeans(n_clusters=3).fit(x)
    with pytest.raises(ValueError, match="features"):
        km.predict(x[:, :3].copy())
    bad = x.copy()
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cluster.KMeans(3).fit(bad)
    with pytest.raises(ValueError, match="NaN"):
        km.predict(bad)
    with pytest.raises(TypeError, match="X"):
        cluster.KMeans(3).fit(x.astype(np.int32))
    with pytest.raises(ValueError, match="2-D"):
        cluster.KMeans(3).fit(x[:, 0].copy())
    with pytest.raises(ValueError, match="contiguous"):
        cluster.KMeans(3).fit(x[:, ::2])


# ---- distributed Lloyd steps ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("spherical", [False, True])
def test_accumulate_merge_centers_from(dtype, spherical):
    rng = np.random.default_rng(11)
    x = blobs(rng, n=900, d=6, k=5, dtype=dtype)
    c0 = x[rng.choice(900, 5, replace=False)].copy()
    shards = [x[:300], x[300:301], x[301:]]
    stats = [cluster.kmeans_accumulate(s, c0, spherical=spherical) for s in shards]
    merged = cluster.kmeans_merge(stats)
    whole = cluster.kmeans_accumulate(x, c0, spherical=spherical)
    assert isinstance(merged, cluster.KMeansStats)
    assert (merged.n_clusters, merged.n_features) == (5, 6)
    np.testing.assert_array_equal(merged.counts, whole.counts)
    assert merged.counts.sum() == 900
    np.testing.assert_allclose(merged.sums, whole.sums, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(merged.inertia, whole.inertia, rtol=1e-9)
    # The inputs of kmeans_merge are unchanged.
    assert stats[0].counts.sum() == 300
    # Reference sums from NumPy.
    xf = x.astype(np.float64)
    if spherical:
        xf = xf / np.linalg.norm(xf, axis=1, keepdims=True)
        cf = c0.astype(np.float64) / np.linalg.norm(c0.astype(np.float64), axis=1, keepdims=True)
        labels = np.argmax(xf @ cf.T, axis=1)
    else:
        labels = np.argmin(sq_dists(x, c0), axis=1)
    np.testing.assert_array_equal(merged.counts, np.bincount(labels, minlength=5))
    ref_sums = np.zeros((5, 6))
    np.add.at(ref_sums, labels, xf)
    np.testing.assert_allclose(merged.sums, ref_sums, rtol=1e-5, atol=1e-4)
    # One Lloyd step through the merge API equals KMeans(init=c0, max_iter=1).
    c1 = cluster.centers_from(merged, c0, spherical=spherical)
    assert c1.dtype == dtype and c1.shape == c0.shape
    step = cluster.KMeans(n_clusters=5, init=c0, max_iter=1, spherical=spherical).fit(x)
    np.testing.assert_allclose(c1, step.cluster_centers_, rtol=1e-5, atol=1e-6)
    # Accumulating into existing statistics adds in place.
    acc = cluster.kmeans_accumulate(shards[0], c0, spherical=spherical)
    assert cluster.kmeans_accumulate(shards[2], c0, spherical=spherical, stats=acc) is acc
    assert acc.counts.sum() == 899


def test_stats_empty_cluster_keeps_previous_centre_and_pickles():
    x = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 10.0]])
    c0 = np.array([[0.0, 0.0], [10.0, 10.0], [100.0, 100.0]])
    stats = cluster.kmeans_accumulate(x, c0)
    np.testing.assert_array_equal(stats.counts, [2, 1, 0])
    c1 = cluster.centers_from(stats, c0)
    np.testing.assert_allclose(c1, [[0.05, 0.0], [10.0, 10.0], [100.0, 100.0]])
    np.testing.assert_array_equal(c0[2], [100.0, 100.0])  # previous centres are not modified
    clone = pickle.loads(pickle.dumps(stats))
    np.testing.assert_array_equal(clone.sums, stats.sums)
    np.testing.assert_array_equal(clone.counts, stats.counts)
    assert clone.inertia == stats.inertia
    assert not stats.sums.flags.writeable
    assert "KMeansStats" in repr(stats)


def test_stats_errors():
    x = np.random.default_rng(12).standard_normal((50, 3))
    c = x[:4].copy()
    stats = cluster.kmeans_accumulate(x, c)
    with pytest.raises(ValueError, match="features"):
        cluster.kmeans_accumulate(x, c[:, :2].copy())
    with pytest.raises(ValueError, match="stats"):
        cluster.kmeans_accumulate(x, c[:3].copy(), stats=stats)
    with pytest.raises(ValueError):
        cluster.kmeans_merge([])
    with pytest.raises(ValueError):
        stats.merge(cluster.kmeans_accumulate(x, c[:3].copy()))
    with pytest.raises(TypeError):
        cluster.kmeans_merge([stats, "nope"])
    with pytest.raises(ValueError, match="previous_centers"):
        cluster.centers_from(stats, c[:3].copy())
    with pytest.raises(ValueError, match="n_clusters"):
        cluster.KMeansStats(0, 3)


def test_cuda_error_is_runtime_error():
    assert issubclass(tamis.CudaError, RuntimeError)
