"""tamis.active scores against NumPy/SciPy definitions, scikit-activeml's test vectors and their properties."""


import numpy as np
import pytest
from scipy.special import entr, rel_entr

from tamis import _core, active

from _helpers import with_nan

DTYPES = [np.float32, np.float64]


def tolerance(dtype):
    return dict(rtol=1e-4, atol=2e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)


def dirichlet(rng, shape, zeros=0.2):
    """Random distributions along the last axis with about `zeros` of the entries exactly 0."""
    p = rng.dirichlet(np.full(shape[-1], 0.5), size=shape[:-1])
    if shape[-1] > 1:
        p[rng.random(p.shape) < zeros] = 0.0
        p[p.sum(axis=-1) == 0, 0] = 1.0
    return p / p.sum(axis=-1, keepdims=True)


def eighths(rng, shape):
    """Distributions in multiples of 1/8 (exact in both dtypes): many tied maxima and zeros."""
    counts = rng.multinomial(8, np.full(shape[-1], 1 / shape[-1]), size=shape[:-1])
    return counts / 8.0


def uncertainty_reference(probs, kind):
    p = probs.astype(np.float64)
    top = -np.sort(-p, axis=1)
    p1 = top[:, 0]
    p2 = top[:, 1] if p.shape[1] > 1 else np.zeros(len(p))
    return {
        "least_confidence": 1 - p1,
        "margin": 1 - (p1 - p2),
        "ratio": p2 / p1,
        "entropy": entr(p).sum(axis=1),
    }[kind]


def ensemble_reference(probs, kind):
    p = probs.astype(np.float64)  # (n, K, C)
    n, k, c = p.shape
    mean = p.mean(axis=1)
    votes = np.zeros((n, c))
    np.add.at(votes, (np.repeat(np.arange(n), k), p.argmax(axis=2).ravel()), 1.0 / k)  # argmax: lowest on ties
    kl = rel_entr(p, mean[:, None, :]).sum(axis=2)
    return {
        "consensus_entropy": entr(mean).sum(axis=1),
        "vote_entropy": entr(votes).sum(axis=1),
        "kl_max": kl.max(axis=1),
        "kl_mean": kl.mean(axis=1),
        "bald": entr(mean).sum(axis=1) - entr(p).sum(axis=2).mean(axis=1),
        "variation_ratio": 1 - mean.max(axis=1),
        "vote_variation_ratio": 1 - votes.max(axis=1),
        "mean_std": p.std(axis=1).mean(axis=1),
    }[kind]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", active.UNCERTAINTY_KINDS)
@pytest.mark.parametrize("shape", [(300, 10), (50, 1), (40, 2), (3, 1000)])
@pytest.mark.parametrize("draw", [dirichlet, eighths])
def test_uncertainty_matches_numpy(dtype, kind, shape, draw):
    probs = draw(np.random.default_rng(sum(shape)), shape).astype(dtype)
    before = probs.copy()
    got = active.uncertainty(probs, kind)
    assert type(got) is np.ndarray and got.dtype == dtype and got.shape == (shape[0],)
    np.testing.assert_allclose(got, uncertainty_reference(probs, kind), **tolerance(dtype))
    np.testing.assert_array_equal(probs, before)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", active.ENSEMBLE_KINDS)
@pytest.mark.parametrize("shape", [(200, 5, 10), (30, 1, 4), (30, 7, 1), (40, 3, 2), (2, 20, 300)])
@pytest.mark.parametrize("draw", [dirichlet, eighths])
def test_ensemble_matches_numpy(dtype, kind, shape, draw):
    probs = draw(np.random.default_rng(sum(shape)), shape).astype(dtype)
    before = probs.copy()
    got = active.ensemble(probs, kind)
    assert type(got) is np.ndarray and got.dtype == dtype and got.shape == (shape[0],)
    np.testing.assert_allclose(got, ensemble_reference(probs, kind), **tolerance(dtype))
    np.testing.assert_array_equal(probs, before)


def test_scikit_activeml_vectors():
    # skactiveml pool/tests/test_uncertainty_sampling.py; ratio is p(2) / p(1) of the same rows.
    probs = np.array([[0.2, 0.5, 0.3], [0.1, 0.7, 0.2]])
    np.testing.assert_allclose(active.least_confidence(probs), [0.5, 0.3], rtol=1e-12)
    np.testing.assert_allclose(active.entropy(probs), [1.029653014, 0.8018185525], rtol=1e-9)
    np.testing.assert_allclose(active.margin(probs), [0.8, 0.5], rtol=1e-12)
    np.testing.assert_allclose(active.ratio(probs), [0.6, 0.2 / 0.7], rtol=1e-12)
    np.testing.assert_allclose(active.uncertainty(probs), active.entropy(probs))  # the default kind


