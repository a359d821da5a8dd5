"""tamis.outlier.ood_fitted against NumPy/SciPy/scikit-learn versions of OpenOOD's formulas
(ReAct, ASH, mds, ViM, KNN), written here from the definitions, plus a real classifier."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.spatial.distance import cdist
from sklearn.covariance import EmpiricalCovariance
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier

from tamis.outlier import NotFittedError, ood_fitted as of

DTYPES = [np.float32, np.float64]


def rtol(dtype):
    return 2e-4 if dtype == np.float32 else 1e-9


def energy(logits, t=1.0):
    return -t * logsumexp(logits.astype(np.float64) / t, axis=1)


def problem(dtype, n=300, d=24, c=6, seed=0):
    rng = np.random.default_rng(seed)
    z = np.abs(rng.standard_normal((n, d))) * np.linspace(3, 0.5, d)  # ReLU-like, decaying spectrum
    w = rng.standard_normal((c, d))
    b = rng.standard_normal(c)
    return z.astype(dtype), w.astype(dtype), b.astype(dtype)


# -- references from the definitions -----------------------------------------------------------------

def react_ref(train, z, w, b, p, t):
    thr = np.percentile(train.ravel(), p)
    return thr, energy(np.minimum(z.astype(np.float64), thr) @ w.T.astype(np.float64) + b, t)


def ash_ref(z, w, b, p, variant):
    x = z.astype(np.float64)
    n = x.shape[1]
    k = n - int(np.round(n * p / 100.0))
    order = np.argsort(-x, axis=1, kind="stable")[:, :k]  # the k largest, ties to the lower column
    keep = np.zeros_like(x, dtype=bool)
    np.put_along_axis(keep, order, True, axis=1)
    s1 = x.sum(axis=1, keepdims=True)
    pruned = np.where(keep, x, 0.0)
    if variant == "p":
        shaped = pruned
    elif variant == "b":
        shaped = np.where(keep, s1 / k, 0.0)
    else:
        shaped = pruned * np.exp(s1 / pruned.sum(axis=1, keepdims=True))
    return energy(shaped @ w.T.astype(np.float64) + b)


def mds_ref(train, labels, z):
    x = train.astype(np.float64)
    classes = np.unique(labels)
    means = np.stack([x[labels == c].mean(0) for c in classes])
    centred = np.concatenate([x[labels == c] - means[i] for i, c in enumerate(classes)])
    prec = EmpiricalCovariance(assume_centered=False).fit(centred).precision_
    diffs = z.astype(np.float64)[:, None, :] - means[None]
    return means, np.einsum("ncd,de,nce->nc", diffs, prec, diffs).min(axis=1)


def vim_ref(train, w, b, z, dim):
    x, w, b = train.astype(np.float64), w.astype(np.float64), b.astype(np.float64)
    u = -np.linalg.pinv(w) @ b
    cov = EmpiricalCovariance(assume_centered=True).fit(x - u).covariance_
    vals, vecs = np.linalg.eigh(cov)
    ns = vecs[:, np.argsort(-vals)[dim:]]
    alpha = (x @ w.T + b).max(axis=1).mean() / np.linalg.norm((x - u) @ ns, axis=1).mean()
    q = z.astype(np.float64)
    return u, alpha, alpha * np.linalg.norm((q - u) @ ns, axis=1) - logsumexp(q @ w.T + b, axis=1)


def knn_ref(train, z, k):
    normalise = lambda a: a / np.linalg.norm(a, axis=-1, keepdims=True) + 1e-10  # OpenOOD's normaliser
    d2 = cdist(normalise(z.astype(np.float64)), normalise(train.astype(np.float64)), "sqeuclidean")
    return -np.sort(d2, axis=1)[:, k - 1]  # OpenOOD's confidence: minus faiss's squared k-th distance


# -- each scorer against its reference -----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("percentile,t", [(90, 1.0), (65.5, 2.0), (100, 1.0)])
def test_react(dtype, percentile, t):
    train, w, b = problem(dtype)
    z, _, _ = problem(dtype, n=50, seed=1)
    before = train.copy()
    scorer = of.ReAct(w, b, percentile=percentile, temperature=t).fit(train)
    thr, want = react_ref(train, z, w, b, percentile, t)
    assert scorer.threshold_ == pytest.approx(thr, rel=rtol(dtype))
    if dtype == np.float32:
        assert np.float32(scorer.threshold_) == np.percentile(train.ravel(), percentile)  # numpy's float32 rounding
    got = scorer(z)
    assert got.dtype == dtype and got.shape == (50,)
    np.testing.assert_allclose(got, want, rtol=rtol(dtype), atol=rtol(dtype))
    np.testing.assert_array_equal(train, before)
    np.testing.assert_array_equal(of.react_scores(z, w, b, scorer.threshold_, t), got)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("variant", of.ASH_VARIANTS)
@pytest.mark.parametrize("percentile", [90, 65, 12.5, 0])
def test_ash(dtype, variant, percentile):
    z, w, b = problem(dtype, n=80, d=20)
    z[0] = np.arange(20) % 5  # ties at the cut
    z[1] = 0
    z[1, 3] = 2
    got = of.ASH(w, b, percentile=percentile, variant=variant).fit(z).score(z)
    np.testing.assert_allclose(got, ash_ref(z, w, b, percentile, variant), rtol=rtol(dtype), atol=rtol(dtype))
    assert of.ash_kept(20, percentile) == 20 - int(np.round(20 * percentile / 100.0))
    assert of.ash_kept(512, 90) == 51 and of.ash_kept(10, 25) == 8 and of.ash_kept(10, 35) == 6


@pytest.mark.parametrize("dtype", DTYPES)
def test_mahalanobis(dtype):
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 5, 400)
    train = (rng.standard_normal((400, 10)) @ rng.standard_normal((10, 10)) + 4 * labels[:, None]).astype(dtype)
    z = (rng.standard_normal((60, 10)) * 5).astype(dtype)
    scorer = of.MahalanobisOOD().fit(train, labels)
    means, want = mds_ref(train, labels, z)
    assert scorer.rank_ == 10 and scorer.class_means_.shape == (5, 10)
    np.testing.assert_allclose(scorer.class_means_, means, rtol=rtol(dtype), atol=rtol(dtype))
    prec = EmpiricalCovariance().fit(np.concatenate([train[labels == c] - means[c] for c in range(5)])).precision_
    np.testing.assert_allclose(scorer.precision_, prec, rtol=1e-3 if dtype == np.float32 else 1e-8)
    np.testing.assert_allclose(scorer(z), want, rtol=10 * rtol(dtype))


def test_mahalanobis_rank_deficient_matches_pinvh():
    rng = np.random.default_rng(4)
    labels = np.repeat([0, 1, 2], 30)
    train = rng.standard_normal((90, 6))
    train[:, 2] = 1.5  # a constant column
    train[:, 5] = train[:, 0] - train[:, 1]  # a dependent one
    z = rng.standard_normal((20, 6))
    scorer = of.MahalanobisOOD(n_classes=3).fit(train, labels)
    assert scorer.rank_ == 4
    np.testing.assert_allclose(scorer(z), mds_ref(train, labels, z)[1], rtol=1e-7)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(300, 24, 6, 12), (300, 8, 12, 3), (100, 1, 4, 0)])
def test_vim(dtype, shape):
    n, d, c, dim = shape
    train, w, b = problem(dtype, n=n, d=d, c=c)
    z, _, _ = problem(dtype, n=40, d=d, c=c, seed=5)
    scorer = of.ViM(w, b, dim=dim).fit(train)
    u, alpha, want = vim_ref(train, w, b, z, dim)
    assert scorer.dim_ == dim and scorer.residual_basis_.shape == (d - dim, d)
    np.testing.assert_allclose(scorer.origin_, u, rtol=rtol(dtype), atol=rtol(dtype))
    assert scorer.alpha_ == pytest.approx(alpha, rel=10 * rtol(dtype))
    np.testing.assert_allclose(scorer(z), want, rtol=10 * rtol(dtype), atol=10 * rtol(dtype))


def test_vim_default_dim():
    assert [of.vim_default_dim(d) for d in (2048, 4096, 768, 1500, 512, 7)] == [1000, 1000, 512, 512, 256, 3]
    train, w, b = problem(np.float64, d=10)
    assert of.ViM(w, b).fit(train).dim_ == 5


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [1, 5, 50])
def test_knn(dtype, k):
    train, _, _ = problem(dtype, n=200)
    z, _, _ = problem(dtype, n=30, seed=7)
    z[0] = train[3]  # a query equal to a bank row
    scorer = of.KNNOOD(k=k).fit(train)
    got = scorer(z)
    want = knn_ref(train, z, k)
    np.testing.assert_allclose(-(got.astype(np.float64) ** 2), want, rtol=10 * rtol(dtype), atol=10 * rtol(dtype))
    if k == 1:
        assert got[0] == 0
    # partial_fit appends to the bank: the same as fitting on the union.
    part = of.KNNOOD(k=k).fit(train[:120]).partial_fit(train[120:])
    np.testing.assert_array_equal(part.bank_, scorer.bank_)
    np.testing.assert_array_equal(part(z), got)


# -- a real classifier: digits 0-4 in distribution, 5-9 out ----------------------------------------------

@pytest.fixture(scope="module")
def digits_mlp():
    digits = load_digits()
    x, y = digits.data / 16.0, digits.target
    seen = y < 5
    train, held = np.flatnonzero(seen)[::2], np.flatnonzero(seen)[1::2]
    mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=500, random_state=0).fit(x[train], y[train])

    def features(rows):  # the penultimate (ReLU) layer
        return np.maximum(x[rows] @ mlp.coefs_[0] + mlp.intercepts_[0], 0)

    test = np.concatenate([held, np.flatnonzero(~seen)])
    return dict(train=features(train), labels=y[train], test=features(test), is_ood=~seen[test],
                weight=np.ascontiguousarray(mlp.coefs_[1].T), bias=mlp.intercepts_[1].copy())


def test_digits_auroc(digits_mlp, capsys):
    m = digits_mlp
    w, b = m["weight"], m["bias"]
    scorers = {
        "ReAct": of.ReAct(w, b).fit(m["train"]),
        "ASH-p": of.ASH(w, b, percentile=65, variant="p"),
        "ASH-b": of.ASH(w, b, percentile=65, variant="b"),
        "ASH-s": of.ASH(w, b, percentile=65, variant="s"),
        "Mahalanobis": of.MahalanobisOOD().fit(m["train"], m["labels"]),
        "ViM": of.ViM(w, b, dim=16).fit(m["train"]),
        "KNN": of.KNNOOD(k=10).fit(m["train"]),
    }
    aurocs = {name: roc_auc_score(m["is_ood"], s(m["test"])) for name, s in scorers.items()}
    energy_auroc = roc_auc_score(m["is_ood"], energy(m["test"] @ w.T + b))
    with capsys.disabled():
        print("\ndigits 0-4 vs 5-9 AUROC:", ", ".join(f"{k} {v:.3f}" for k, v in aurocs.items()),
              f"(plain energy {energy_auroc:.3f})")
    for name, auroc in aurocs.items():
        assert auroc > 0.8, (name, auroc)
    # The scores themselves match the references on real features too.
    np.testing.assert_allclose(scorers["ViM"](m["test"]), vim_ref(m["train"], w, b, m["test"], 16)[2], rtol=1e-8)
    np.testing.assert_allclose(scorers["Mahalanobis"](m["test"]), mds_ref(m["train"], m["labels"], m["test"])[1],
                               rtol=1e-7)


# -- save / load ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_save_load_round_trip(dtype, tmp_path):
    train, w, b = problem(dtype)
    z, _, _ = problem(dtype, n=25, seed=9)
    labels = np.arange(train.shape[0]) % 4
    scorers = [of.ReAct(w, b, percentile=80, temperature=2.0).fit(train), of.ASH(w, b, percentile=70, variant="s"),
               of.MahalanobisOOD().fit(train, labels), of.ViM(w, b).fit(train), of.KNNOOD(k=7).fit(train)]
    for i, scorer in enumerate(scorers):
        path = scorer.save(str(tmp_path / f"scorer{i}"))
        assert path.endswith(".npz")
        for back in (of.load(path), type(scorer).load(str(tmp_path / f"scorer{i}"))):
            assert type(back) is type(scorer) and back.get_params().keys() == scorer.get_params().keys()
            np.testing.assert_array_equal(back(z), scorer(z))
    with pytest.raises(ValueError, match="not a KNNOOD"):
        of.KNNOOD.load(str(tmp_path / "scorer0.npz"))


# -- bad inputs ----------------------------------------------------------------------------------------

def test_bad_inputs():
    train, w, b = problem(np.float64, n=40, d=6, c=3)
    with pytest.raises(ValueError, match="bias"):
        of.ReAct(w, b[:2])
    with pytest.raises(ValueError, match="weight"):
        of.ReAct(w, b).fit(np.ascontiguousarray(train[:, :5]))
    with pytest.raises(ValueError, match="percentile"):
        of.ReAct(w, b, percentile=101)
    with pytest.raises(ValueError, match="percentile"):
        of.ASH(w, b, percentile=95)  # keeps none of 6
    with pytest.raises(ValueError, match="variant"):
        of.ASH(w, b, variant="x")
    with pytest.raises(ValueError, match="temperature"):
        of.ReAct(w, b, temperature=0)
    with pytest.raises(ValueError, match="dim"):
        of.ViM(w, b, dim=6)
    bad = train.copy()
    bad[3, 2] = np.nan
    for call in (lambda: of.ReAct(w, b).fit(bad), lambda: of.ASH(w, b)(bad), lambda: of.ViM(w, b).fit(bad),
                 lambda: of.KNNOOD(k=3).fit(bad), lambda: of.MahalanobisOOD().fit(bad, np.zeros(40, int))):
        with pytest.raises(ValueError, match="NaN"):
            call()
    w_inf = w.copy()
    w_inf[0, 0] = np.inf
    with pytest.raises(ValueError):
        of.ASH(w_inf, b)
    with pytest.raises(ValueError, match="k"):
        of.KNNOOD(k=41).fit(train)(train)
    with pytest.raises(ValueError, match="fitted on 6"):
        of.KNNOOD(k=3).fit(train)(np.ascontiguousarray(train[:, :4]))
    with pytest.raises(TypeError):
        of.KNNOOD(k=3).fit(train)(train.astype(np.float32))
    with pytest.raises(TypeError):
        of.ReAct(w.astype(np.float32), b)
    with pytest.raises(ValueError, match="class 1 has no training rows"):
        of.MahalanobisOOD(n_classes=3).fit(train, np.where(np.arange(40) % 2, 2, 0))
    with pytest.raises(ValueError, match="labels"):
        of.MahalanobisOOD().fit(train, np.zeros(39, int))
    for scorer in (of.ReAct(w, b), of.ViM(w, b), of.KNNOOD(), of.MahalanobisOOD()):
        with pytest.raises(NotFittedError):
            scorer(train)
