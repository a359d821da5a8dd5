"""The tamis detectors and their anchors, paired for the side-by-side scripts.

Each entry: name -> (tamis factory, anchor name, anchor factory). A factory takes
(contamination, seed) and returns an unfitted detector with the anchor's default
hyper-parameters; every detector has ``fit`` and ``decision_function`` (higher = more anomalous).
"""
import numpy as np

import tamis.outlier as od


class SklearnIForest:
    """scikit-learn's IsolationForest with PyOD's sign (higher = more anomalous). Given a
    contamination, its fit scores the training rows (to set offset_), as every PyOD-style fit does."""

    def __init__(self, contamination, seed):
        from sklearn.ensemble import IsolationForest

        self.model = IsolationForest(random_state=seed, contamination=contamination)

    def fit(self, x):
        self.model.fit(x)
        return self

    def decision_function(self, x):
        return -self.model.score_samples(x)


def _pyod(module, cls, seeded=False):
    def make(contamination, seed):
        import importlib

        kw = {"random_state": seed} if seeded else {}
        return getattr(importlib.import_module(f"pyod.models.{module}"), cls)(contamination=contamination, **kw)

    return make


DETECTORS = {
    "KNN": (lambda c, s: od.KNN(contamination=c), "PyOD", _pyod("knn", "KNN")),
    "LOF": (lambda c, s: od.LOF(contamination=c), "PyOD", _pyod("lof", "LOF")),
    # PyOD scores new rows transductively; tamis's default is inductive (batch-independent).
    "ECOD": (lambda c, s: od.ECOD(contamination=c, mode="transductive"), "PyOD", _pyod("ecod", "ECOD")),
    "ECOD inductive": (lambda c, s: od.ECOD(contamination=c), "PyOD", _pyod("ecod", "ECOD")),
    "COPOD": (lambda c, s: od.COPOD(contamination=c, mode="transductive"), "PyOD", _pyod("copod", "COPOD")),
    "COPOD inductive": (lambda c, s: od.COPOD(contamination=c), "PyOD", _pyod("copod", "COPOD")),
    "HBOS": (lambda c, s: od.HBOS(contamination=c), "PyOD", _pyod("hbos", "HBOS")),
    "PCA": (lambda c, s: od.PCA(contamination=c), "PyOD", _pyod("pca", "PCA")),
    "MCD": (lambda c, s: od.MCD(contamination=c, seed=s), "PyOD", _pyod("mcd", "MCD", seeded=True)),
    "IForest": (lambda c, s: od.IsolationForest(contamination=c, seed=s), "scikit-learn",
                lambda c, s: SklearnIForest(c, s)),
}


def available(names=None):
    """The registry restricted to `names` (all when None), in registry order."""
    if not names:
        return dict(DETECTORS)
    unknown = [n for n in names if n not in DETECTORS]
    if unknown:
        raise SystemExit(f"unknown detector(s) {', '.join(unknown)}; known: {', '.join(DETECTORS)}")
    return {n: DETECTORS[n] for n in names}


def as_float64(x):
    return np.ascontiguousarray(x, dtype=np.float64)