def test_vote_ties_go_to_the_lowest_class():
    # Member 0 ties classes 1 and 2 (votes 1), member 1 votes 2, member 2 ties all three (votes 0).
    probs = np.array([[[0.0, 0.5, 0.5], [0.1, 0.2, 0.7], [1 / 3, 1 / 3, 1 / 3]]])
    np.testing.assert_allclose(active.vote_entropy(probs), [np.log(3)], rtol=1e-12)
    np.testing.assert_allclose(active.variation_ratios(probs, mode="votes"), [2 / 3], rtol=1e-12)
    probs[0, 2] = [0.2, 0.4, 0.4]  # now votes 1: classes 1, 2, 1
    np.testing.assert_allclose(active.vote_entropy(probs), entr(np.array([1 / 3, 2 / 3])).sum(), rtol=1e-12)
    np.testing.assert_allclose(active.variation_ratios(probs, mode="votes"), [1 / 3], rtol=1e-12)


def test_shortcuts_name_the_kinds():
    probs = dirichlet(np.random.default_rng(1), (60, 4, 5))
    pairs = [
        (active.bald(probs), "bald"),
        (active.consensus_entropy(probs), "consensus_entropy"),
        (active.vote_entropy(probs), "vote_entropy"),
        (active.kl_divergence(probs), "kl_max"),
        (active.kl_divergence(probs, reduce="mean"), "kl_mean"),
        (active.variation_ratios(probs), "variation_ratio"),
        (active.variation_ratios(probs, mode="votes"), "vote_variation_ratio"),
        (active.mean_std(probs), "mean_std"),
    ]
    for got, kind in pairs:
        np.testing.assert_allclose(got, ensemble_reference(probs, kind), rtol=1e-10, atol=1e-12, err_msg=kind)
    np.testing.assert_array_equal(active.ensemble(probs), active.bald(probs))  # the default kind


@pytest.mark.parametrize("dtype", DTYPES)
def test_properties(dtype):
    probs = dirichlet(np.random.default_rng(2), (500, 6, 8)).astype(dtype)
    scores = {kind: active.ensemble(probs, kind).astype(np.float64) for kind in active.ENSEMBLE_KINDS}
    for kind, s in scores.items():
        assert (s >= 0).all(), kind
    # mean_k KL(p_k ‖ p̄) = H(p̄) − mean_k H(p_k), and neither exceeds the predictive entropy.
    rtol = 1e-6 if dtype == np.float64 else 1e-3
    np.testing.assert_allclose(scores["kl_mean"], scores["bald"], rtol=rtol, atol=rtol * 1e-2)
    assert (scores["kl_max"] >= scores["kl_mean"] * (1 - rtol)).all()
    assert (scores["bald"] <= scores["consensus_entropy"] * (1 + rtol)).all()
    one = dirichlet(np.random.default_rng(3), (500, 8)).astype(dtype)
    assert (active.ratio(one) <= 1).all() and (active.margin(one) <= 1).all()
    assert (active.least_confidence(one) <= 1 - 1 / 8 + 1e-6).all()


@pytest.mark.parametrize("dtype", DTYPES)
def test_identical_members_agree(dtype):
    # Identical one-hot members: no uncertainty of any kind.
    onehot = np.eye(4, dtype=dtype)[[0, 3, 1]]
    probs = np.repeat(onehot[:, None, :], 5, axis=1)
    for kind in active.ENSEMBLE_KINDS:
        np.testing.assert_array_equal(active.ensemble(probs, kind), np.zeros(3, dtype), err_msg=kind)
    for kind in active.UNCERTAINTY_KINDS:
        np.testing.assert_array_equal(active.uncertainty(onehot, kind), np.zeros(3, dtype), err_msg=kind)
    # Identical soft members: no disagreement, the predictive scores remain.
    row = np.array([0.5, 0.25, 0.125, 0.125], dtype)
    probs = np.tile(row, (2, 4, 1))
    for kind in ("vote_entropy", "kl_max", "kl_mean", "bald", "vote_variation_ratio", "mean_std"):
        np.testing.assert_allclose(active.ensemble(probs, kind), 0, atol=1e-6, err_msg=kind)
    np.testing.assert_allclose(active.consensus_entropy(probs), entr(row.astype(np.float64)).sum(), rtol=1e-6)
    np.testing.assert_allclose(active.variation_ratios(probs), 0.5, rtol=1e-6)


def test_one_class():
    probs = np.ones((3, 1))
    for kind in active.UNCERTAINTY_KINDS:  # p(2) = 0: margin 1 − (1 − 0) = 0, ratio 0 / 1 = 0
        np.testing.assert_array_equal(active.uncertainty(probs, kind), np.zeros(3), err_msg=kind)
    for kind in active.ENSEMBLE_KINDS:
        np.testing.assert_array_equal(active.ensemble(np.ones((3, 4, 1)), kind), np.zeros(3), err_msg=kind)


def test_sums_within_tolerance_are_accepted():
    probs = np.array([[0.5 + 5e-5, 0.5], [0.5, 0.5 - 5e-5]])
    np.testing.assert_allclose(active.least_confidence(probs), [0.5 - 5e-5, 0.5], rtol=1e-12)
    with pytest.raises(ValueError, match="not distributions"):
        active.least_confidence(probs + [[2e-4, 0.0], [0.0, 0.0]])


