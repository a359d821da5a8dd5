"""tamis.active BatchBALD: exact picks and gains against a brute-force NumPy greedy (every label configuration
enumerated), budget 1 against BALD's top pick, the sampled estimate converging to the exact one, seeds,
scikit-activeml's batch_bald in the exact regime, and argument checks."""

import itertools

import numpy as np
import pytest

from tamis import _core, active

from _helpers import as_mask, with_nan

DTYPES = [np.float32, np.float64]
ATOL = {np.float32: 1e-5, np.float64: 1e-10}


def pool(rng, n, members, classes, dtype=np.float64):
    """Members that disagree: softmaxes of a per-row part shared by the members plus a per-member part."""
    logits = 1.5 * rng.normal(size=(n, 1, classes)) + 1.5 * rng.normal(size=(n, members, classes))
    p = np.exp(logits)
    return (p / p.sum(axis=2, keepdims=True)).astype(dtype)


def acquisition(probs, rows):
    """a(rows) = H(y_rows) − Σ_i mean_k H(p_k(x_i)), the joint p(ŷ) = mean_k Π_i p_k(ŷ_i) over every configuration."""
    p = probs.astype(np.float64)
    classes = p.shape[2]
    configs = np.array(list(itertools.product(range(classes), repeat=len(rows))))  # C^L × L
    prod = np.ones((len(configs), p.shape[1]))
    for i, row in enumerate(rows):
        prod *= p[row][:, configs[:, i]].T
    joint = prod.mean(axis=1)
    joint_entropy = -np.sum(joint * np.log(joint, where=joint > 0, out=np.zeros_like(joint)))
    cond = -np.sum(p[rows] * np.log(p[rows], where=p[rows] > 0, out=np.zeros_like(p[rows]))) / p.shape[1]
    return joint_entropy - cond


def greedy_reference(probs, budget, mask):
    """The unlabeled, unpicked row of largest a(picks + row) each step (first of equals); gains along the picks."""
    picks, gains, previous = [], [], 0.0
    for _ in range(budget):
        values = [acquisition(probs, picks + [i]) if not mask[i] and i not in picks else -np.inf
                  for i in range(len(probs))]
        best = int(np.argmax(values))
        picks.append(best)
        gains.append(values[best] - previous)
        previous = values[best]
    return np.array(picks), np.array(gains)


def reference_gains(probs, picks):
    values = [acquisition(probs, list(picks[:j])) for j in range(1, len(picks) + 1)]
    return np.diff(values, prepend=0.0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["none", "mask", "indices"])
