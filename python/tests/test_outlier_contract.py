"""PyOD's estimator contract, checked on every tamis detector alike: threshold_, labels_, predict,
predict_proba (both methods), fit_predict, get_params/set_params, and bad inputs."""

import numpy as np
import pytest
from scipy.special import erf

import tamis.outlier as od

DETECTORS = [od.KNN, od.LOF, od.IsolationForest, od.PCA, od.Mahalanobis, od.MCD, od.ECOD, od.COPOD, od.HBOS]


def data(seed=0):
    rng = np.random.default_rng(seed)
    train = rng.standard_normal((300, 5))
    train[:6] += 7
    return train, rng.standard_normal((80, 5)) * 2


@pytest.mark.parametrize("cls", DETECTORS)
def test_pyod_contract(cls):
    train, test = data()
    det = cls(contamination=0.05)
    assert det.fit(train) is det
    s = det.decision_scores_
    assert s.shape == (300,) and s.dtype == np.float64 and np.all(np.isfinite(s))
    assert det.threshold_ == np.percentile(s, 95)
    np.testing.assert_array_equal(det.labels_, (s > det.threshold_).astype(int))
    assert set(np.flatnonzero(det.labels_)) <= set(np.argsort(-s)[:15])
    scores = det.decision_function(test)
    np.testing.assert_array_equal(det.predict(test), (scores > det.threshold_).astype(int))
    lin = det.predict_proba(test)
    np.testing.assert_allclose(lin[:, 1], np.clip((scores - s.min()) / (s.max() - s.min()), 0, 1))
    uni = det.predict_proba(test, method="unify")
    np.testing.assert_allclose(uni[:, 1], np.clip(erf((scores - s.mean()) / (s.std() * np.sqrt(2))), 0, 1))
    np.testing.assert_allclose(uni.sum(axis=1), 1)
    np.testing.assert_array_equal(cls(contamination=0.05).fit_predict(train), det.labels_)
    with pytest.raises(ValueError, match="method"):
        det.predict_proba(test, method="softmax")


@pytest.mark.parametrize("cls", DETECTORS)
def test_fitted_detectors_pickle(cls):
    import pickle

    train, test = data()
    det = cls().fit(train)
    again = pickle.loads(pickle.dumps(det))
    np.testing.assert_array_equal(again.decision_function(test), det.decision_function(test))
    assert again.threshold_ == det.threshold_


@pytest.mark.parametrize("cls", DETECTORS)
def test_params_round_trip_and_clone(cls):
    from sklearn.base import clone

    det = cls()
    params = det.get_params()
    assert params["contamination"] == 0.1
    assert det.set_params(contamination=0.2) is det and det.contamination == 0.2
    copy = clone(det)
    assert copy.get_params() == det.get_params() and copy is not det
    with pytest.raises(ValueError, match="not a parameter"):
        det.set_params(colour="red")
    assert repr(det).startswith(cls.__name__ + "(")


@pytest.mark.parametrize("cls", DETECTORS)
def test_bad_inputs(cls):
    train, test = data()
    with pytest.raises(ValueError, match="not fitted"):
        cls().decision_function(test)
    for c in (0, 0.6, -0.1, "0.1", True):
        with pytest.raises(ValueError, match="contamination"):
            cls(contamination=c).fit(train)
    bad = train.copy()
    bad[3, 2] = np.inf
    with pytest.raises(ValueError, match="Inf|finite"):
        cls().fit(bad)
    det = cls().fit(train)
    with pytest.raises(ValueError, match="features"):
        det.decision_function(np.zeros((4, 3)))
    with pytest.raises(TypeError):
        det.decision_function(test.astype(np.float32))
    with pytest.raises(TypeError):
        cls().fit(train.astype(np.int64))
    before = train.copy()
    cls().fit(train).decision_function(train)
    np.testing.assert_array_equal(train, before)


@pytest.mark.parametrize("cls", [od.KNN, od.LOF, od.IsolationForest, od.PCA, od.Mahalanobis, od.ECOD, od.HBOS])
def test_duplicate_rows_and_constant_columns(cls):
    rng = np.random.default_rng(1)
    x = np.repeat(rng.standard_normal((50, 4)), 3, axis=0)
    x[:, 2] = 1.5  # a constant column
    s = cls().fit(x).decision_scores_
    assert np.all(np.isfinite(s))
