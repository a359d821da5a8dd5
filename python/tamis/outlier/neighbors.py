"""Neighbour-based detectors: KNN (distance to the k-th / mean / median of the k nearest training
rows) and LOF (local outlier factor, scikit-learn's novelty semantics as PyOD uses them).

Both are exact (tiled brute force, Euclidean), memory O(n·k), never n×n. Like scikit-learn, the
fitted detector keeps a reference to the training array: do not modify it in place after ``fit``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _core
from .._arrays import as_matrix, check_int
from ._base import BaseDetector

__all__ = ["KNN", "LOF"]

_KNN_METHODS = ("largest", "mean", "median")


class KNN(BaseDetector):
    """k-nearest-neighbour distance detector (PyOD's ``KNN``).

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    n_neighbors : int, default 5. Training scores exclude the row itself (PyOD's fit); new rows
        exclude nothing, so a row equal to a training row has a neighbour at distance 0.
    method : "largest" (k-th distance, default), "mean" or "median" of the k distances.
    """

    def __init__(self, contamination: float = 0.1, n_neighbors: int = 5, method: str = "largest"):
        super().__init__(contamination)
        self.n_neighbors = n_neighbors
        self.method = method

    def _check_params(self, n_train: int) -> None:
        if self.method not in _KNN_METHODS:
            raise ValueError(f"method: must be one of {', '.join(_KNN_METHODS)}; got {self.method!r}")
        check_int(self.n_neighbors, "n_neighbors", 1, n_train - 1, f"{n_train} training rows, self excluded")

    def _fit(self, x: np.ndarray) -> np.ndarray:
        self._check_params(x.shape[0])
        self.train_ = x
        return _core.outlier.knn_train_scores(x, self.n_neighbors, self.method)

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.knn_scores(self.train_, x, self.n_neighbors, self.method)

    def partial_fit(self, X: Any, y: Any = None) -> "KNN":
        """Appends rows to the fitted training set (exact: the model is the rows) and rescores it."""
        if not hasattr(self, "train_"):
            return self.fit(X, y)
        x = self._check_score_input(X)
        self._check_contamination()
        train = np.concatenate([self.train_, x])
        self._check_params(train.shape[0])
        self.train_ = train
        self._process_decision_scores(_core.outlier.knn_train_scores(train, self.n_neighbors, self.method))
        return self


class LOF(BaseDetector):
    """Local Outlier Factor (PyOD's ``LOF``, i.e. scikit-learn's with ``novelty=True``).

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    n_neighbors : int, default 20. Capped at n_samples − 1 with a warning, as scikit-learn does;
        the value used is ``n_neighbors_``.

    Attributes: ``decision_scores_`` = −``negative_outlier_factor_`` of scikit-learn,
    ``k_distance_`` and ``lrd_`` (the fitted per-row statistics).
    """

    def __init__(self, contamination: float = 0.1, n_neighbors: int = 20):
        super().__init__(contamination)
        self.n_neighbors = n_neighbors

    def _fit(self, x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        if n < 2:
            raise ValueError(f"X: LOF needs at least 2 rows, got {n}")
        k = check_int(self.n_neighbors, "n_neighbors", 1)
        if k > n - 1:
            warnings.warn(f"n_neighbors ({k}) is greater than the number of samples minus one; "
                          f"using n_neighbors = {n - 1}", UserWarning, stacklevel=3)
            k = n - 1
        self.n_neighbors_ = k
        self.train_ = x
        self.k_distance_, self.lrd_, scores = _core.outlier.lof_fit(x, k)
        return scores

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.lof_scores(self.train_, self.k_distance_, self.lrd_, x, self.n_neighbors_)

    @property
    def negative_outlier_factor_(self) -> np.ndarray:
        return -self.decision_scores_
