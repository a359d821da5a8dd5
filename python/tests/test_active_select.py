"""tamis.active batch selection: top_b against a stable NumPy argsort, stochastic_top_b's draws against the
sequential-sampling probabilities they stand for, and argument checks."""


import numpy as np
import pytest

from tamis import _core, active

from _helpers import as_mask, assert_frequencies, with_nan

DTYPES = [np.float32, np.float64]
BETAS = {"power": 2.0, "softmax": 3.0, "softrank": 1.5}


def tied_scores(rng, n, dtype):
    """Scores in multiples of 1/4 (exact in both dtypes): many ties."""
    return (rng.integers(0, 5, n) / 4).astype(dtype)


def top_b_reference(scores, mask, budget):
    order = np.argsort(-scores.astype(np.float64), kind="stable")
    return order[~mask[order]][:budget]


def weights(scores, mask, mode, beta):
    """Each row's sampling weight, 0 for labeled rows; softrank ranks the unlabeled rows only."""
    s = scores.astype(np.float64)
    if mode == "power":
        w = s**beta
    elif mode == "softmax":
        w = np.exp(beta * (s - s[~mask].max()))
    else:
        order = np.argsort(-s, kind="stable")
        order = order[~mask[order]]
        rank = np.zeros(len(s))
        rank[order] = np.arange(1, len(order) + 1)
        w = np.where(mask, 1.0, rank) ** -beta
    return np.where(mask, 0.0, w)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize("n, budget", [(1, 1), (50, 1), (300, 40), (200, 150)])
