"""tamis.active core-set selection: greedy k-center picks against a plain NumPy greedy, rounds and add_labeled
against one-shot runs, the covering radius against the brute-force optimum, and argument checks."""

import itertools

import numpy as np
import pytest

from tamis import _core, active

from _helpers import as_mask, sq_dist, with_nan

DTYPES = [np.float32, np.float64]


def integer_rows(rng, n, d, dtype):
    """Small integers: squared distances are exact in both dtypes, and ties are many."""
    return rng.integers(-3, 4, (n, d)).astype(dtype)


def greedy_reference(x, mask, budget):
    """(picks, gains, min_dist after them): farthest row first, lowest index on ties, row 0 with no centre."""
    x = x.astype(np.float64)
    dist = np.full(len(x), np.inf)
    for c in np.flatnonzero(mask):
        dist = np.minimum(dist, sq_dist(x, c))
    picks, gains = [], []
    for _ in range(budget):
        i = int(np.argmax(dist))
        assert dist[i] > 0, "the reference ran out of rows: pick a smaller budget"
        picks.append(i)
        gains.append(np.sqrt(dist[i]))
        dist = np.minimum(dist, sq_dist(x, i))
    return np.array(picks, np.int64), np.array(gains), dist


def covering_radius(x, centres):
    return np.sqrt(np.min([sq_dist(x, c) for c in centres], axis=0).max())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize("n, d, budget", [(1, 3, 1), (40, 2, 6), (200, 5, 50), (300, 8, 120)])
