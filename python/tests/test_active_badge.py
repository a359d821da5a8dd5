"""tamis.active BADGE: picks and gains against gradient embeddings materialised in NumPy (with the same Philox
draws, and through properties that need no draws), D² sampling frequencies, exhaustion and argument checks."""

import numpy as np
import pytest

from tamis import _core, active

from _helpers import as_mask, assert_frequencies, philox4x32, sq_dist, with_nan

DTYPES = [np.float32, np.float64]
RTOL = {np.float32: 1e-6, np.float64: 1e-9}


def pool(rng, n, classes, d, dtype):
    """Peaked and flat class distributions (so ŷ varies and ‖e_ŷ − p‖ spreads) and Gaussian features."""
    probs = rng.dirichlet(np.full(classes, 0.3), size=n).astype(dtype)
    return probs, rng.normal(size=(n, d)).astype(dtype)


def gradient_embeddings(probs, features):
    """g_i = (e_ŷ − p_i) ⊗ h_i, materialised as n × (C·d) in float64; ŷ the first arg-max."""
    p = probs.astype(np.float64)
    h = features.astype(np.float64)
    a = -p
    a[np.arange(len(p)), np.argmax(p, axis=1)] += 1
    return (a[:, :, None] * h[:, None, :]).reshape(len(p), -1)


def uniform(seed, counter):
    """Draw `counter` of Philox stream (seed, 0): 27 + 26 bits of the first two words, a double in [0, 1)."""
    w = philox4x32((counter & 0xFFFFFFFF, counter >> 32, 0, 0), (seed & 0xFFFFFFFF, seed >> 32))
    return ((w[0] >> 5) << 26 | (w[1] >> 6)) / 2.0**53


def test_reference_philox_matches_random123():
    # Random123's known-answer vector for philox4x32-10 with zero counter and key.
    assert philox4x32((0, 0, 0, 0), (0, 0)) == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]


def badge_reference(g, mask, budget, seed):
    """(picks, gains): the largest ‖g‖ first, then the first row whose running sum of D² exceeds u_p · Σ D²."""
    norms = np.where(mask, -1.0, (g**2).sum(axis=1))
    picks, gains = [int(np.argmax(norms))], [norms.max()]
    dist = np.where(mask, 0.0, np.inf)
    for p in range(1, budget):
        dist = np.minimum(dist, sq_dist(g, picks[-1]))
        cumsum = np.cumsum(dist)
        i = int(np.searchsorted(cumsum, uniform(seed, p) * cumsum[-1], side="right"))
        picks.append(i)
        gains.append(dist[i])
    return np.array(picks, np.int64), np.array(gains)