def test_top_b_matches_stable_argsort(dtype, form, n, budget):
    rng = np.random.default_rng(n + budget)
    scores = tied_scores(rng, n, dtype)
    labeled_rows = rng.choice(n, size=min(n - budget, n // 4), replace=False)
    labeled = {
        "none": None,
        "mask": as_mask(labeled_rows, n),
        "indices": np.concatenate([labeled_rows, labeled_rows[:3]]),  # duplicates are fine
    }[form]
    before = scores.copy()
    idx, picked = active.top_b(scores, budget, labeled=labeled)
    assert type(idx) is np.ndarray and idx.dtype == np.int64 and idx.shape == (budget,)
    assert picked.dtype == dtype and picked.shape == (budget,)
    np.testing.assert_array_equal(idx, top_b_reference(scores, as_mask(labeled, n), budget))
    np.testing.assert_array_equal(picked, scores[idx])
    np.testing.assert_array_equal(scores, before)


def test_labeled_as_list_and_every_unlabeled_row():
    scores = np.array([0.5, 0.5, 0.25, 1.0, 0.25, 0.0])
    idx, _ = active.top_b(scores, 4, labeled=[3, 0])
    np.testing.assert_array_equal(idx, [1, 2, 4, 5])
    idx, _ = active.top_b(scores, 6, labeled=[])
    np.testing.assert_array_equal(idx, [3, 0, 1, 2, 4, 5])
    idx, _ = active.top_b(scores, 2, labeled=[False, True, False, False, False, True])
    np.testing.assert_array_equal(idx, [3, 0])
    idx, _ = active.stochastic_top_b(scores + 0.1, 4, labeled=np.array([3, 0], np.uint16), seed=5)
    assert sorted(idx.tolist()) == [1, 2, 4, 5]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", active.SAMPLING_MODES)
def test_stochastic_batches(dtype, mode):
    rng = np.random.default_rng(7)
    n, budget = 200, 20
    scores = (rng.random(n) if mode == "power" else rng.normal(size=n)).astype(dtype)
    labeled = rng.choice(n, size=60, replace=False)
    batches = []
    for seed in range(10):
        idx, picked = active.stochastic_top_b(scores, budget, mode, BETAS[mode], seed, labeled=labeled)
        again, _ = active.stochastic_top_b(scores, budget, mode, BETAS[mode], seed, labeled=labeled)
        np.testing.assert_array_equal(idx, again)
        assert idx.dtype == np.int64 and picked.dtype == dtype
        assert len(set(idx.tolist())) == budget
        assert not np.isin(idx, labeled).any()
        np.testing.assert_array_equal(picked, scores[idx])
        batches.append(tuple(idx))
    assert len(set(batches)) == len(batches)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", active.SAMPLING_MODES)
def test_first_pick_frequencies(dtype, mode):
    # Ties (rows 1, 2 and 5, 7), a zero score and two labeled rows (3, 6).
    scores = np.array([0.25, 0.75, 0.75, 1.0, 0.0, 0.5, 1.0, 0.5], dtype)
    if mode == "softmax":
        scores = scores * 2 - 1
    mask = as_mask([3, 6], len(scores))
    w = weights(scores, mask, mode, BETAS[mode])
    trials = 5000
    first = [active.stochastic_top_b(scores, 1, mode, BETAS[mode], seed, labeled=mask)[0][0] for seed in range(trials)]
    counts = np.bincount(first, minlength=len(scores))
    assert_frequencies(counts, w / w.sum(), trials, mode)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", active.SAMPLING_MODES)
def test_pairs_follow_sequential_sampling(dtype, mode):
    # Gumbel-top-k's first two picks are two draws without replacement: P(i, j) = w_i/W · w_j/(W − w_i).
    scores = np.array([0.2, 0.9, 0.5, 0.5], dtype)
    mask = np.zeros(4, bool)
    w = weights(scores, mask, mode, BETAS[mode])
    total = w.sum()
    probs = np.array([[w[i] / total * w[j] / (total - w[i]) if i != j else 0.0 for j in range(4)] for i in range(4)])
    trials = 20000
    counts = np.zeros((4, 4))
    for seed in range(trials):
        i, j = active.stochastic_top_b(scores, 2, mode, BETAS[mode], seed)[0]
        counts[i, j] += 1
    assert_frequencies(counts.ravel(), probs.ravel(), trials, mode)


def test_power_skips_zero_scores_while_positive_rows_remain():
    scores = np.array([0.0, 0.5, 0.0, 0.2, 0.0])
    for seed in range(50):
        idx, _ = active.stochastic_top_b(scores, 3, seed=seed)
        assert sorted(idx[:2].tolist()) == [1, 3] and idx[2] in (0, 2, 4)


@pytest.mark.parametrize("dtype", DTYPES)
def test_power_bald_is_stochastic_top_b_of_bald(dtype):
    rng = np.random.default_rng(8)
    probs = rng.dirichlet(np.full(5, 0.5), size=(100, 4)).astype(dtype)
    labeled = rng.choice(100, size=30, replace=False)
    for seed in (0, 3):
        got = active.power_bald(probs, 10, beta=2.0, seed=seed, labeled=labeled)
        want = active.stochastic_top_b(active.bald(probs), 10, "power", 2.0, seed, labeled=labeled)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor

    scores = np.random.default_rng(9).random(30).astype(np.float32)
    for select in (lambda s: active.top_b(s, 5), lambda s: active.stochastic_top_b(s, 5, seed=2)):
        idx, picked = select(FakeTensor(scores))
        assert isinstance(idx, FakeTensor) and isinstance(picked, FakeTensor)
        want_idx, want_picked = select(scores)
        np.testing.assert_array_equal(np.from_dlpack(idx), want_idx)
        np.testing.assert_array_equal(np.from_dlpack(picked), want_picked)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda s: active.top_b(s, 0), ValueError, "budget"),
        (lambda s: active.top_b(s, 11), ValueError, "budget"),
        (lambda s: active.top_b(s, 8, labeled=[0, 1, 2]), ValueError, "budget.*7 unlabeled"),
        (lambda s: active.stochastic_top_b(s, 0), ValueError, "budget"),
        (lambda s: active.stochastic_top_b(s, 10, labeled=[4]), ValueError, "budget"),
        (lambda s: active.top_b(with_nan(s, 3), 2), ValueError, "NaN"),
        (lambda s: active.stochastic_top_b(with_nan(s, 3), 2), ValueError, "NaN"),
        (lambda s: active.top_b(np.where(s > 0.5, np.inf, s), 2), ValueError, "infinite"),
        (lambda s: active.stochastic_top_b(s - 0.5, 2), ValueError, ">= 0"),
        (lambda s: active.power_bald(np.full((10, 2, 3), 1 / 3), 2, beta=0), ValueError, "beta"),
        (lambda s: active.stochastic_top_b(s, 2, "softmax", beta=0.0), ValueError, "beta"),
        (lambda s: active.stochastic_top_b(s, 2, "softrank", beta=-1.0), ValueError, "beta"),
        (lambda s: active.stochastic_top_b(s, 2, "softmax", beta=np.inf), ValueError, "beta"),
        (lambda s: active.stochastic_top_b(s, 2, "gumbel"), ValueError, "power, softmax, softrank"),
        (lambda s: active.stochastic_top_b(s, 2, seed=-1), ValueError, "seed"),
        (lambda s: active.top_b(s, 2, labeled=np.zeros(9, bool)), ValueError, "one entry per row"),
        (lambda s: active.top_b(s, 2, labeled=[3, 10]), ValueError, r"\[0, 9\]"),
        (lambda s: active.top_b(s, 2, labeled=[-1]), ValueError, r"\[0, 9\]"),
        (lambda s: active.top_b(s, 2, labeled=np.zeros((2, 5), bool)), ValueError, "1-D"),
        (lambda s: active.top_b(s, 2, labeled=[0.0, 1.0]), TypeError, "labeled"),
        (lambda s: active.top_b(s.reshape(2, 5), 2), ValueError, "1-D"),
        (lambda s: active.top_b(s.reshape(10, 1), 2), ValueError, "1-D"),
        (lambda s: active.top_b(s[:0], 1), ValueError, "empty"),
        (lambda s: active.top_b(s[::2], 2), ValueError, "contiguous"),
        (lambda s: active.top_b(s.astype(np.float16), 2), TypeError, "scores"),
    ],
)
def test_bad_input(call, error, match):
    scores = np.random.default_rng(10).random(10)
    with pytest.raises(error, match=match):
        call(scores)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    scores = np.array([0.5, -0.25, 0.75])
    mask = np.array([1, 0, 0], np.uint8)
    with pytest.raises(ValueError, match="budget"):
        _core.active.top_b(scores, None, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.top_b(scores, mask, 3)
    with pytest.raises(ValueError, match="budget"):
        _core.active.top_b(scores, None, -1)
    with pytest.raises(ValueError, match="labeled"):
        _core.active.top_b(scores, mask[:2], 1)
    with pytest.raises(ValueError, match="scores"):
        _core.active.top_b(np.array([0.5, np.nan]), None, 1)
    with pytest.raises(ValueError, match=">= 0"):
        _core.active.stochastic_top_b(scores, None, 1, "power", 1.0, 0)
    with pytest.raises(ValueError, match="beta"):
        _core.active.stochastic_top_b(scores, None, 1, "softmax", 0.0, 0)
    with pytest.raises(ValueError, match="mode"):
        _core.active.stochastic_top_b(scores, None, 1, "rank", 1.0, 0)
    with pytest.raises(TypeError):  # noconvert: a copy would be needed
        _core.active.top_b(scores, mask.astype(bool), 1)


def test_random_is_uniform_seeded_and_skips_labeled():
    n, budget, trials = 10, 3, 3000
    labeled = [2, 7]
    batches = [active.random(n, budget, labeled=labeled, seed=s)[0] for s in range(trials)]
    for b in batches[:50]:
        assert len(set(b.tolist())) == budget and not set(b.tolist()) & set(labeled)
    counts = np.bincount(np.concatenate(batches), minlength=n)
    assert counts[labeled].sum() == 0
    p = budget / (n - len(labeled))
    free = np.delete(counts, labeled)
    assert np.all(np.abs(free - trials * p) < 5 * np.sqrt(trials * p * (1 - p)))
    idx, keys = active.random(n, budget, labeled=labeled, seed=4)
    np.testing.assert_array_equal(idx, active.random(n, budget, labeled=labeled, seed=4)[0])
    assert keys.dtype == np.float64 and np.all(np.diff(keys) <= 0) and np.all((keys > 0) & (keys < 1))
    # The same draws as stochastic_top_b on equal scores.
    np.testing.assert_array_equal(idx, active.stochastic_top_b(np.ones(n), budget, "softmax", seed=4,
                                                               labeled=labeled)[0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: active.random(0, 1), "n"),
        (lambda: active.random(5, 6), "budget"),
        (lambda: active.random(5, 1, labeled=[0, 1, 2, 3, 4]), "budget"),
        (lambda: active.random(5, 1, seed=-1), "seed"),
        (lambda: active.random(5, 1, labeled=[5]), "labeled"),
    ],
)
def test_random_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
