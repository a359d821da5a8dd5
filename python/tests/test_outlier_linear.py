"""tamis.outlier.PCA, Mahalanobis and MCD side by side with PyOD and scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn.covariance import EmpiricalCovariance, MinCovDet

from tamis.outlier import MCD, PCA, Mahalanobis

pyod_pca = pytest.importorskip("pyod.models.pca")


def data(n=600, m=150, d=9, seed=0):
    rng = np.random.default_rng(seed)
    mix = rng.standard_normal((d, d))
    train = rng.standard_normal((n, d)) @ mix + rng.standard_normal(d)
    train[:15] += 8 * rng.standard_normal((15, d))
    test = rng.standard_normal((m, d)) @ mix * 1.3
    return train, test


@pytest.mark.parametrize("kw", [{}, {"n_selected_components": 3}, {"weighted": False}, {"standardization": False},
                                {"n_components": 5}])
def test_pca_matches_pyod(kw):
    train, test = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pyod_pca.PCA(contamination=0.05, **kw).fit(train)
    ours = PCA(contamination=0.05, **kw).fit(train)
    np.testing.assert_allclose(ours.decision_scores_, ref.decision_scores_, rtol=1e-9)
    np.testing.assert_allclose(ours.decision_function(test), ref.decision_function(test), rtol=1e-9)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-9)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)


def test_pca_reconstruction_error():
    train, test = data()
    ours = PCA(n_components=0.9, score="reconstruction").fit(train)
    assert 1 <= ours.n_components_ < train.shape[1]
    assert ours.explained_variance_ratio_.sum() >= 0.9
    z = (test - train.mean(0)) / train.std(0)
    v = ours.components_
    want = np.sum((z - z @ v.T @ v) ** 2, axis=1)
    np.testing.assert_allclose(ours.decision_function(test), want, rtol=1e-9, atol=1e-12)


def test_empirical_mahalanobis_matches_sklearn_and_merges_exactly():
    train, test = data()
    ours = Mahalanobis().fit(train)
    sk = EmpiricalCovariance().fit(train)
    np.testing.assert_allclose(ours.covariance_, sk.covariance_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.decision_function(test), sk.mahalanobis(test), rtol=1e-9)
    np.testing.assert_allclose(ours.precision_, sk.precision_, rtol=1e-8, atol=1e-10)
    streamed = Mahalanobis().fit(train[:200]).partial_fit(train[200:450]).partial_fit(train[450:])
    np.testing.assert_allclose(streamed.decision_scores_, ours.decision_scores_, rtol=1e-10)
    np.testing.assert_allclose(streamed.decision_function(test), ours.decision_function(test), rtol=1e-10)


def test_mcd_is_robust_like_sklearn():
    train, test = data(n=1000)
    ours = MCD(seed=3).fit(train)
    sk = MinCovDet(random_state=3).fit(train)
    # Different random subsets: both find the same clean core up to sampling noise.
    assert np.abs(ours.location_ - sk.location_).max() < 0.1 * np.abs(sk.location_).max() + 0.05
    assert not ours.support_[:15].any()
    scores = ours.decision_function(test)
    assert np.corrcoef(scores, sk.mahalanobis(test))[0, 1] > 0.99
    assert ours.get_params() == {"contamination": 0.1, "seed": 3, "support_fraction": None}
    with pytest.raises(ValueError, match="partial_fit"):
        ours.partial_fit(test)


def test_rank_deficient_and_bad_parameters():
    train, _ = data()
    train = np.ascontiguousarray(np.column_stack([train, train[:, 0], np.full(len(train), 3.0)]))  # duplicate + constant
    scores = Mahalanobis().fit(train).decision_scores_
    assert np.all(np.isfinite(scores))
    assert np.all(np.isfinite(PCA().fit(train).decision_scores_))
    with pytest.raises(ValueError, match="method"):
        Mahalanobis(method="robust").fit(train)
    with pytest.raises(ValueError, match="support_fraction"):
        MCD(support_fraction=1.5).fit(train)
    with pytest.raises(ValueError, match="score"):
        PCA(score="residual").fit(train)
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=100).fit(train)