def test_picks_match_numpy_greedy(dtype, form, n, d, budget):
    rng = np.random.default_rng(n + d)
    x = integer_rows(rng, n, d, dtype)
    labeled_rows = rng.choice(n, size=n // 5, replace=False)
    labeled = {
        "none": None,
        "mask": as_mask(labeled_rows, n),
        "indices": np.concatenate([labeled_rows, labeled_rows[:3]]),  # duplicates are fine
    }[form]
    before = x.copy()
    state = active.KCenterState(x, labeled)
    idx, gains = state.select(budget)
    want_idx, want_gains, want_dist = greedy_reference(x, as_mask(labeled, n), budget)
    assert type(idx) is np.ndarray and idx.dtype == np.int64 and idx.shape == (budget,)
    assert gains.dtype == dtype and gains.shape == (budget,)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_array_equal(gains, want_gains.astype(dtype))  # exact squared distances, rounded √
    assert np.all(np.diff(gains) <= 0)
    np.testing.assert_array_equal(state.min_distances, want_dist.astype(dtype))
    assert state.radius == pytest.approx(np.sqrt(want_dist.max()), rel=1e-6)
    np.testing.assert_array_equal(x, before)
    got = active.kcenter_greedy(x, budget, labeled=labeled)
    np.testing.assert_array_equal(got[0], want_idx)


def test_cold_start_takes_row_0_then_the_lowest_index_on_ties():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -2.0]])
    idx, gains = active.kcenter_greedy(x, 3)
    np.testing.assert_array_equal(idx, [0, 2, 3])  # rows 2, 3, 4 tie at distance 2 from row 0, 3 and 4 still after 2
    np.testing.assert_array_equal(gains, [np.inf, 2.0, 2.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_rounds_continue_one_greedy(dtype):
    rng = np.random.default_rng(1)
    x = integer_rows(rng, 400, 6, dtype)
    labeled = rng.choice(400, size=30, replace=False)
    state = active.KCenterState(x, labeled)
    radii = [state.radius]
    rounds = []
    for budget in (1, 25, 7, 40):
        idx, gains = state.select(budget)
        assert gains[0] == pytest.approx(radii[-1], rel=1e-6)  # the radius is what the next pick covers
        rounds.append((idx, gains))
        radii.append(state.radius)
    once_idx, once_gains = active.kcenter_greedy(x, 73, labeled=labeled)
    np.testing.assert_array_equal(np.concatenate([r[0] for r in rounds]), once_idx)
    np.testing.assert_array_equal(np.concatenate([r[1] for r in rounds]), once_gains)
    assert np.all(np.diff(radii) <= 0) and radii[-1] < radii[0]
    centres = np.concatenate([labeled, once_idx])
    assert radii[-1] == pytest.approx(covering_radius(x.astype(np.float64), centres), rel=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["mask", "indices"])
def test_add_labeled_equals_constructing_with_those_rows(dtype, form):
    rng = np.random.default_rng(2)
    n = 300
    x = integer_rows(rng, n, 5, dtype)
    first = rng.choice(n, size=20, replace=False)
    state = active.KCenterState(x, first)
    picked, _ = state.select(15)
    others = np.setdiff1d(rng.choice(n, size=25, replace=False), np.concatenate([first, picked]))
    extra = np.concatenate([picked[:5], others, others[:2]])  # some picks again, duplicates
    view = state.min_distances
    state.add_labeled(as_mask(extra, n) if form == "mask" else extra)
    fresh = active.KCenterState(x, np.concatenate([first, picked, others]))
    np.testing.assert_array_equal(state.min_distances, fresh.min_distances)
    np.testing.assert_array_equal(view, fresh.min_distances)  # the view follows the state
    got, want = state.select(30), fresh.select(30)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    state.add_labeled([])
    np.testing.assert_array_equal(state.min_distances, fresh.min_distances)


@pytest.mark.parametrize("seed", range(6))
def test_covering_radius_within_twice_the_optimum(seed):
    x = np.random.default_rng(seed).normal(size=(10, 2))
    k = 3
    best = min(covering_radius(x, centres) for centres in itertools.combinations(range(10), k))
    state = active.KCenterState(x)
    idx, _ = state.select(k)
    assert state.radius == pytest.approx(covering_radius(x, idx), rel=1e-12)
    assert best <= state.radius <= 2 * best * (1 + 1e-12)


def test_exhausted_pool_leaves_the_state_as_it_was():
    x = np.repeat(np.array([[0.0, 1.0], [3.0, 0.0], [1.0, 1.0]]), 2, axis=0)  # each row twice
    state = active.KCenterState(x, labeled=[1])
    before = state.min_distances.copy()
    with pytest.raises(ValueError, match="only 2 picks were possible"):
        state.select(3)
    np.testing.assert_array_equal(state.min_distances, before)
    idx, _ = state.select(2)
    np.testing.assert_array_equal(idx, greedy_reference(x, as_mask([1], 6), 2)[0])
    with pytest.raises(ValueError, match="budget.*0 of 6 rows"):
        state.select(1)


def test_duplicates_of_labeled_rows_are_covered():
    # The kNN's expanded-form distance would leave ~1e-9 here; init recomputes it as Σ (x − r)².
    x = np.random.default_rng(3).normal(size=(4, 64)) * 100 + 300
    x = np.concatenate([x, x])
    np.testing.assert_array_equal(active.KCenterState(x, labeled=[0, 1, 2, 3]).min_distances, np.zeros(8))


def test_min_distances_are_read_only():
    state = active.KCenterState(np.eye(4), labeled=[0])
    view = state.min_distances
    assert not view.flags.writeable
    with pytest.raises(ValueError):
        view[1] = 0.0
    assert active.KCenterState(np.eye(4)).radius == np.inf


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor

    x = integer_rows(np.random.default_rng(4), 50, 3, np.float32)
    idx, gains = active.kcenter_greedy(FakeTensor(x), 5, labeled=FakeTensor(np.arange(4)))
    assert isinstance(idx, FakeTensor) and isinstance(gains, FakeTensor)
    want_idx, want_gains = active.kcenter_greedy(x, 5, labeled=np.arange(4))
    np.testing.assert_array_equal(np.from_dlpack(idx), want_idx)
    np.testing.assert_array_equal(np.from_dlpack(gains), want_gains)
    state = active.KCenterState(FakeTensor(x))
    assert isinstance(state.select(2)[0], FakeTensor) and type(state.min_distances) is np.ndarray


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: active.kcenter_greedy(x, 0), ValueError, "budget"),
        (lambda x: active.kcenter_greedy(x, 11), ValueError, "budget"),
        (lambda x: active.kcenter_greedy(x, 8, labeled=[0, 1, 2]), ValueError, "budget.*7 of 10"),
        (lambda x: active.kcenter_greedy(x, 2.0), ValueError, "budget"),
        (lambda x: active.kcenter_greedy(with_nan(x), 2), ValueError, "NaN"),
        (lambda x: active.kcenter_greedy(np.where(x > 0.5, np.inf, x), 2), ValueError, "infinite"),
        (lambda x: active.kcenter_greedy(x, 2, labeled=np.zeros(9, bool)), ValueError, "one entry per row"),
        (lambda x: active.kcenter_greedy(x, 2, labeled=[3, 10]), ValueError, r"\[0, 9\]"),
        (lambda x: active.kcenter_greedy(x, 2, labeled=[0.0, 1.0]), TypeError, "labeled"),
        (lambda x: active.KCenterState(x).add_labeled([-1]), ValueError, r"\[0, 9\]"),
        (lambda x: active.KCenterState(x).add_labeled(np.zeros(11, bool)), ValueError, "one entry per row"),
        (lambda x: active.KCenterState(x).add_labeled(None), TypeError, "labeled"),
        (lambda x: active.kcenter_greedy(x[:, 0].copy(), 2), ValueError, "2-D"),
        (lambda x: active.kcenter_greedy(x[:0], 1), ValueError, "empty"),
        (lambda x: active.kcenter_greedy(x[:, ::2], 2), ValueError, "contiguous"),
        (lambda x: active.kcenter_greedy(x.astype(np.float16), 2), TypeError, "embeddings"),
        (lambda x: active.kcenter_greedy(x.astype(np.int64), 2), TypeError, "embeddings"),
    ],
)
def test_bad_input(call, error, match):
    x = np.random.default_rng(5).random((10, 4))
    with pytest.raises(error, match=match):
        call(x)