def check_batch(probs, features, labeled, idx, gains):
    """The draw-free properties: first pick the largest unlabeled ‖g‖, each gain its D² against the earlier
    picks (factorised = materialised), picks distinct and unlabeled."""
    n, budget = len(probs), len(idx)
    g = gradient_embeddings(probs, features)
    mask = as_mask(labeled, n)
    norms = np.where(mask, -1.0, (g**2).sum(axis=1))
    assert idx[0] == np.argmax(norms)
    want = [norms[idx[0]]] + [min(sq_dist(g, idx[k])[idx[:k]]) for k in range(1, budget)]
    np.testing.assert_allclose(gains, want, rtol=RTOL[probs.dtype.type])
    assert len(set(idx.tolist())) == budget
    assert not mask[idx].any()
    assert np.all(gains[1:] > 0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize("n, classes, d, budget", [(1, 3, 2, 1), (40, 2, 3, 10), (300, 5, 8, 30), (250, 7, 4, 120)])
def test_batches_match_materialised_embeddings(dtype, form, n, classes, d, budget):
    rng = np.random.default_rng(n + classes + d)
    probs, features = pool(rng, n, classes, d, dtype)
    labeled_rows = rng.choice(n, size=min(n - budget, n // 5), replace=False)
    labeled = {
        "none": None,
        "mask": as_mask(labeled_rows, n),
        "indices": np.concatenate([labeled_rows, labeled_rows[:3]]),  # duplicates are fine
    }[form]
    before = probs.copy(), features.copy()
    for seed in (0, 1, 2**40 + 7):
        idx, gains = active.badge(probs, features, budget, labeled=labeled, seed=seed)
        assert type(idx) is np.ndarray and idx.dtype == np.int64 and idx.shape == (budget,)
        assert gains.dtype == dtype and gains.shape == (budget,)
        check_batch(probs, features, labeled, idx, gains)
        want_idx, want_gains = badge_reference(gradient_embeddings(probs, features), as_mask(labeled, n), budget, seed)
        np.testing.assert_array_equal(idx, want_idx)
        np.testing.assert_allclose(gains, want_gains, rtol=RTOL[dtype])
    np.testing.assert_array_equal(probs, before[0])
    np.testing.assert_array_equal(features, before[1])


@pytest.mark.parametrize("dtype", DTYPES)
def test_seeds(dtype):
    rng = np.random.default_rng(11)
    probs, features = pool(rng, 300, 5, 8, dtype)
    labeled = rng.choice(300, size=40, replace=False)
    batches = []
    for seed in range(10):
        idx, gains = active.badge(probs, features, 20, labeled=labeled, seed=seed)
        again = active.badge(probs, features, 20, labeled=labeled, seed=seed)
        np.testing.assert_array_equal(idx, again[0])
        np.testing.assert_array_equal(gains, again[1])
        batches.append(tuple(idx))
    assert len({b[0] for b in batches}) == 1  # the first pick is deterministic
    assert len(set(batches)) == len(batches)


@pytest.mark.parametrize("dtype", DTYPES)
def test_draws_follow_d2_sampling(dtype):
    # Row 0 has the largest ‖g‖ (a flat distribution, long features), so it is always the first pick; row 4 is
    # labeled and row 5 duplicates row 0: neither may be drawn. The second pick follows D² to row 0, the third
    # D² to the nearer of rows 0 and the second pick.
    probs = np.array([[0.4, 0.3, 0.3], [0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.5, 0.5, 0.0],
                      [0.4, 0.3, 0.3], [0.6, 0.1, 0.3]], dtype)
    features = np.array([[3.0, 1.0], [1.0, 1.0], [-1.0, 0.5], [0.5, -1.5], [1.0, 1.0], [3.0, 1.0], [-0.5, -0.5]],
                        dtype)
    n = len(probs)
    g = gradient_embeddings(probs, features)
    mask = as_mask([4], n)
    first = np.where(mask, 0.0, sq_dist(g, 0))
    pairs = np.zeros((n, n))
    for i in np.flatnonzero(first):
        second = np.minimum(first, sq_dist(g, i))
        pairs[i] = first[i] / first.sum() * second / second.sum()
    trials = 4000
    counts = np.zeros((n, n))
    for seed in range(trials):
        idx, _ = active.badge(probs, features, 3, labeled=[4], seed=seed)
        assert idx[0] == 0
        counts[idx[1], idx[2]] += 1
    assert counts[:, [0, 4, 5]].sum() == 0 and counts[[0, 4, 5]].sum() == 0
    assert_frequencies(counts.sum(axis=1), first / first.sum(), trials, "second pick")
    assert_frequencies(counts.ravel(), pairs.ravel(), trials, "second and third picks")


def test_first_pick_takes_the_lowest_index_on_ties():
    rng = np.random.default_rng(12)
    base_probs, base_features = pool(rng, 20, 4, 3, np.float64)
    norms = (gradient_embeddings(base_probs, base_features) ** 2).sum(axis=1)
    top = int(np.argmax(norms))
    # Row 0 is −g_top (the same norm, another point), row top + 1 is g_top and row 21 a duplicate of it.
    probs = np.concatenate([base_probs[[top]], base_probs, base_probs[[top]]])
    features = np.concatenate([-base_features[[top]], base_features, base_features[[top]]])
    idx, gains = active.badge(probs, features, 1)
    assert idx[0] == 0 and gains[0] == pytest.approx(norms[top], rel=1e-12)
    idx, gains = active.badge(probs, features, 20, labeled=[0], seed=3)
    assert idx[0] == top + 1 and 21 not in idx  # a duplicate of a pick has D² = 0
    with pytest.raises(ValueError, match="only 20 picks were possible"):
        active.badge(probs, features, 21, labeled=[0], seed=3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_duplicates_exhaust_the_pool(dtype):
    probs, features = pool(np.random.default_rng(13), 3, 4, 5, dtype)
    probs, features = np.repeat(probs, 2, axis=0), np.repeat(features, 2, axis=0)  # each row twice
    with pytest.raises(ValueError, match="only 3 picks were possible"):
        active.badge(probs, features, 4, seed=1)
    # Labeled rows are no centres: a duplicate of one can still be picked.
    idx, _ = active.badge(probs, features, 3, labeled=[0, 2])
    assert sorted(idx // 2) == [0, 1, 2]
    with pytest.raises(ValueError, match="only 3 picks were possible"):
        active.badge(probs, features, 4, labeled=[0])
    # Confident rows (one-hot probabilities) all have g = 0: one pick, the lowest row.
    one_hot = np.eye(3, dtype=dtype)[[0, 2, 1, 1]]
    idx, gains = active.badge(one_hot, features[:4], 1)
    assert idx[0] == 0 and gains[0] == 0
    with pytest.raises(ValueError, match="only 1 picks were possible"):
        active.badge(one_hot, features[:4], 2)


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor

    probs, features = pool(np.random.default_rng(14), 60, 3, 4, np.float32)
    idx, gains = active.badge(FakeTensor(probs), FakeTensor(features), 5, labeled=FakeTensor(np.arange(4)), seed=9)
    assert isinstance(idx, FakeTensor) and isinstance(gains, FakeTensor)
    want_idx, want_gains = active.badge(probs, features, 5, labeled=np.arange(4), seed=9)
    np.testing.assert_array_equal(np.from_dlpack(idx), want_idx)
    np.testing.assert_array_equal(np.from_dlpack(gains), want_gains)


def not_distributions(p):
    q = p.copy()
    q[2] *= 0.9
    return q


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda p, h: active.badge(p, h, 0), ValueError, "budget"),
        (lambda p, h: active.badge(p, h, 11), ValueError, "budget"),
        (lambda p, h: active.badge(p, h, 8, labeled=[0, 1, 2]), ValueError, "budget.*7 unlabeled of 10"),
        (lambda p, h: active.badge(p, h, 2.0), ValueError, "budget"),
        (lambda p, h: active.badge(p, h, 2, seed=-1), ValueError, "seed"),
        (lambda p, h: active.badge(p, h, 2, seed=2**64), ValueError, "seed"),
        (lambda p, h: active.badge(not_distributions(p), h, 2), ValueError, "probs"),
        (lambda p, h: active.badge(p - 0.1, h, 2), ValueError, "probs"),
        (lambda p, h: active.badge(with_nan(p), h, 2), ValueError, "probs.*NaN"),
        (lambda p, h: active.badge(p, with_nan(h), 2), ValueError, "features.*NaN"),
        (lambda p, h: active.badge(p, np.where(h > 0.5, np.inf, h), 2), ValueError, "features.*infinite"),
        (lambda p, h: active.badge(p, h[:9], 2), ValueError, "features: 9 rows, but probs has 10"),
        (lambda p, h: active.badge(p, h.astype(np.float32), 2), TypeError, "features.*float32"),
        (lambda p, h: active.badge(p.astype(np.float32), h, 2), TypeError, "features.*float64"),
        (lambda p, h: active.badge(p, h, 2, labeled=np.zeros(9, bool)), ValueError, "one entry per row"),
        (lambda p, h: active.badge(p, h, 2, labeled=[3, 10]), ValueError, r"\[0, 9\]"),
        (lambda p, h: active.badge(p, h, 2, labeled=[0.0, 1.0]), TypeError, "labeled"),
        (lambda p, h: active.badge(p[:, 0].copy(), h, 2), ValueError, "probs.*2-D"),
        (lambda p, h: active.badge(p, h[:, 0].copy(), 2), ValueError, "features.*2-D"),
        (lambda p, h: active.badge(p[:0], h[:0], 1), ValueError, "empty"),
        (lambda p, h: active.badge(p, h[:, ::2], 2), ValueError, "contiguous"),
        (lambda p, h: active.badge(p.astype(np.float16), h, 2), TypeError, "probs"),
        (lambda p, h: active.badge(p, h.astype(np.int64), 2), TypeError, "features"),
    ],
)
def test_bad_input(call, error, match):
    probs, features = pool(np.random.default_rng(15), 10, 3, 4, np.float64)
    with pytest.raises(error, match=match):
        call(probs, features)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    probs, features = pool(np.random.default_rng(16), 5, 3, 2, np.float64)
    mask = np.array([1, 0, 0, 1, 0], np.uint8)
    with pytest.raises(ValueError, match="budget"):
        _core.active.badge_select(probs, features, None, 0, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.badge_select(probs, features, mask, 4, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.badge_select(probs, features, None, -1, 0)
    with pytest.raises(ValueError, match="labeled"):
        _core.active.badge_select(probs, features, mask[:4], 1, 0)
    with pytest.raises(ValueError, match="features"):
        _core.active.badge_select(probs, features[:4], None, 1, 0)
    with pytest.raises(ValueError, match="features"):
        _core.active.badge_select(probs, with_nan(np.ones((5, 2))), None, 1, 0)
    with pytest.raises(ValueError, match="probs"):
        _core.active.badge_select(not_distributions(probs), features, None, 1, 0)
    with pytest.raises(TypeError):  # noconvert: mixed dtypes would need a converted copy
        _core.active.badge_select(probs, features.astype(np.float32), None, 1, 0)
    with pytest.raises(TypeError):
        _core.active.badge_select(probs, features, mask.astype(bool), 1, 0)
    idx, gains = _core.active.badge_select(probs, features, mask, 3, 0)
    check_batch(probs, features, mask.astype(bool), idx, gains)
