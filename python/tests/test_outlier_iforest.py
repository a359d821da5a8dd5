"""tamis.outlier.IsolationForest next to scikit-learn's: same distribution of scores (not the same
random streams), the same ranking quality, determinism and parameter handling."""

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest as SkIsolationForest
from sklearn.metrics import roc_auc_score

from tamis.outlier import IsolationForest


def data(seed=0, n=2000, d=8):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    y = np.zeros(n, int)
    y[:40] = 1
    x[:40] += rng.choice([-5, 5], size=(40, d))
    return x, y


def test_scores_follow_sklearn():
    x, y = data()
    ours = IsolationForest(n_estimators=1000, seed=1).fit(x)
    sk = SkIsolationForest(n_estimators=1000, random_state=1).fit(x)
    ref = -sk.score_samples(x)
    # Different random streams: with many trees both converge to the same expected score.
    assert np.max(np.abs(ours.decision_scores_ - ref)) < 0.03
    assert np.corrcoef(ours.decision_scores_, ref)[0, 1] > 0.99
    assert roc_auc_score(y, ours.decision_scores_) > 0.99
    assert np.all((ours.decision_scores_ > 0) & (ours.decision_scores_ <= 1))


def test_seeded_and_float32():
    x, _ = data()
    a = IsolationForest(seed=7).fit(x).decision_scores_
    np.testing.assert_array_equal(a, IsolationForest(seed=7).fit(x).decision_scores_)
    assert not np.array_equal(a, IsolationForest(seed=8).fit(x).decision_scores_)
    b = IsolationForest(seed=7).fit(x.astype(np.float32)).decision_scores_
    assert b.dtype == np.float32
    assert np.corrcoef(a, b)[0, 1] > 0.99


def test_parameters():
    x, _ = data(n=300)
    assert IsolationForest().fit(x).max_samples_ == 256
    assert IsolationForest(max_samples=50).fit(x).max_samples_ == 50
    assert IsolationForest(max_samples=1000).fit(x).max_samples_ == 300  # clamped to n
    assert IsolationForest(max_samples=0.5).fit(x).max_samples_ == 150
    assert IsolationForest(max_features=0.5, bootstrap=True).fit(x).feature_.shape == (100, 511)
    for bad in [dict(n_estimators=0), dict(max_samples="all"), dict(max_samples=0.0), dict(max_features=0),
                dict(seed=-1), dict(bootstrap="yes")]:
        with pytest.raises(ValueError):
            IsolationForest(**bad).fit(x)
    det = IsolationForest().fit(x)
    with pytest.raises(ValueError, match="features"):
        det.decision_function(np.zeros((2, 3)))