def test_add_labeled_out_of_range_leaves_the_state_as_it_was():
    x = integer_rows(np.random.default_rng(6), 10, 3, np.float64)
    state = active.KCenterState(x, labeled=[2])
    before = state.min_distances.copy()
    with pytest.raises(ValueError, match=r"\[0, 9\]"):
        state.add_labeled([4, 10])
    np.testing.assert_array_equal(state.min_distances, before)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    x = np.array([[0.0, 1.0], [2.0, 0.0], [1.0, 1.0]])
    dist = _core.active.kcenter_init(x, None)
    assert np.all(dist == np.inf)
    with pytest.raises(ValueError, match="labeled"):
        _core.active.kcenter_init(x, np.ones(2, np.uint8))
    with pytest.raises(ValueError, match="x: contains"):
        _core.active.kcenter_init(np.array([[0.0, np.nan]]), None)
    with pytest.raises(ValueError, match="budget"):
        _core.active.kcenter_select(x, dist, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.kcenter_select(x, dist, 4)
    with pytest.raises(ValueError, match="budget"):
        _core.active.kcenter_select(x, dist, -1)
    with pytest.raises(ValueError, match="min_dist"):
        _core.active.kcenter_select(x, dist[:2].copy(), 1)
    with pytest.raises(ValueError, match="centres"):
        _core.active.kcenter_add_centres(x, np.array([3], np.int64), dist)
    read_only = dist.copy()
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        _core.active.kcenter_select(x, read_only, 1)
    with pytest.raises(TypeError):  # noconvert: a float32 state would need a converted copy, updated in vain
        _core.active.kcenter_select(x, dist.astype(np.float32), 1)
    with pytest.raises(TypeError):
        _core.active.kcenter_add_centres(x, np.array([1], np.int32), dist)
    _core.active.kcenter_add_centres(x, np.array([1], np.int64), dist)
    np.testing.assert_array_equal(dist, sq_dist(x, 1))  # updated in place
