"""Fitted OOD scorers on penultimate features, tamis vs their NumPy/SciPy/scikit-learn formulation
(what OpenOOD's post-processors compute, written from the papers' formulas), same data, one run:
fit on 50,000 x 512 float32 ID features, score 20,000 rows; 100 classes.
    python benchmarks/compare/ood_features_vs_numpy.py
"""
import numpy as np
from scipy.spatial.distance import cdist
from scipy.special import logsumexp
from sklearn.covariance import EmpiricalCovariance

from tamis.outlier import ood
from _common import best_of, machine, set_threads


def numpy_react(w, b, train, z):
    thr = np.percentile(train, 90)
    return -logsumexp(np.minimum(z, thr) @ w.T + b, axis=1)


def numpy_mahalanobis(train, labels, z):
    means = np.stack([train[labels == c].mean(0) for c in np.unique(labels)])
    precision = EmpiricalCovariance(assume_centered=False).fit(train - means[labels]).precision_
    vals, vecs = np.linalg.eigh(precision)
    white = vecs * np.sqrt(np.maximum(vals, 0))  # precision = white whiteᵀ
    return cdist(z @ white, means @ white, "sqeuclidean").min(axis=1)


def numpy_vim(w, b, train, z, dim):
    u = -np.linalg.pinv(w) @ b
    centred = train - u
    vals, vecs = np.linalg.eigh(centred.T @ centred / len(train))
    basis = vecs[:, np.argsort(vals)[::-1][dim:]]
    alpha = (train @ w.T + b).max(1).mean() / np.linalg.norm(centred @ basis, axis=1).mean()
    return alpha * np.linalg.norm((z - u) @ basis, axis=1) - logsumexp(z @ w.T + b, axis=1)


def numpy_knn(train, z, k):
    bank = train / (np.linalg.norm(train, axis=1, keepdims=True) + 1e-10)
    q = z / (np.linalg.norm(z, axis=1, keepdims=True) + 1e-10)
    d2 = np.maximum((q * q).sum(1)[:, None] + (bank * bank).sum(1)[None] - 2 * q @ bank.T, 0)
    return np.sqrt(np.partition(d2, k - 1, axis=1)[:, k - 1])


def main():
    set_threads(2)
    rng = np.random.default_rng(0)
    n, m, dim, classes = 50_000, 20_000, 512, 100
    labels = rng.integers(0, classes, n)
    centres = rng.standard_normal((classes, dim)).astype(np.float32)
    train = np.maximum(centres[labels] + rng.standard_normal((n, dim), dtype=np.float32), 0)
    z = np.maximum(centres[rng.integers(0, classes, m)] + 1.5 * rng.standard_normal((m, dim), dtype=np.float32), 0)
    w = (rng.standard_normal((classes, dim), dtype=np.float32) / np.sqrt(dim)).astype(np.float32)
    b = rng.standard_normal(classes).astype(np.float32)
    print(f"# fitted OOD scorers, fit {n:,} x {dim} float32, score {m:,}, {classes} classes, 2 threads — {machine()}")
    cases = {
        "ReAct": (lambda: ood.ReAct(w, b).fit(train)(z), lambda: numpy_react(w, b, train, z)),
        "Mahalanobis": (lambda: ood.MahalanobisOOD().fit(train, labels)(z),
                        lambda: numpy_mahalanobis(train, labels, z)),
        "ViM (dim 256)": (lambda: ood.ViM(w, b, dim=256).fit(train)(z), lambda: numpy_vim(w, b, train, z, 256)),
        "KNN-OOD (k 50)": (lambda: ood.KNNOOD(k=50).fit(train)(z), lambda: numpy_knn(train, z, 50)),
    }
    for name, (ours, ref) in cases.items():
        t_ours, a = best_of(ours, 2)
        t_ref, r = best_of(ref, 1)
        err = float(np.max(np.abs(a - r) / (1 + np.abs(r))))
        print(f"| {name} | tamis {t_ours:.3f} s | NumPy/SciPy {t_ref:.3f} s | {t_ref / t_ours:.1f}x | "
              f"max rel. diff {err:.1e} |", flush=True)


if __name__ == "__main__":
    main()
