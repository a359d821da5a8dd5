"""tamis.outlier.KNN and LOF side by side with PyOD and scikit-learn on the same inputs."""

import warnings

import numpy as np
import pytest
from sklearn.neighbors import LocalOutlierFactor

from tamis.outlier import KNN, LOF

pyod_knn = pytest.importorskip("pyod.models.knn")
pyod_lof = pytest.importorskip("pyod.models.lof")


def data(n=400, m=150, d=6, seed=0):
    rng = np.random.default_rng(seed)
    train = rng.standard_normal((n, d))
    train[:10] *= 6  # a few planted outliers
    test = rng.standard_normal((m, d)) * 1.5
    return train, test


@pytest.mark.parametrize("method", ["largest", "mean", "median"])
@pytest.mark.parametrize("k", [1, 5, 12])
def test_knn_matches_pyod(method, k):
    train, test = data()
    ours = KNN(contamination=0.05, n_neighbors=k, method=method).fit(train)
    ref = pyod_knn.KNN(contamination=0.05, n_neighbors=k, method=method).fit(train)
    np.testing.assert_allclose(ours.decision_scores_, ref.decision_scores_, rtol=1e-9)
    np.testing.assert_allclose(ours.decision_function(test), ref.decision_function(test), rtol=1e-9)
    assert ours.threshold_ == pytest.approx(ref.threshold_, rel=1e-9)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_array_equal(ours.predict(test), ref.predict(test))
    for how in ("linear", "unify"):
        np.testing.assert_allclose(ours.predict_proba(test, method=how), ref.predict_proba(test, method=how),
                                   rtol=1e-7, atol=1e-9)


def test_knn_test_row_equal_to_a_training_row_is_at_distance_zero():
    train, _ = data()
    ours = KNN(n_neighbors=1).fit(train)
    assert np.all(ours.decision_function(train[:20]) == 0)
    assert np.all(ours.decision_scores_ > 0)  # self excluded in the training scores


def test_knn_float32_agrees_with_float64():
    train, test = data()
    a = KNN().fit(train.astype(np.float32)).decision_function(test.astype(np.float32))
    b = KNN().fit(train).decision_function(test)
    assert a.dtype == np.float32
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_knn_partial_fit_equals_fit_on_the_union():
    train, test = data()
    streamed = KNN(n_neighbors=4).fit(train[:150]).partial_fit(train[150:300]).partial_fit(train[300:])
    whole = KNN(n_neighbors=4).fit(train)
    np.testing.assert_allclose(streamed.decision_scores_, whole.decision_scores_, rtol=1e-12)
    np.testing.assert_allclose(streamed.decision_function(test), whole.decision_function(test), rtol=1e-12)
    assert streamed.threshold_ == whole.threshold_


@pytest.mark.parametrize("k", [1, 20, 35])
def test_lof_matches_pyod_and_sklearn(k):
    train, test = data(seed=3)
    ours = LOF(contamination=0.1, n_neighbors=k).fit(train)
    ref = pyod_lof.LOF(contamination=0.1, n_neighbors=k).fit(train)
    np.testing.assert_allclose(ours.decision_scores_, ref.decision_scores_, rtol=1e-8)
    np.testing.assert_allclose(ours.decision_function(test), ref.decision_function(test), rtol=1e-8)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    sk = LocalOutlierFactor(n_neighbors=k, novelty=True).fit(train)
    np.testing.assert_allclose(ours.negative_outlier_factor_, sk.negative_outlier_factor_, rtol=1e-8)
    np.testing.assert_allclose(-ours.decision_function(test), sk.score_samples(test), rtol=1e-8)


def test_lof_duplicates_and_the_neighbour_cap():
    rng = np.random.default_rng(5)
    train = np.repeat(rng.standard_normal((30, 3)), 4, axis=0)  # every row four times
    ours = LOF(n_neighbors=3).fit(train)
    sk = LocalOutlierFactor(n_neighbors=3, novelty=True).fit(train)
    np.testing.assert_allclose(ours.decision_scores_, -sk.negative_outlier_factor_, rtol=1e-9)
    with pytest.warns(UserWarning, match="n_neighbors"):
        small = LOF(n_neighbors=50).fit(train[:10])
    assert small.n_neighbors_ == 9


@pytest.mark.parametrize("make", [lambda: KNN(), lambda: LOF()])
def test_bad_inputs(make):
    train, test = data()
    det = make()
    with pytest.raises(ValueError, match="not fitted"):
        det.decision_function(test)
    det.fit(train)
    with pytest.raises(ValueError, match="features"):
        det.decision_function(np.ascontiguousarray(test[:, :3]))
    bad = test.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        det.decision_function(bad)
    with pytest.raises(TypeError):
        det.decision_function(test.astype(np.float32))
    with pytest.raises(ValueError, match="contamination"):
        make().set_params(contamination=0.7).fit(train)
    with pytest.raises(ValueError, match="n_neighbors"):
        KNN(n_neighbors=len(train)).fit(train)
    with pytest.raises(ValueError, match="method"):
        KNN(method="max").fit(train)
