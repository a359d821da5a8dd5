"""tamis.outlier.ECOD, COPOD and HBOS side by side with PyOD on the same inputs."""

import warnings

import numpy as np
import pytest

from tamis.outlier import COPOD, ECOD, HBOS

pyod_ecod = pytest.importorskip("pyod.models.ecod")
pyod_copod = pytest.importorskip("pyod.models.copod")
pyod_hbos = pytest.importorskip("pyod.models.hbos")


def data(n=500, m=120, d=7, seed=0):
    rng = np.random.default_rng(seed)
    train = rng.standard_normal((n, d))
    train[:, 1] = rng.exponential(size=n)         # skewed right
    train[:, 2] = -rng.exponential(size=n)        # skewed left
    train[:, 3] = np.round(train[:, 3])           # heavy ties
    train[:, 4] = 2.5                             # constant
    test = rng.standard_normal((m, d)) * 2
    return train, test


PAIRS = [(ECOD, pyod_ecod.ECOD), (COPOD, pyod_copod.COPOD)]


@pytest.mark.parametrize("ours_cls, ref_cls", PAIRS)
def test_tail_detectors_match_pyod_in_transductive_mode(ours_cls, ref_cls):
    train, test = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ref_cls(contamination=0.1).fit(train)
        want = ref.decision_function(test)
    ours = ours_cls(contamination=0.1, mode="transductive").fit(train)
    np.testing.assert_allclose(ours.decision_scores_, ref.decision_scores_, rtol=1e-12)
    np.testing.assert_allclose(ours.decision_function(test), want, rtol=1e-12)
    assert ours.threshold_ == pytest.approx(ref.threshold_, rel=1e-12)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)


@pytest.mark.parametrize("cls", [ECOD, COPOD])
def test_inductive_scores_do_not_depend_on_the_batch(cls):
    train, test = data()
    det = cls().fit(train)
    whole = det.decision_function(test)
    one_by_one = np.concatenate([det.decision_function(np.ascontiguousarray(test[i:i + 1])) for i in range(len(test))])
    np.testing.assert_array_equal(whole, one_by_one)


def test_ecod_inductive_equals_pyod_scoring_one_row_at_a_time():
    # PyOD refits on concat(train, row): the same ECDF as the inductive mode's; the skewness sign
    # (training rows only here) can only differ on a column that one row makes non-constant.
    train, test = data()
    keep = [0, 1, 2, 3, 5, 6]  # without the constant column
    train, test = np.ascontiguousarray(train[:, keep]), np.ascontiguousarray(test[:, keep])
    ours = ECOD().fit(train).decision_function(test[:20])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pyod_ecod.ECOD().fit(train)
        want = np.concatenate([ref.decision_function(test[i:i + 1]) for i in range(20)])
    np.testing.assert_allclose(ours, want, rtol=1e-12)


@pytest.mark.parametrize("cls", [ECOD, COPOD, HBOS])
def test_partial_fit_equals_fit_on_the_union(cls):
    train, test = data()
    streamed = cls().fit(train[:100]).partial_fit(train[100:350]).partial_fit(train[350:])
    whole = cls().fit(train)
    np.testing.assert_array_equal(streamed.decision_scores_, whole.decision_scores_)
    np.testing.assert_array_equal(streamed.decision_function(test), whole.decision_function(test))


@pytest.mark.parametrize("n_bins", [10, 5, 3, "auto"])
def test_hbos_matches_pyod(n_bins):
    train, test = data(seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pyod_hbos.HBOS(contamination=0.1, n_bins=n_bins).fit(train)
        want = ref.decision_function(test)
    ours = HBOS(contamination=0.1, n_bins=n_bins).fit(train)
    np.testing.assert_allclose(ours.decision_scores_, ref.decision_scores_, rtol=1e-12)
    np.testing.assert_allclose(ours.decision_function(test), want, rtol=1e-12)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    if n_bins == "auto":
        for a, b in zip(ours.bin_edges_, ref.bin_edges_):
            np.testing.assert_allclose(a, b, rtol=1e-14)
    else:
        np.testing.assert_allclose(ours.hist_, ref.hist_, rtol=1e-12)
        np.testing.assert_allclose(ours.bin_edges_, ref.bin_edges_, rtol=1e-14)


def test_float32():
    train, test = data()
    for cls in (ECOD, COPOD, HBOS):
        a = cls().fit(train.astype(np.float32)).decision_function(test.astype(np.float32))
        b = cls().fit(train).decision_function(test)
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


def test_bad_parameters():
    train, _ = data()
    with pytest.raises(ValueError, match="mode"):
        ECOD(mode="batch").fit(train)
    with pytest.raises(ValueError, match="aggregation"):
        COPOD(aggregation="max").fit(train)
    with pytest.raises(ValueError, match="n_bins"):
        HBOS(n_bins=1).fit(train)
    with pytest.raises(ValueError, match="n_bins"):
        HBOS(n_bins="sturges").fit(train)
    with pytest.raises(ValueError, match="alpha"):
        HBOS(alpha=0).fit(train)
