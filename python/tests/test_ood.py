"""tamis.outlier.ood against NumPy/SciPy definitions of MSP, MaxLogit, Energy and entropy."""

import numpy as np
import pytest
from scipy.special import logsumexp, softmax
from scipy.stats import entropy as scipy_entropy
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from tamis.outlier import ood

DTYPES = [np.float32, np.float64]


def reference(logits, kind, t):
    f = logits.astype(np.float64)
    if kind == "max_logit":
        return -f.max(axis=1)
    if kind == "energy":
        return -t * logsumexp(f / t, axis=1)
    p = softmax(f / t, axis=1)
    return -p.max(axis=1) if kind == "msp" else scipy_entropy(p, axis=1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ood.KINDS)
@pytest.mark.parametrize("t", [1.0, 0.3, 1000.0])
@pytest.mark.parametrize("shape", [(200, 10), (50, 1), (3, 1000)])
def test_matches_scipy(dtype, kind, t, shape):
    logits = (np.random.default_rng(sum(shape)).standard_normal(shape) * 5).astype(dtype)
    before = logits.copy()
    got = ood.logit_scores(logits, kind, t)
    assert got.dtype == dtype and got.shape == (shape[0],)
    rtol = 2e-5 if dtype == np.float32 else 1e-11
    np.testing.assert_allclose(got, reference(logits, kind, t), rtol=rtol, atol=rtol)
    np.testing.assert_array_equal(logits, before)


def test_named_helpers_and_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [999.0, 999.0, 999.0]])
    np.testing.assert_allclose(ood.msp(logits), [-1.0, -1 / 3])
    np.testing.assert_allclose(ood.max_logit(logits), [-1000.0, -999.0])
    np.testing.assert_allclose(ood.energy(logits), [-1000.0, -(999 + np.log(3))])
    np.testing.assert_allclose(ood.entropy(logits), [0.0, np.log(3)], atol=1e-12)
    np.testing.assert_allclose(ood.energy(logits, temperature=2.0), reference(logits, "energy", 2.0))


def test_unseen_digits_score_higher():
    # A classifier of digits 0-4; digits 5-9 are out of distribution and should mostly score higher.
    digits = load_digits()
    x, y = digits.data / 16.0, digits.target
    seen = y < 5
    model = LogisticRegression(max_iter=2000).fit(x[seen][::2], y[seen][::2])
    test = np.concatenate([x[seen][1::2], x[~seen]])
    is_ood = np.concatenate([np.zeros(len(x[seen][1::2])), np.ones((~seen).sum())])
    logits = model.decision_function(test)
    for kind in ood.KINDS:
        auroc = roc_auc_score(is_ood, ood.logit_scores(logits, kind))
        assert auroc > 0.85, (kind, auroc)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda x: ood.logit_scores(x, "odin"), ValueError, "kind"),
        (lambda x: ood.logit_scores(x, "energy", 0.0), ValueError, "temperature"),
        (lambda x: ood.logit_scores(x, "energy", -1.0), ValueError, "temperature"),
        (lambda x: ood.logit_scores(x.astype(np.int64)), TypeError, "logits"),
        (lambda x: ood.logit_scores(x[:, ::2]), ValueError, "contiguous"),
        (lambda x: ood.logit_scores(x[0]), ValueError, "2-D"),
        (lambda x: ood.logit_scores(np.where(x > 1, np.nan, x)), ValueError, "NaN"),
        (lambda x: ood.logit_scores(x[:0]), ValueError, "empty"),
    ],
)
def test_bad_input(call, error, match):
    x = np.random.default_rng(0).standard_normal((20, 6))
    with pytest.raises(error, match=match):
        call(x)
