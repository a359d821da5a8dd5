"""tamis.active ProbCover: picks, gains and state against a dense NumPy greedy on the materialised ball graph,
submodularity and coverage, the farthest-first fallback, rounds, δ purity against brute force, scikit-activeml's
picks where its tie rule allows, and argument checks."""

import warnings

import numpy as np
import pytest

from tamis import _core, active

from _helpers import as_mask

DTYPES = [np.float32, np.float64]


def integer_rows(rng, n, d, dtype):
    """Small integers: squared distances are exact integers in both dtypes, so δ = 2 or 3 puts pairs on the boundary."""
    return rng.integers(-2, 3, (n, d)).astype(dtype)


def unit_rows(rng, n, d, dtype):
    x = rng.standard_normal((n, d))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(dtype)


def sq_dists(x):
    x = x.astype(np.float64)
    return ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)


def delta_in_gap(x, target):
    """A radius near target halfway across the widest gap between pair distances around it (no pair near the boundary)."""
    d = np.sort(np.sqrt(sq_dists(x)[np.triu_indices(len(x), 1)]))
    at = np.searchsorted(d, target)
    lo, hi = max(1, at - 50), min(len(d), at + 50)
    k = lo + int(np.argmax(np.diff(d[lo - 1:hi])))
    return float((d[k] + d[k - 1]) / 2)


