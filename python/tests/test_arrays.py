"""Array intake: dtypes, layouts, zero copies, DLPack, device arrays and error mapping."""

import sys
import types

import numpy as np
import pytest

import tamis
from tamis import _arrays, _core, cluster, neighbors, select


class DLPackOnly:
    """Exposes an array through DLPack only (no buffer protocol, no __array__)."""

    def __init__(self, array):
        self._array = array

    def __dlpack__(self, *args, **kwargs):
        return self._array.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._array.__dlpack_device__()


class FakeCudaDLPack:
    def __dlpack__(self, *args, **kwargs):
        raise AssertionError("a device tensor must be refused before it is exported")

    def __dlpack_device__(self):
        return (2, 0)  # kDLCUDA


class FakeCudaArrayInterface:
    @property
    def __cuda_array_interface__(self):
        return {"shape": (4, 4), "typestr": "<f4", "data": (0, False), "version": 3}


def data(n=40, d=6, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(dtype)


# Each entry point, called on one array argument.
ENTRY_POINTS = {
    "knn": lambda x: neighbors.knn(x, k=2),
    "knn_queries": lambda x: neighbors.knn(data(40, x.shape[1] if getattr(x, "ndim", 0) == 2 else 6, x.dtype if x.dtype in _arrays.FLOAT_DTYPES else np.float64), x, k=2),
    "knn_graph": lambda x: neighbors.knn_graph(x, k=1),
    "kmeans": lambda x: cluster.KMeans(n_clusters=1).fit(x),
    "select_k": lambda x: select.select_k(x, 1),
}
NAMES = {"knn": "database", "knn_queries": "queries", "knn_graph": "data", "kmeans": "X", "select_k": "values"}


def test_package_facts():
    assert tamis.__version__ == "0.1.0"
    assert isinstance(tamis.has_faiss, bool) and isinstance(tamis.has_cuda, bool)
    assert issubclass(tamis.CudaError, RuntimeError)
    assert tamis.CudaError is _core.CudaError


# ---- dtypes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float16, np.bool_, np.complex64, ">f4", ">f8"])
def test_unsupported_dtypes_raise_type_error(entry, dtype):
    x = (data(10, 3) * 3).astype(dtype)
    with pytest.raises(TypeError, match=NAMES[entry]):
        ENTRY_POINTS[entry](x)


def test_byte_order_message():
    with pytest.raises(TypeError, match="byte order"):
        neighbors.knn(data().astype(">f4"), k=2)


# ---- shapes and layouts ----------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_shape_and_layout_errors(entry):
    f = ENTRY_POINTS[entry]
    name = NAMES[entry]
    x = data(12, 6)
    with pytest.raises(ValueError, match=name):
        f(x[:, 0].copy())  # 1-D
    with pytest.raises(ValueError, match="2-D"):
        f(x.reshape(2, 6, 6))  # 3-D
    with pytest.raises(ValueError, match="empty"):
        f(np.empty((0, 6)))
    with pytest.raises(ValueError, match="zero features"):
        f(np.empty((5, 0)))
    with pytest.raises(ValueError, match="contiguous"):
        f(x[:, ::2])
    with pytest.raises(ValueError, match="contiguous"):
        f(np.asfortranarray(x))


def test_misaligned_array():
    buf = bytearray(8 * 12 + 1)
    x = np.frombuffer(buf, dtype=np.float64, offset=1).reshape(4, 3)
    assert not x.flags.aligned
    with pytest.raises(ValueError, match="aligned"):
        neighbors.knn(x, k=1)


@pytest.mark.parametrize("entry", ["knn", "knn_queries", "knn_graph", "kmeans"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values(entry, dtype, bad):
    x = data(12, 6, dtype)
    x[7, 3] = bad
    with pytest.raises(ValueError, match=NAMES[entry]):
        ENTRY_POINTS[entry](x)


def test_huge_finite_values_are_not_mistaken_for_inf():
    x = np.full((4, 3), 3e38, dtype=np.float32)  # the sum overflows, every element is finite
    arr, _ = _arrays.as_matrix(x, "x")
    assert arr is x


# ---- no copies ---------------------------------------------------------------------------------------
def test_numpy_inputs_are_used_in_place():
    x = data(50, 4)
    arr, restore = _arrays.as_matrix(x, "x")
    assert arr is x
    assert restore(x) is x
    view = memoryview(x)
    arr, _ = _arrays.as_matrix(view, "x")
    assert np.shares_memory(arr, x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_read_only_arrays_are_accepted_and_unchanged(dtype):
    x = data(60, 5, dtype)
    x0 = x.copy()
    x.setflags(write=False)
    neighbors.knn(x, k=3)
    neighbors.knn(x, x, k=3)
    neighbors.knn_graph(x, k=3)
    km = cluster.KMeans(n_clusters=3).fit(x)
    km.predict(x)
    cluster.kmeans_accumulate(x, km.cluster_centers_)
    select.select_k(x, 2)
    np.testing.assert_array_equal(x, x0)
    assert not x.flags.writeable


def test_read_only_memmap(tmp_path):
    x = data(300, 8, np.float32)
    np.save(tmp_path / "x.npy", x)
    mm = np.load(tmp_path / "x.npy", mmap_mode="r")
    assert not mm.flags.writeable
    arr, _ = _arrays.as_matrix(mm, "x")
    assert arr is mm  # used in place, never loaded into a copy
    d1, i1 = neighbors.knn(mm, k=4)
    d2, i2 = neighbors.knn(x, k=4)
    np.testing.assert_array_equal(i1, i2)
    assert type(d1) is np.ndarray
    select.select_k(mm, 3)
    np.testing.assert_array_equal(np.asarray(mm), x)


def test_lists_are_accepted():
    d, i = neighbors.knn([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]], k=1)
    np.testing.assert_array_equal(i.ravel(), [1, 0, 1])
    with pytest.raises(TypeError):
        neighbors.knn([[0, 0], [1, 0]], k=1)  # integer lists have an integer dtype


def test_unsupported_objects():
    with pytest.raises(TypeError, match="database"):
        neighbors.knn("not an array", k=1)
    with pytest.raises(TypeError, match="database"):
        neighbors.knn(None, k=1)
    with pytest.raises(TypeError, match="X"):
        cluster.KMeans(2).fit(object())


# ---- DLPack and device arrays --------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dlpack_only_object(dtype):
    x = data(80, 5, dtype)
    wrapped = DLPackOnly(x)
    arr, _ = _arrays.as_matrix(wrapped, "x")
    assert np.shares_memory(arr, x)  # zero copy
    d1, i1 = neighbors.knn(wrapped, k=3)
    d2, i2 = neighbors.knn(x, k=3)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(d1, d2)
    assert type(d1) is np.ndarray  # the producer's module has no from_dlpack: NumPy comes back
    labels = cluster.KMeans(n_clusters=3, seed=1).fit_predict(wrapped)
    np.testing.assert_array_equal(labels, cluster.KMeans(n_clusters=3, seed=1).fit_predict(x))
    v, i = select.select_k(DLPackOnly(x), 2)
    np.testing.assert_array_equal(i, select.select_k(x, 2)[1])
    with pytest.raises(ValueError, match="contiguous"):
        neighbors.knn(DLPackOnly(x[:, ::2]), k=1)
    with pytest.raises(TypeError, match="database"):
        neighbors.knn(DLPackOnly(x.astype(np.int32)), k=1)


def test_results_come_back_in_the_producers_family(monkeypatch):
    # A stand-in for torch: a tensor type whose top-level module has from_dlpack.
    fakelib = types.ModuleType("fakearraylib")

    class FakeTensor(DLPackOnly):
        pass

    FakeTensor.__module__ = "fakearraylib._tensor"
    fakelib.from_dlpack = lambda obj: FakeTensor(np.from_dlpack(obj))
    monkeypatch.setitem(sys.modules, "fakearraylib", fakelib)

    x = data(30, 4)
    d, i = neighbors.knn(FakeTensor(x), k=2)
    assert isinstance(d, FakeTensor) and isinstance(i, FakeTensor)
    np.testing.assert_array_equal(np.from_dlpack(i), neighbors.knn(x, k=2)[1])
    # knn answers in the family of the queries; numpy queries get numpy results.
    d, i = neighbors.knn(FakeTensor(x), x[:3].copy(), k=2)
    assert type(i) is np.ndarray
    labels = cluster.KMeans(n_clusters=2).fit(x).predict(FakeTensor(x))
    assert isinstance(labels, FakeTensor)


def test_device_arrays_are_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="CUDA|cuda"):
        neighbors.knn(FakeCudaDLPack(), k=1)
    with pytest.raises(TypeError, match="CUDA"):
        neighbors.knn(FakeCudaArrayInterface(), k=1)
    with pytest.raises(TypeError, match="X"):
        cluster.KMeans(2).fit(FakeCudaArrayInterface())


def test_torch_cpu_tensors_round_trip():
    torch = pytest.importorskip("torch")
    x = torch.randn(200, 8, dtype=torch.float32)
    d, i = neighbors.knn(x, k=4)
    assert isinstance(d, torch.Tensor) and isinstance(i, torch.Tensor)
    assert d.dtype == torch.float32 and i.dtype == torch.int64
    dn, inn = neighbors.knn(x.numpy(), k=4)
    np.testing.assert_array_equal(i.numpy(), inn)
    np.testing.assert_array_equal(d.numpy(), dn)
    q = torch.randn(10, 8, dtype=torch.float32)
    d, i = neighbors.knn(x, q, k=2, metric="cosine")
    assert isinstance(i, torch.Tensor) and i.shape == (10, 2)
    labels = cluster.KMeans(n_clusters=3).fit_predict(x.double())
    assert isinstance(labels, torch.Tensor) and labels.dtype == torch.int64
    v, idx = select.select_k(x, 3, select_min=False)
    assert isinstance(v, torch.Tensor)
    np.testing.assert_array_equal(idx.numpy(), torch.topk(x, 3, dim=1).indices.numpy())
    arr, _ = _arrays.as_matrix(x, "x")
    assert arr.ctypes.data == x.data_ptr()  # zero copy
    with pytest.raises(ValueError, match="contiguous"):
        neighbors.knn(x.t(), k=1)
    with pytest.raises(TypeError, match="database"):
        neighbors.knn(x.to(torch.int32), k=1)


# ---- C++ exceptions reach Python as the documented types ------------------------------------------
def test_cpp_errors_map_to_python_exceptions():
    x = data(10, 3)
    with pytest.raises(ValueError, match="k"):
        _core.neighbors.knn(x, x, 11, "sqeuclidean", False)  # tamis::logic_error
    bad = x.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _core.neighbors.knn(bad, x, 2, "sqeuclidean", False)
    with pytest.raises(ValueError, match="metric"):
        _core.neighbors.knn(x, x, 2, "manhattan", False)
    with pytest.raises(ValueError, match="init"):
        _core.cluster.fit(x, 2, 10, 1e-4, "bogus", False, 0, 100, None)
    with pytest.raises(ValueError, match="n_clusters"):
        _core.cluster.fit(x, 11, 10, 1e-4, "k-means++", False, 0, 100, None)
    with pytest.raises(ValueError, match="NaN"):
        _core.select.select_k(bad, 1, True)
    with pytest.raises(TypeError):  # the extension never converts: a float32/float64 mix is refused
        _core.neighbors.knn(x, x.astype(np.float32), 2, "sqeuclidean", False)
    with pytest.raises(TypeError):
        _core.neighbors.knn(np.asfortranarray(x), x, 2, "sqeuclidean", False)


def test_feature_count_past_32_bits_is_rejected_before_any_read():
    # A (1, 2**31) float32 view over a 4-byte buffer: C-contiguous by its strides, never readable.
    # The check must fire on the shape alone, before any element is touched.
    tiny = np.zeros(1, dtype=np.float32)
    huge = np.lib.stride_tricks.as_strided(tiny, shape=(1, 2**31), strides=(4 * 2**31, 4))
    assert huge.flags.c_contiguous
    with pytest.raises(ValueError, match="overflow the 32-bit"):
        tamis.neighbors.knn(huge, k=1, exclude_self=False)
    with pytest.raises(ValueError, match="overflow the 32-bit"):
        tamis.cluster.KMeans(n_clusters=1).fit(huge)
