"""Linear-model detectors: PCA (PyOD's score, or the reconstruction error) and Mahalanobis distance
(empirical covariance, or the robust Minimum Covariance Determinant as PyOD's ``MCD``).

Both fit from column statistics (count, mean, scatter matrix) that merge exactly, computed in
batches through GEMM; only the d × d eigenproblem runs on the host.
"""

from __future__ import annotations

import numbers
from typing import Any, Optional

import numpy as np

from .. import _core
from .._arrays import check_bool, check_int, check_seed
from ._base import BaseDetector

__all__ = ["PCA", "Mahalanobis", "MCD"]


class PCA(BaseDetector):
    """Principal-component outlier score (PyOD's ``PCA``).

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    n_components : int, float in (0, 1) or None. Components kept: all (min(n, d)) when None; a float
        keeps the fewest leading components explaining that fraction of the variance.
    n_selected_components : int or None. ``score="pyod"`` sums over the last this many kept
        components (all when None), as PyOD.
    weighted : bool, default True. Divide each component's distance by its explained-variance ratio.
    standardization : bool, default True. z-score with the training mean/std (PyOD's default).
    score : "pyod" (default): Σ_j ‖z − v_j‖ / w_j, PyOD's distance of z to each selected eigenvector
        taken as a point; "reconstruction": ‖z − z VᵀV‖², the residual after projecting on the kept
        components (use ``n_components`` < d, e.g. 0.95).

    Attributes: ``components_``, ``explained_variance_``, ``explained_variance_ratio_``,
    ``mean_``, ``scale_``, ``n_components_``, ``n_selected_components_``.
    """

    def __init__(self, contamination: float = 0.1, n_components: Any = None, n_selected_components: Optional[int] = None,
                 weighted: bool = True, standardization: bool = True, score: str = "pyod"):
        super().__init__(contamination)
        self.n_components = n_components
        self.n_selected_components = n_selected_components
        self.weighted = weighted
        self.standardization = standardization
        self.score = score

    def _fit(self, x: np.ndarray) -> np.ndarray:
        if self.score not in ("pyod", "reconstruction"):
            raise ValueError(f"score: must be 'pyod' or 'reconstruction', got {self.score!r}")
        weighted = check_bool(self.weighted, "weighted")
        standardize = check_bool(self.standardization, "standardization")
        n_max = min(x.shape)
        c = self.n_components
        fraction = isinstance(c, numbers.Real) and not isinstance(c, numbers.Integral) and 0 < c < 1
        k = -1 if c is None or fraction else check_int(c, "n_components", 1, n_max, "min(n_samples, n_features)")
        (self.mean_, self.scale_, components, variance, ratio) = _core.outlier.pca_fit(x, standardize, k)
        if fraction:
            k = int(np.searchsorted(np.cumsum(ratio), c) + 1)
            components, variance, ratio = components[:k], variance[:k], ratio[:k]
        self.components_ = np.ascontiguousarray(components)
        self.explained_variance_, self.explained_variance_ratio_ = variance, ratio
        self.n_components_ = len(components)
        sel = self.n_selected_components
        self.n_selected_components_ = self.n_components_ if sel is None else check_int(
            sel, "n_selected_components", 1, self.n_components_, "the kept components")
        # PyOD measures distances on z-scored rows, or on the raw rows without standardization.
        self._centre = self.mean_ if standardize or self.score == "reconstruction" else np.zeros_like(self.mean_)
        if self.score == "pyod":
            self._scored = np.ascontiguousarray(self.components_[-self.n_selected_components_:])
            self._weights = np.ascontiguousarray(ratio[-self.n_selected_components_:] if weighted
                                                 else np.ones(self.n_selected_components_, ratio.dtype))
        else:
            self._scored, self._weights = self.components_, np.ones(self.n_components_, ratio.dtype)
        return self._score(x)

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.pca_scores(self._centre, self.scale_, self._scored, self._weights, x, self.score)


class Mahalanobis(BaseDetector):
    """Squared Mahalanobis distance to the training distribution.

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    method : "empirical" (default; mean and covariance, ddof 0, as scikit-learn's
        EmpiricalCovariance) or "mcd" (scikit-learn's MinCovDet: FastMCD, consistency correction and
        reweighting; PyOD's ``MCD`` score).
    support_fraction : float in (0, 1] or None (MCD only; None = scikit-learn's default h)
    seed : int, default 0 (MCD's random subsets)

    The precision is the pseudo-inverse of the covariance (scipy.linalg.pinvh's cut-off), applied
    as a whitening matrix: score = ‖W (x − location)‖². ``partial_fit`` (empirical) merges the
    column statistics exactly. Attributes: ``location_``, ``covariance_``, ``precision_``,
    ``support_`` (MCD).
    """

    def __init__(self, contamination: float = 0.1, method: str = "empirical", support_fraction: Optional[float] = None,
                 seed: int = 0):
        super().__init__(contamination)
        self.method = method
        self.support_fraction = support_fraction
        self.seed = seed

    def _fit(self, x: np.ndarray) -> np.ndarray:
        if self.method == "empirical":
            self.train_ = x
            self._stats = _core.outlier.column_stats(x)
            return self._from_stats()
        if self.method != "mcd":
            raise ValueError(f"method: must be 'empirical' or 'mcd', got {self.method!r}")
        fraction = 0.0 if self.support_fraction is None else float(self.support_fraction)
        if self.support_fraction is not None and not 0 < fraction <= 1:
            raise ValueError(f"support_fraction: must be in (0, 1], got {self.support_fraction!r}")
        seed = check_seed(self.seed)
        self.location_, self.covariance_, self._whitening, self.support_, _ = _core.outlier.mcd_fit(x, fraction, seed)
        return self._score(x)

    def _from_stats(self) -> np.ndarray:
        count, self.location_, m2 = self._stats
        self.covariance_, self._whitening, _ = _core.outlier.mahalanobis_fit(count, m2)
        return self._score(self.train_)

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.mahalanobis_scores(self.location_, self._whitening, x)

    @property
    def precision_(self) -> np.ndarray:
        return self._whitening.T @ self._whitening

    def partial_fit(self, X: Any, y: Any = None) -> "Mahalanobis":
        """Adds rows (empirical method): the column statistics merge exactly (Chan et al.)."""
        if self.method != "empirical" and hasattr(self, "decision_scores_"):
            raise ValueError("partial_fit: only the empirical method merges exactly; refit MCD with fit()")
        if not hasattr(self, "_stats"):
            return self.fit(X, y)
        x = self._check_score_input(X)
        self._check_contamination()
        self._stats = _core.outlier.merge_column_stats(*self._stats, *_core.outlier.column_stats(x))
        self.train_ = np.concatenate([self.train_, x])
        self._process_decision_scores(self._from_stats())
        return self


class MCD(Mahalanobis):
    """Robust Mahalanobis distance under the Minimum Covariance Determinant (PyOD's ``MCD``):
    ``Mahalanobis(method="mcd")``."""

    def __init__(self, contamination: float = 0.1, support_fraction: Optional[float] = None, seed: int = 0):
        super().__init__(contamination, "mcd", support_fraction, seed)