def greedy_reference(x, mask, delta, budget):
    """(picks, gains, status, degree): dense graph i -> j iff ‖x_i − x_j‖² ≤ δ² (δ² rounded in x's dtype), the
    largest uncovered out-degree first, lowest index on ties; farthest-first from all centres once all are covered."""
    r2 = float(np.asarray(delta, x.dtype) * np.asarray(delta, x.dtype))
    dist = sq_dists(x)
    edges = dist <= r2
    centre = mask.astype(bool).copy()
    covered = edges[centre].any(axis=0) | centre
    picks, gains = [], []
    for _ in range(budget):
        degree = (edges & ~covered[None, :]).sum(axis=1)
        i = int(np.argmax(degree))
        if degree[i] == 0:
            i = int(np.argmax(dist[:, centre].min(axis=1)))
        picks.append(i)
        gains.append(int(degree[i]))
        covered |= edges[i]
        centre[i] = True
    degree = (edges & ~covered[None, :]).sum(axis=1)
    status = np.where(centre, 2, np.where(covered, 1, 0)).astype(np.uint8)
    return np.array(picks, np.int64), np.array(gains, np.int64), status, degree


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize("n, d, delta, budget", [(1, 3, 1.0, 1), (60, 2, 2.0, 10), (300, 4, 3.0, 40)])
def test_integer_rows_match_numpy_greedy_with_boundary_pairs(dtype, form, n, d, delta, budget):
    rng = np.random.default_rng(n + d)
    x = integer_rows(rng, n, d, dtype)
    labeled_rows = rng.choice(n, size=n // 7, replace=False)
    labeled = {
        "none": None,
        "mask": as_mask(labeled_rows, n),
        "indices": np.concatenate([labeled_rows, labeled_rows[:2]]),
    }[form]
    mask = as_mask(labeled, n)
    budget = min(budget, n - int(mask.sum()))
    before = x.copy()
    state = active.ProbCoverState(x, delta, labeled)
    idx, gains = state.select(budget)
    want_idx, want_gains, want_status, want_degree = greedy_reference(x, mask, delta, budget)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_array_equal(gains, want_gains)
    assert idx.dtype == np.int64 and gains.dtype == np.int64
    np.testing.assert_array_equal(state.degrees, want_degree)
    np.testing.assert_array_equal(state.covered, want_status > 0)
    np.testing.assert_array_equal(x, before)
    assert not np.any(mask[idx]) and len(set(idx.tolist())) == budget


@pytest.mark.parametrize("dtype", DTYPES)
def test_unit_rows_submodular_gains_and_growing_coverage(dtype):
    rng = np.random.default_rng(7)
    n, d = 800, 8
    x = unit_rows(rng, n, d, dtype)
    delta = delta_in_gap(x, 0.6)
    mask = as_mask(rng.choice(n, 20, replace=False), n)
    want_idx, want_gains, _, _ = greedy_reference(x, mask, delta, 60)
    state = active.ProbCoverState(x, delta, mask)
    coverage = [state.coverage]
    picks, gains = [], []
    for size in (1, 9, 20, 30):  # rounds continue from the state
        i, g = state.select(size)
        picks += i.tolist()
        gains += g.tolist()
        coverage.append(state.coverage)
    np.testing.assert_array_equal(picks, want_idx)
    np.testing.assert_array_equal(gains, want_gains)
    assert all(a >= b for a, b in zip(gains, gains[1:]))  # submodularity
    assert all(a <= b for a, b in zip(coverage, coverage[1:]))
    assert coverage[-1] - coverage[0] == pytest.approx(sum(gains) / n)


def test_farthest_first_once_everything_is_covered():
    rng = np.random.default_rng(3)
    x = unit_rows(rng, 120, 3, np.float64)
    delta = delta_in_gap(x, 1.0)
    mask = as_mask([0, 50], 120)
    idx, gains = active.probcover(x, 40, delta, labeled=mask)
    want_idx, want_gains, _, _ = greedy_reference(x, mask, delta, 40)
    assert want_gains[-1] == 0, "the budget must run past full coverage"
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_array_equal(gains, want_gains)


def test_duplicates_of_centres_end_the_fallback_and_keep_the_state():
    x = np.array([[0, 0], [0, 0], [5, 5], [5, 5]], np.float32)
    state = active.ProbCoverState(x, 1.0)
    idx, gains = state.select(2)
    np.testing.assert_array_equal(idx, [0, 2])
    np.testing.assert_array_equal(gains, [2, 2])
    degrees = state.degrees.copy()
    with pytest.raises(ValueError, match="is a centre or duplicates one"):
        state.select(1)
    np.testing.assert_array_equal(state.degrees, degrees)
    assert state.coverage == 1.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_purity_matches_brute_force(dtype):
    rng = np.random.default_rng(11)
    x = unit_rows(rng, 400, 5, dtype)
    labels = rng.integers(0, 3, 400)
    deltas = np.array([0.05, 0.1, 0.2, 0.4, 0.8])
    dist = np.sqrt(sq_dists(x))
    other = np.where(labels[:, None] != labels[None, :], dist, np.inf).min(axis=1)
    nearest = _core.active.probcover_nearest_other(x, labels.astype(np.int64))
    np.testing.assert_allclose(nearest, other, rtol=1e-5 if dtype == np.float32 else 1e-12)
    want = [(~((dist <= dl) & (labels[:, None] != labels[None, :])).any(axis=1)).mean() for dl in deltas]
    np.testing.assert_allclose(active.probcover_purity(x, labels, deltas), want)
    assert np.all(np.isinf(_core.active.probcover_nearest_other(x, np.zeros(400, np.int64))))


def test_delta_is_the_largest_pure_radius():
    rng = np.random.default_rng(5)
    centres = unit_rows(rng, 4, 16, np.float64)
    x = centres[rng.integers(0, 4, 600)] + 0.05 * rng.standard_normal((600, 16))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = np.argmax(x @ centres.T, axis=1)
    purity = active.probcover_purity(x, labels)
    delta = active.probcover_delta(x, labels=labels, alpha=0.95)
    assert delta == active.PROBCOVER_DELTAS[np.flatnonzero(purity >= 0.95)[-1]]
    assert active.probcover_delta(x, n_classes=4) == delta  # k-means finds these clusters
    with pytest.warns(UserWarning, match="smallest"):
        assert active.probcover_delta(x, labels=labels, deltas=[1.5, 2.0]) == 1.5


def test_each_pick_is_scikit_activemls_best_lowest_index():
    skpool = pytest.importorskip("skactiveml.pool")
    rng = np.random.default_rng(2)
    x = unit_rows(rng, 300, 6, np.float64)
    delta = delta_in_gap(x, 0.5)
    y = np.full(300, np.nan)
    y[[3, 77, 150]] = [0, 1, 0]
    idx, gains = active.probcover(x, 15, delta, labeled=~np.isnan(y))
    qs = skpool.ProbCover(deltas=[delta], random_state=0)
    for p in range(15):  # its ties are drawn at random: replay our picks and compare its utilities at each step
        y_p = y.copy()
        y_p[idx[:p]] = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, utilities = qs.query(x, y_p, batch_size=1, return_utilities=True)
        top = np.nanmax(utilities[0])
        assert gains[p] == top and idx[p] == np.flatnonzero(utilities[0] == top)[0]


def test_bad_inputs_raise():
    x = np.zeros((5, 2), np.float32)
    x[:, 0] = np.arange(5)
    for bad in (0, -1.0, np.nan, np.inf, "1"):
        with pytest.raises(ValueError, match="delta"):
            active.probcover(x, 1, bad)
    with pytest.raises(ValueError, match="budget"):
        active.probcover(x, 0, 1.0)
    with pytest.raises(ValueError, match="budget"):
        active.probcover(x, 4, 1.0, labeled=[0, 1])
    with pytest.raises(ValueError, match="labeled"):
        active.probcover(x, 1, 1.0, labeled=np.ones(4, bool))
    with pytest.raises(ValueError, match="embeddings"):
        active.probcover(x[:, 0], 1, 1.0)
    nan_x = x.copy()
    nan_x[2, 1] = np.nan
    with pytest.raises(ValueError, match="embeddings"):
        active.probcover(nan_x, 1, 1.0)
    with pytest.raises(TypeError):
        active.probcover(x.astype(np.int64), 1, 1.0)
    with pytest.raises(ValueError, match="labels"):
        active.probcover_purity(x, np.zeros(4, np.int64))
    with pytest.raises(ValueError, match="deltas"):
        active.probcover_purity(x, np.zeros(5, np.int64), [0.0, 1.0])
    with pytest.raises(ValueError, match="alpha"):
        active.probcover_delta(x, n_classes=2, alpha=1.0)
    with pytest.raises(ValueError, match="n_classes"):
        active.probcover_delta(x)
    with pytest.raises(ValueError, match="n_classes"):
        active.probcover_delta(x, n_classes=6)
    state = active.ProbCoverState(x, 1.0)
    with pytest.raises(ValueError, match="status"):  # the kernel checks the state it is handed
        _core.active.probcover_select(x, 1.0, np.zeros(4, np.uint8), np.zeros(5, np.int64), 1)
    assert state.select(5)[0].shape == (5,)
