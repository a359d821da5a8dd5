"""tamis.select against np.argsort(kind="stable")."""

import numpy as np
import pytest

from tamis import select

DTYPES = [np.float32, np.float64]


def reference(values, k, select_min):
    order = np.argsort(values if select_min else -values, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(values, order, axis=1), order


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("select_min", [True, False])
@pytest.mark.parametrize("shape_k", [((50, 200), 1), ((50, 200), 17), ((7, 1000), 300), ((30, 64), 64), ((1, 5), 5), ((300, 1), 1)])
def test_select_k_random(dtype, select_min, shape_k):
    shape, k = shape_k
    rng = np.random.default_rng(shape[0] * 1000 + shape[1] + k)
    values = rng.standard_normal(shape).astype(dtype)
    v0 = values.copy()
    out_v, out_i = select.select_k(values, k, select_min=select_min)
    ref_v, ref_i = reference(values, k, select_min)
    assert out_v.dtype == dtype and out_i.dtype == np.int64
    np.testing.assert_array_equal(out_i, ref_i)
    np.testing.assert_array_equal(out_v, ref_v)
    np.testing.assert_array_equal(values, v0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("select_min", [True, False])
def test_select_k_ties_break_by_lower_index(dtype, select_min):
    rng = np.random.default_rng(4)
    values = rng.integers(0, 4, size=(40, 90)).astype(dtype)
    for k in (1, 5, 45, 90):
        out_v, out_i = select.select_k(values, k, select_min)
        ref_v, ref_i = reference(values, k, select_min)
        np.testing.assert_array_equal(out_i, ref_i)
        np.testing.assert_array_equal(out_v, ref_v)
    const = np.full((3, 10), 2.5, dtype=dtype)
    _, idx = select.select_k(const, 4, select_min)
    np.testing.assert_array_equal(idx, np.tile(np.arange(4), (3, 1)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_select_k_ranks_infinities(dtype):
    values = np.array([[1.0, np.inf, -np.inf, 0.0, np.inf, -np.inf]], dtype=dtype)
    out_v, out_i = select.select_k(values, 6, True)
    np.testing.assert_array_equal(out_i, [[2, 5, 3, 0, 1, 4]])
    np.testing.assert_array_equal(out_v, [[-np.inf, -np.inf, 0.0, 1.0, np.inf, np.inf]])
    out_v, out_i = select.select_k(values, 3, False)
    np.testing.assert_array_equal(out_i, [[1, 4, 0]])


def test_select_k_errors():
    values = np.random.default_rng(0).standard_normal((4, 6))
    for k in (0, -2, 7, 1.5, "2", None, True):
        with pytest.raises(ValueError, match="k"):
            select.select_k(values, k)
    bad = values.copy()
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        select.select_k(bad, 2)
    with pytest.raises(ValueError, match="2-D"):
        select.select_k(values[0], 2)
    with pytest.raises(TypeError, match="values"):
        select.select_k(values.astype(np.int64), 2)
    with pytest.raises(TypeError, match="values"):
        select.select_k(values.astype(np.float16), 2)
    with pytest.raises(ValueError, match="contiguous"):
        select.select_k(values[:, ::2], 2)
    with pytest.raises(ValueError, match="select_min"):
        select.select_k(values, 2, select_min="yes")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("select_min", [True, False])
def test_merge_topk_equals_global_select(dtype, select_min):
    rng = np.random.default_rng(12)
    values = rng.standard_normal((25, 300)).astype(dtype)
    k = 10
    parts_v, parts_i = [], []
    for lo, hi in [(0, 120), (120, 125), (125, 300)]:
        pk = min(k, hi - lo)
        v, i = select.select_k(np.ascontiguousarray(values[:, lo:hi]), pk, select_min)
        parts_v.append(v)
        parts_i.append(i + lo)  # global indices
    out_v, out_i = select.merge_topk(parts_v, parts_i, k, select_min)
    ref_v, ref_i = reference(values, k, select_min)
    np.testing.assert_array_equal(out_i, ref_i)
    np.testing.assert_array_equal(out_v, ref_v)


def test_merge_topk_padding():
    v = np.array([[1.0, 2.0, 0.0]])
    i = np.array([[7, 3, -1]])  # -1: padding, ignored
    out_v, out_i = select.merge_topk([v], [i], 3)
    np.testing.assert_array_equal(out_i[0, :2], [7, 3])
    assert out_i[0, 2] == -1
    with pytest.raises(ValueError):
        select.merge_topk([], [], 1)
    with pytest.raises(ValueError, match="indices"):
        select.merge_topk([v], [i[:, :2].copy()], 1)
    with pytest.raises(TypeError, match="indices"):
        select.merge_topk([v], [i.astype(np.int32)], 1)