def test_ensemble_reshape_shares_memory(monkeypatch):
    probs = dirichlet(np.random.default_rng(4), (10, 3, 4))
    seen = []
    kernel = _core.active.ensemble_scores

    def spy(p, members, kind):
        seen.append((p, members))
        return kernel(p, members, kind)

    monkeypatch.setattr(_core.active, "ensemble_scores", spy)
    active.bald(probs)
    (p, members), = seen
    assert p.shape == (10, 12) and members == 3 and np.shares_memory(p, probs)


def test_results_come_back_in_the_producers_family(fake_tensor):
    FakeTensor = fake_tensor

    probs = dirichlet(np.random.default_rng(5), (20, 3, 4)).astype(np.float32)
    got = active.bald(FakeTensor(probs))
    assert isinstance(got, FakeTensor)
    np.testing.assert_array_equal(np.from_dlpack(got), active.bald(probs))
    got = active.entropy(FakeTensor(probs[:, 0].copy()))
    assert isinstance(got, FakeTensor)
    assert type(active.entropy(probs[:, 0].tolist())) is np.ndarray


def bad_rows(p):
    q = p.copy()
    q[1] *= 0.9
    return q


def negative(p):
    q = p.copy()
    q[0, :2] = [-0.05, q[0, 1] + q[0, 0] + 0.05]
    return q


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda p, e: active.uncertainty(bad_rows(p)), ValueError, "not distributions"),
        (lambda p, e: active.uncertainty(negative(p)), ValueError, "not distributions"),
        (lambda p, e: active.uncertainty(p * 2), ValueError, "not distributions"),
        (lambda p, e: active.uncertainty(with_nan(p, (2, 0))), ValueError, "NaN"),
        (lambda p, e: active.uncertainty(p, "smallest_margin"), ValueError, "least_confidence, margin"),
        (lambda p, e: active.uncertainty(p, None), ValueError, "kind"),
        (lambda p, e: active.uncertainty(e), ValueError, "2-D"),
        (lambda p, e: active.uncertainty(p[0]), ValueError, "2-D"),
        (lambda p, e: active.uncertainty(p[:0]), ValueError, "empty"),
        (lambda p, e: active.uncertainty(p.astype(np.float16)), TypeError, "probs"),
        (lambda p, e: active.uncertainty(np.asfortranarray(p)), ValueError, "contiguous"),
        (lambda p, e: active.uncertainty(p[:, ::2]), ValueError, "contiguous"),
        (lambda p, e: active.ensemble(bad_rows(e.reshape(len(e), -1)).reshape(e.shape)), ValueError, "not distr"),
        (lambda p, e: active.ensemble(with_nan(e.reshape(len(e), -1), (2, 0)).reshape(e.shape)), ValueError, "NaN"),
        (lambda p, e: active.ensemble(e, "max_entropy"), ValueError, "consensus_entropy, vote_entropy"),
        (lambda p, e: active.ensemble(p), ValueError, "3-D.*uncertainty"),
        (lambda p, e: active.ensemble(e[None]), ValueError, "3-D"),
        (lambda p, e: active.ensemble(e[:, :0]), ValueError, "empty"),
        (lambda p, e: active.ensemble(e[:0]), ValueError, "empty"),
        (lambda p, e: active.ensemble(e.astype(np.int64)), TypeError, "probs"),
        (lambda p, e: active.ensemble(e.transpose(0, 2, 1)), ValueError, "contiguous"),
        (lambda p, e: active.ensemble(np.asfortranarray(e)), ValueError, "contiguous"),
        (lambda p, e: active.ensemble(e[:, ::2]), ValueError, "contiguous"),
        (lambda p, e: active.kl_divergence(e, reduce="sum"), ValueError, "reduce"),
        (lambda p, e: active.variation_ratios(e, mode="vote"), ValueError, "mode"),
    ],
)
def test_bad_input(call, error, match):
    rng = np.random.default_rng(6)
    p, e = dirichlet(rng, (20, 6), zeros=0), dirichlet(rng, (20, 4, 3), zeros=0)
    with pytest.raises(error, match=match):
        call(p, e)


def test_each_member_must_be_a_distribution():
    # Both members of row 0 are off (1.4 and 0.6) although the row sums to K = 2.
    probs = np.array([[[0.7, 0.7], [0.3, 0.3]], [[0.5, 0.5], [1.0, 0.0]]])
    with pytest.raises(ValueError, match="2 of 4 probability vectors"):
        active.bald(probs)


def test_kernel_rejects_what_the_python_layer_would_not_send():
    probs = np.full((2, 6), 1 / 3)
    with pytest.raises(ValueError, match="members"):
        _core.active.ensemble_scores(probs, 4, "bald")
    with pytest.raises(ValueError, match="members"):
        _core.active.ensemble_scores(probs, 0, "bald")
    with pytest.raises(ValueError, match="kind"):
        _core.active.uncertainty_scores(probs, "margins")
    with pytest.raises(TypeError):  # noconvert: a copy would be needed
        _core.active.uncertainty_scores(np.asfortranarray(probs), "margin")
