"""tamis.neighbors against NumPy float64 brute force, scikit-learn and faiss-cpu."""

import zlib

import numpy as np
import pytest

import tamis
from tamis import neighbors

DTYPES = [np.float32, np.float64]
METRICS = ["sqeuclidean", "euclidean", "inner_product", "cosine"]


# ---- references ----------------------------------------------------------------------------------
def reference_matrix(db, q, metric):
    """Exact pairwise measure in float64: (m, n). inner_product is a similarity (larger = nearer)."""
    db = np.asarray(db, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if metric == "inner_product":
        return q @ db.T
    from sklearn.metrics import pairwise_distances

    if metric == "cosine":
        # A zero row has similarity 0 with everything (tamis' convention; sklearn agrees).
        return pairwise_distances(q, db, metric="cosine")
    d = pairwise_distances(q, db, metric="sqeuclidean")
    return np.sqrt(d) if metric == "euclidean" else d


def tolerance(db, q, metric, dtype):
    """Absolute tolerance for the measure: GEMM-based distances lose about eps·(‖x‖² + ‖y‖²)."""
    eps = 2e-6 if dtype == np.float32 else 1e-12
    sq = lambda a: float(np.max(np.sum(np.asarray(a, np.float64) ** 2, axis=1)))
    if metric == "cosine":
        return 10 * eps
    scale = sq(db) + sq(q)
    if metric == "inner_product":
        scale = np.sqrt(sq(db) * sq(q))
    return 10 * eps * max(scale, 1.0)


def assert_knn_matches(dist, idx, ref, k, metric, atol, exclude_self=False):
    """Checks a kNN result against the full reference matrix, tie-aware.

    Per row: distances sorted and equal to the reference's k best; each returned index really has
    the returned distance; indices are distinct; and every returned index is among the k best up
    to ties (its reference value is within atol of the k-th best), so only tied neighbours may
    differ from the reference's choice.
    """
    dist = np.asarray(dist)
    idx = np.asarray(idx)
    m, n = ref.shape
    assert dist.shape == (m, k) and idx.shape == (m, k)
    assert idx.dtype == np.int64
    largest = metric == "inner_product"
    ref = ref.copy()
    if exclude_self:
        np.fill_diagonal(ref, -np.inf if largest else np.inf)
    order = np.argsort(-ref if largest else ref, axis=1, kind="stable")[:, :k]
    best = np.take_along_axis(ref, order, axis=1)
    # Compare euclidean in squared form: sqrt amplifies the absolute error near zero.
    f = (lambda a: np.square(np.asarray(a, np.float64))) if metric == "euclidean" else (lambda a: np.asarray(a, np.float64))
    np.testing.assert_allclose(f(dist), f(best), rtol=1e-5, atol=atol)
    assert np.all((idx >= 0) & (idx < n))
    got = np.take_along_axis(ref, idx, axis=1)
    np.testing.assert_allclose(f(dist), f(got), rtol=1e-5, atol=atol)
    if largest:
        assert np.all(np.diff(dist.astype(np.float64), axis=1) <= atol)
        assert np.all(got >= best[:, -1:] - atol - 1e-5 * np.abs(best[:, -1:]))
    else:
        assert np.all(np.diff(f(dist), axis=1) >= -atol)
        assert np.all(f(got) <= f(best[:, -1:]) + atol + 1e-5 * np.abs(f(best[:, -1:])))
    for row in range(m):
        assert len(set(idx[row].tolist())) == k, f"row {row}: repeated neighbours {idx[row]}"
    if exclude_self:
        assert not np.any(idx == np.arange(m)[:, None])


def random_data(rng, n, d, dtype, scale=1.0):
    return (scale * rng.standard_normal((n, d))).astype(dtype)


# ---- knn vs NumPy / scikit-learn --------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("shape", [(257, 100, 16, 10), (1037, 53, 13, 7), (300, 40, 1, 5), (64, 33, 130, 64)])
def test_knn_matches_reference(dtype, metric, shape):
    n, m, d, k = shape
    rng = np.random.default_rng(zlib.crc32(repr((shape, metric, np.dtype(dtype).name)).encode()))
    db = random_data(rng, n, d, dtype)
    q = random_data(rng, m, d, dtype)
    dist, idx = neighbors.knn(db, q, k=k, metric=metric)
    assert dist.dtype == dtype
    ref = reference_matrix(db, q, metric)
    assert_knn_matches(dist, idx, ref, k, metric, tolerance(db, q, metric, dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("metric", METRICS)
def test_knn_k_equals_n_and_k_one(dtype, metric):
    rng = np.random.default_rng(7)
    db = random_data(rng, 40, 6, dtype)
    q = random_data(rng, 15, 6, dtype)
    ref = reference_matrix(db, q, metric)
    atol = tolerance(db, q, metric, dtype)
    for k in (1, 40):
        dist, idx = neighbors.knn(db, q, k=k, metric=metric)
        assert_knn_matches(dist, idx, ref, k, metric, atol)
    # k = n returns every database row exactly once per query.
    _, idx = neighbors.knn(db, q, k=40, metric=metric)
    assert np.all(np.sort(idx, axis=1) == np.arange(40))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("metric", METRICS)
def test_knn_self_query_defaults(dtype, metric):
    rng = np.random.default_rng(3)
    x = random_data(rng, 120, 8, dtype)
    ref = reference_matrix(x, x, metric)
    atol = tolerance(x, x, metric, dtype)
    # queries=None: the database against itself, self excluded by default.
    dist, idx = neighbors.knn(x, k=5, metric=metric)
    assert_knn_matches(dist, idx, ref, 5, metric, atol, exclude_self=True)
    # The same set passed as queries: self included by default, and (for distances) found first.
    dist, idx = neighbors.knn(x, x.copy(), k=5, metric=metric)
    assert_knn_matches(dist, idx, ref, 5, metric, atol)
    if metric != "inner_product":
        np.testing.assert_array_equal(idx[:, 0], np.arange(120))
    # exclude_self can be forced with explicit queries of the database's shape.
    d2, i2 = neighbors.knn(x, x.copy(), k=5, metric=metric, exclude_self=True)
    assert_knn_matches(d2, i2, ref, 5, metric, atol, exclude_self=True)
    # k = n - 1 is the largest allowed with self excluded.
    _, idx = neighbors.knn(x, k=119, metric=metric)
    for row in range(120):
        assert set(idx[row].tolist()) == set(range(120)) - {row}


@pytest.mark.parametrize("dtype", DTYPES)
def test_knn_duplicates_and_exact_ties(dtype):
    # Small integers: every distance is exact in both precisions, so ties are exact and must break
    # by the lower database index (the order of a stable argsort).
    rng = np.random.default_rng(11)
    base = rng.integers(-3, 4, size=(30, 3)).astype(dtype)
    db = np.concatenate([base, base[:10], base[5:15]])  # duplicate rows
    q = rng.integers(-3, 4, size=(25, 3)).astype(dtype)
    for metric in ("sqeuclidean", "inner_product"):
        k = 12
        dist, idx = neighbors.knn(db, q, k=k, metric=metric)
        ref = reference_matrix(db, q, metric)
        order = np.argsort(-ref if metric == "inner_product" else ref, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(idx, order)
        np.testing.assert_array_equal(dist, np.take_along_axis(ref, order, axis=1).astype(dtype))
    # knn_graph over duplicated rows: each duplicate finds its twin first, at distance 0.
    base = rng.standard_normal((30, 3)).astype(dtype)
    x = np.concatenate([base, base[:10]])
    dist, idx = neighbors.knn_graph(x, k=3)
    np.testing.assert_array_equal(idx[:10, 0], np.arange(30, 40))
    np.testing.assert_array_equal(idx[30:, 0], np.arange(10))
    np.testing.assert_allclose(dist[:10, 0], 0, atol=tolerance(x, x, "sqeuclidean", dtype))
    assert np.all(dist >= 0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_knn_d1(dtype):
    rng = np.random.default_rng(5)
    db = random_data(rng, 500, 1, dtype, scale=10)
    q = random_data(rng, 50, 1, dtype, scale=10)
    dist, idx = neighbors.knn(db, q, k=9)
    ref = reference_matrix(db, q, "sqeuclidean")
    assert_knn_matches(dist, idx, ref, 9, "sqeuclidean", tolerance(db, q, "sqeuclidean", dtype))


def test_cosine_zero_rows():
    db = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    q = np.array([[3.0, 0.0], [0.0, 0.0]])
    dist, idx = neighbors.knn(db, q, k=3, metric="cosine")
    np.testing.assert_allclose(dist[0], [0.0, 1.0, 1.0], atol=1e-12)
    assert idx[0, 0] == 1
    np.testing.assert_allclose(dist[1], [1.0, 1.0, 1.0], atol=1e-12)
    np.testing.assert_array_equal(idx[1], [0, 1, 2])


# ---- knn_graph --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("metric", METRICS)
def test_knn_graph(dtype, metric):
    rng = np.random.default_rng(21)
    x = random_data(rng, 211, 9, dtype)
    dist, idx = neighbors.knn_graph(x, k=6, metric=metric)
    assert dist.dtype == dtype and idx.dtype == np.int64
    ref = reference_matrix(x, x, metric)
    assert_knn_matches(dist, idx, ref, 6, metric, tolerance(x, x, metric, dtype), exclude_self=True)
    d2, i2 = neighbors.knn(x, k=6, metric=metric)
    np.testing.assert_array_equal(idx, i2)
    np.testing.assert_array_equal(dist, d2)


def test_knn_graph_k_bounds():
    x = np.random.default_rng(0).standard_normal((10, 3))
    neighbors.knn_graph(x, k=9)
    with pytest.raises(ValueError, match="k"):
        neighbors.knn_graph(x, k=10)
    with pytest.raises(ValueError, match="k"):
        neighbors.knn_graph(x[:1], k=1)


# ---- faiss-cpu as an independent oracle ------------------------------------------------------------
def test_knn_equals_faiss_index_flat_l2():
    faiss = pytest.importorskip("faiss")
    rng = np.random.default_rng(1234)
    db = random_data(rng, 3000, 32, np.float32)
    q = random_data(rng, 200, 32, np.float32)
    k = 20
    index = faiss.IndexFlatL2(32)
    index.add(db)
    fd, fi = index.search(q, k)
    dist, idx = neighbors.knn(db, q, k=k)
    atol = tolerance(db, q, "sqeuclidean", np.float32)
    np.testing.assert_allclose(dist, fd, rtol=1e-5, atol=atol)
    ref = reference_matrix(db, q, "sqeuclidean")
    assert_knn_matches(dist, idx, ref, k, "sqeuclidean", atol)
    # Same neighbour sets except where the k-th distance is tied within tolerance.
    for row in range(q.shape[0]):
        a, b = set(idx[row].tolist()), set(fi[row].tolist())
        if a != b:
            diff = np.array(sorted(a ^ b))
            assert np.all(np.abs(ref[row, diff] - ref[row, idx[row, -1]]) <= atol + 1e-5 * ref[row, idx[row, -1]])


def test_knn_equals_faiss_index_flat_ip():
    faiss = pytest.importorskip("faiss")
    rng = np.random.default_rng(99)
    db = random_data(rng, 1500, 24, np.float32)
    q = random_data(rng, 100, 24, np.float32)
    index = faiss.IndexFlatIP(24)
    index.add(db)
    fd, fi = index.search(q, 10)
    dist, idx = neighbors.knn(db, q, k=10, metric="inner_product")
    np.testing.assert_allclose(dist, fd, rtol=1e-5, atol=tolerance(db, q, "inner_product", np.float32))
    assert np.mean(idx == fi) > 0.99


# ---- argument checks --------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [0, -1, 51, 2.5, "3", None, True, np.float64(2.0)])
def test_knn_bad_k(k):
    x = np.random.default_rng(0).standard_normal((50, 4))
    with pytest.raises(ValueError, match="k"):
        neighbors.knn(x, x, k=k)


def test_knn_k_bounds_with_and_without_self():
    x = np.random.default_rng(0).standard_normal((50, 4))
    neighbors.knn(x, x, k=50)
    neighbors.knn(x, k=49)
    neighbors.knn(x, x, k=np.int32(3))
    with pytest.raises(ValueError, match="k"):
        neighbors.knn(x, k=50)
    with pytest.raises(ValueError, match="k"):
        neighbors.knn(x, x, k=50, exclude_self=True)


def test_knn_bad_arguments():
    rng = np.random.default_rng(0)
    db = rng.standard_normal((20, 4))
    with pytest.raises(ValueError, match="features"):
        neighbors.knn(db, rng.standard_normal((5, 3)), k=2)
    with pytest.raises(ValueError, match="metric"):
        neighbors.knn(db, k=2, metric="manhattan")
    with pytest.raises(ValueError, match="exclude_self"):
        neighbors.knn(db, db[:5].copy(), k=2, exclude_self=True)
    with pytest.raises(TypeError, match="queries"):
        neighbors.knn(db, db.astype(np.float32), k=2)
    with pytest.raises(ValueError, match="exclude_self"):
        neighbors.knn(db, k=2, exclude_self="yes")


def test_single_row():
    x = np.ones((1, 3))
    d, i = neighbors.knn(x, x, k=1)
    assert i[0, 0] == 0 and d[0, 0] == 0
    with pytest.raises(ValueError, match="k"):
        neighbors.knn(x, k=1)


def test_concurrent_calls_release_the_gil_and_agree():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(17)
    db = random_data(rng, 2000, 16, np.float32)
    qs = [random_data(rng, 100, 16, np.float32) for _ in range(6)]
    expected = [neighbors.knn(db, q, k=5)[1] for q in qs]
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda q: neighbors.knn(db, q, k=5)[1], qs))
    for e, g in zip(expected, got):
        np.testing.assert_array_equal(e, g)


def test_knn_does_not_modify_inputs():
    rng = np.random.default_rng(0)
    db = rng.standard_normal((100, 7)).astype(np.float32)
    q = rng.standard_normal((10, 7)).astype(np.float32)
    db0, q0 = db.copy(), q.copy()
    for metric in METRICS:
        neighbors.knn(db, q, k=4, metric=metric)
        neighbors.knn_graph(db, k=4, metric=metric)
    np.testing.assert_array_equal(db, db0)
    np.testing.assert_array_equal(q, q0)


# ---- FaissIndex -------------------------------------------------------------------------------------
faiss_only = pytest.mark.skipif(not tamis.has_faiss, reason="this tamis build has no FAISS")


@faiss_only
@pytest.mark.parametrize("metric", METRICS)
def test_faiss_index_flat_matches_knn(metric):
    rng = np.random.default_rng(8)
    db = random_data(rng, 800, 12, np.float32)
    q = random_data(rng, 60, 12, np.float32)
    index = neighbors.FaissIndex(12, "Flat", metric=metric)
    assert index.is_trained and index.ntotal == 0 and index.dim == 12 and index.metric == metric
    index.add(db[:500]).add(db[500:])
    assert index.ntotal == 800 and len(index) == 800
    dist, idx = index.search(q, 10)
    assert dist.dtype == np.float32 and idx.dtype == np.int64
    ref = reference_matrix(db, q, metric)
    assert_knn_matches(dist, idx, ref, 10, metric, tolerance(db, q, metric, np.float32))
    kd, ki = neighbors.knn(db, q, k=10, metric=metric)
    assert np.mean(ki == idx) > 0.99
    assert "FaissIndex" in repr(index)


@faiss_only
def test_faiss_index_ivf_exhaustive_probe_is_exact():
    rng = np.random.default_rng(9)
    db = random_data(rng, 2000, 16, np.float32)
    q = random_data(rng, 50, 16, np.float32)
    index = neighbors.FaissIndex(16, "IVF16,Flat")
    assert not index.is_trained
    with pytest.raises(ValueError, match="train"):
        index.add(db)
    index.train(db)
    index.add(db)
    index.set_search_parameter("nprobe", 16)
    dist, idx = index.search(q, 5)
    ref = reference_matrix(db, q, "sqeuclidean")
    assert_knn_matches(dist, idx, ref, 5, "sqeuclidean", tolerance(db, q, "sqeuclidean", np.float32))


@faiss_only
def test_faiss_index_errors():
    rng = np.random.default_rng(10)
    db = random_data(rng, 100, 8, np.float32)
    index = neighbors.FaissIndex(8)
    with pytest.raises(ValueError, match="empty"):
        index.search(db[:3], 1)
    index.add(db)
    with pytest.raises(TypeError, match="float32"):
        index.add(db.astype(np.float64))
    with pytest.raises(ValueError, match="features"):
        index.add(random_data(rng, 5, 7, np.float32))
    with pytest.raises(ValueError, match="k"):
        index.search(db[:3], 101)
    with pytest.raises(ValueError, match="k"):
        index.search(db[:3], 0)
    with pytest.raises(ValueError):
        index.set_search_parameter("no_such_parameter", 3)
    bad = db.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        index.add(bad)
    with pytest.raises(ValueError):
        neighbors.FaissIndex(8, "NoSuchIndexType")
    with pytest.raises(ValueError, match="dim"):
        neighbors.FaissIndex(0)
    with pytest.raises(ValueError, match="metric"):
        neighbors.FaissIndex(8, metric="hamming")