@pytest.mark.parametrize("n, members, classes, budget", [(1, 1, 2, 1), (12, 5, 3, 4), (10, 4, 2, 6), (15, 3, 6, 3)])
def test_exact_batches_match_brute_force(dtype, form, n, members, classes, budget):
    rng = np.random.default_rng(n + members + classes)
    probs = pool(rng, n, members, classes, dtype)
    labeled_rows = rng.choice(n, size=min(n - budget, n // 4), replace=False)
    labeled = {"none": None, "mask": as_mask(labeled_rows, n),
               "indices": np.concatenate([labeled_rows, labeled_rows[:2]])}[form]
    before = probs.copy()
    want_idx, want_gains = greedy_reference(probs, budget, as_mask(labeled, n))
    idx, gains = active.batchbald(probs, budget, labeled=labeled, num_samples=classes**budget)
    assert type(idx) is np.ndarray and idx.dtype == np.int64 and idx.shape == (budget,)
    assert gains.dtype == dtype and gains.shape == (budget,)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(gains, want_gains, atol=ATOL[dtype])
    assert np.all(np.diff(gains) <= 10 * ATOL[dtype])  # a is submodular: greedy gains never grow
    assert not as_mask(labeled, n)[idx].any()
    np.testing.assert_array_equal(probs, before)


@pytest.mark.parametrize("dtype", DTYPES)
def test_budget_one_is_balds_top_pick(dtype):
    rng = np.random.default_rng(3)
    probs = pool(rng, 500, 10, 7, dtype)
    labeled = rng.choice(500, size=60, replace=False)
    want_idx, want_score = active.top_b(active.bald(probs), 1, labeled=labeled)
    idx, gains = active.batchbald(probs, 1, labeled=labeled)
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(gains, want_score, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_batch_beats_balds_top_b_on_duplicates():
    # Rows 0..4 copy the row of largest BALD: BALD's top 5 takes the copies, each worth far less once its twins
    # are in the batch; BatchBALD's batch carries more joint information.
    rng = np.random.default_rng(4)
    probs = pool(rng, 40, 8, 4)
    top = int(np.argmax(active.bald(probs)))
    probs = np.ascontiguousarray(np.concatenate([np.repeat(probs[[top]], 5, axis=0), probs]))
    top_b, _ = active.top_b(active.bald(probs), 5)
    np.testing.assert_array_equal(top_b, np.arange(5))
    idx, gains = active.batchbald(probs, 5)
    assert idx[0] == 0
    np.testing.assert_allclose(gains, reference_gains(probs, idx), atol=1e-10)
    assert acquisition(probs, list(idx)) > acquisition(probs, list(top_b)) + 0.1


def test_sampled_estimate_converges_to_exact():
    # 4^7 = 16,384 configurations: every limit below samples the last steps (⌊limit / K⌋ draws per member).
    # Each run's gains are compared with the exact gains of the picks it made.
    probs = pool(np.random.default_rng(5), 14, 6, 4)
    errors = []
    for limit in (60, 600, 6000, 16383):
        worst = 0.0
        for seed in range(3):
            idx, gains = active.batchbald(probs, 7, num_samples=limit, seed=seed)
            worst = max(worst, np.abs(gains - reference_gains(probs, idx)).max())
        errors.append(worst)
    assert errors[0] > 0.05 and errors[-1] < 0.05
    assert all(later < earlier for earlier, later in zip(errors, errors[1:])), errors


@pytest.mark.parametrize("dtype", DTYPES)
def test_seeds(dtype):
    probs = pool(np.random.default_rng(6), 200, 5, 3, dtype)
    exact = [active.batchbald(probs, 5, num_samples=243, seed=s) for s in (0, 1)]  # 3^5: seed unused
    np.testing.assert_array_equal(exact[0][0], exact[1][0])
    np.testing.assert_array_equal(exact[0][1], exact[1][1])
    runs = [active.batchbald(probs, 8, num_samples=100, seed=s) for s in (0, 0, 1)]
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    np.testing.assert_array_equal(runs[0][0][:4], runs[2][0][:4])  # 3^4 ≤ 100: the first four are exact
    assert not np.array_equal(runs[0][1][4:], runs[2][1][4:])


def test_matches_scikit_activeml_in_the_exact_regime():
    bald = pytest.importorskip("skactiveml.pool._bald")
    probs = pool(np.random.default_rng(7), 60, 8, 3)
    budget = 5
    # scikit-activeml samples once C^picks > n_MC_samples; 3^4 = 81 keeps it exact. It clips at eps = 1e-7.
    utilities = bald.batch_bald(probs.swapaxes(0, 1).copy(), budget, n_MC_samples=81, random_state=0)
    idx, gains = active.batchbald(probs, budget, num_samples=3**budget)
    np.testing.assert_array_equal(idx, np.nanargmax(utilities, axis=1))
    np.testing.assert_allclose(gains.cumsum(), utilities[np.arange(budget), idx], atol=1e-5)


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor

    probs = pool(np.random.default_rng(8), 30, 4, 3, np.float32)
    idx, gains = active.batchbald(FakeTensor(probs), 4, labeled=FakeTensor(np.arange(3)))
    assert isinstance(idx, FakeTensor) and isinstance(gains, FakeTensor)
    want_idx, want_gains = active.batchbald(probs, 4, labeled=np.arange(3))
    np.testing.assert_array_equal(np.from_dlpack(idx), want_idx)
    np.testing.assert_array_equal(np.from_dlpack(gains), want_gains)


def not_distributions(p):
    q = p.copy()
    q[2, 1] *= 0.9
    return q


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda p: active.batchbald(p, 0), ValueError, "budget"),
        (lambda p: active.batchbald(p, 11), ValueError, "budget"),
        (lambda p: active.batchbald(p, 8, labeled=[0, 1, 2]), ValueError, "budget.*7 unlabeled of 10"),
        (lambda p: active.batchbald(p, 1, labeled=np.ones(10, bool)), ValueError, "budget.*0 unlabeled"),
        (lambda p: active.batchbald(p, 2.0), ValueError, "budget"),
        (lambda p: active.batchbald(p, 2, num_samples=3), ValueError, "num_samples.*n_members = 4"),
        (lambda p: active.batchbald(p, 2, num_samples=1e5), ValueError, "num_samples"),
        (lambda p: active.batchbald(p, 2, seed=-1), ValueError, "seed"),
        (lambda p: active.batchbald(not_distributions(p), 2), ValueError, "probs.*not distributions"),
        (lambda p: active.batchbald(p - 0.1, 2), ValueError, "probs"),
        (lambda p: active.batchbald(with_nan(p, (3, 1, 0)), 2), ValueError, "probs.*NaN"),
        (lambda p: active.batchbald(p, 2, labeled=np.zeros(9, bool)), ValueError, "one entry per row"),
        (lambda p: active.batchbald(p, 2, labeled=[3, 10]), ValueError, r"\[0, 9\]"),
        (lambda p: active.batchbald(p[:, 0].copy(), 2), ValueError, "probs.*3-D"),
        (lambda p: active.batchbald(p[:0], 1), ValueError, "empty"),
        (lambda p: active.batchbald(p[:, ::2], 2), ValueError, "contiguous"),
        (lambda p: active.batchbald(p.astype(np.float16), 2), TypeError, "probs"),
        (lambda p: active.batchbald(p.astype(np.int64), 2), TypeError, "probs"),
    ],
)
def test_bad_input(call, error, match):
    probs = pool(np.random.default_rng(9), 10, 4, 3)
    with pytest.raises(error, match=match):
        call(probs)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    probs = pool(np.random.default_rng(10), 5, 4, 3).reshape(5, 12)
    mask = np.array([1, 0, 0, 1, 0], np.uint8)
    with pytest.raises(ValueError, match="budget"):
        _core.active.batchbald_select(probs, 4, None, 0, 100, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.batchbald_select(probs, 4, mask, 4, 100, 0)
    with pytest.raises(ValueError, match="budget"):
        _core.active.batchbald_select(probs, 4, None, -1, 100, 0)
    with pytest.raises(ValueError, match="members"):
        _core.active.batchbald_select(probs, 5, None, 1, 100, 0)
    with pytest.raises(ValueError, match="members"):
        _core.active.batchbald_select(probs, 0, None, 1, 100, 0)
    with pytest.raises(ValueError, match="max_configurations"):
        _core.active.batchbald_select(probs, 4, None, 1, 3, 0)
    with pytest.raises(ValueError, match="labeled"):
        _core.active.batchbald_select(probs, 4, mask[:4], 1, 100, 0)
    with pytest.raises(ValueError, match="probs"):
        _core.active.batchbald_select(not_distributions(probs.reshape(5, 4, 3)).reshape(5, 12), 4, None, 1, 100, 0)
    with pytest.raises(TypeError):
        _core.active.batchbald_select(probs, 4, mask.astype(bool), 1, 100, 0)
    idx, gains = _core.active.batchbald_select(probs, 4, mask, 3, 100, 0)
    want_idx, want_gains = greedy_reference(probs.reshape(5, 4, 3), 3, mask.astype(bool))
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(gains, want_gains, atol=1e-10)
