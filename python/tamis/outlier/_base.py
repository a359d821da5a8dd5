"""The PyOD estimator contract shared by every tamis detector.

``fit(X)`` sets ``decision_scores_`` (training scores, higher = more anomalous),
``threshold_ = np.percentile(decision_scores_, 100 · (1 − contamination))`` (numpy's linear
interpolation) and ``labels_ = decision_scores_ > threshold_`` (strict; 1 = outlier), exactly as
PyOD's ``BaseDetector``. ``predict_proba`` offers PyOD's "linear" (min-max of the training scores,
clipped) and "unify" (erf of the standardised score, clipped) conversions.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict

import numpy as np
from scipy.special import erf

from .._arrays import as_matrix, check_same_dtype

__all__ = ["BaseDetector", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """Raised when a detector method needs a fitted model (scikit-learn's convention)."""


class BaseDetector:
    """Subclasses implement ``_fit(X) -> training scores`` and ``_score(X) -> scores``, and set
    ``n_features_in_`` through ``_check_fit_input``."""

    def __init__(self, contamination: float = 0.1):
        self.contamination = contamination

    # -- the PyOD contract ------------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> "BaseDetector":
        """Fits on ``X`` (n_samples, n_features); ``y`` is ignored (unsupervised)."""
        self._check_contamination()
        x = self._check_fit_input(X)
        self._process_decision_scores(np.asarray(self._fit(x)))
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Raw anomaly scores of ``X`` (higher = more anomalous)."""
        return np.asarray(self._score(self._check_score_input(X)))

    def predict(self, X: Any) -> np.ndarray:
        """0/1 labels of ``X``: 1 where the score exceeds ``threshold_``."""
        return (self.decision_function(X) > self.threshold_).astype(int)

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        return self.fit(X, y).labels_

    def predict_proba(self, X: Any, method: str = "linear") -> np.ndarray:
        """(n_samples, 2) probabilities of [inlier, outlier], as PyOD's ``predict_proba``."""
        scores = self.decision_function(X).astype(np.float64)
        train = self.decision_scores_.astype(np.float64)
        if method == "linear":
            lo, span = train.min(), train.max() - train.min()
            outlier = (scores - lo) / (span if span != 0 else 1.0)  # MinMaxScaler's zero-range rule
        elif method == "unify":
            outlier = erf((scores - self._mu) / (self._sigma * np.sqrt(2)))
        else:
            raise ValueError(f"method: must be 'linear' or 'unify', got {method!r}")
        outlier = np.clip(outlier, 0, 1)
        return np.column_stack([1 - outlier, outlier])

    # -- scikit-learn's parameter protocol ----------------------------------------------------------
    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(p for p in sig.parameters if p != "self")

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "BaseDetector":
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{name}: not a parameter of {type(self).__name__} (valid: {', '.join(valid)})")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    # -- helpers for subclasses -----------------------------------------------------------------------
    def _check_contamination(self) -> None:
        c = self.contamination
        if isinstance(c, bool) or not isinstance(c, (int, float, np.floating)) or not (0 < c <= 0.5):
            raise ValueError(f"contamination: must be a float in (0, 0.5], got {c!r}")

    def _check_fit_input(self, X: Any) -> np.ndarray:
        x, _ = as_matrix(X, "X")
        self.n_features_in_ = x.shape[1]
        self._dtype = x.dtype
        return x

    def _check_score_input(self, X: Any) -> np.ndarray:
        if not hasattr(self, "decision_scores_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(X) first")
        x, _ = as_matrix(X, "X")
        if x.shape[1] != self.n_features_in_:
            raise ValueError(f"X: has {x.shape[1]} features but {type(self).__name__} was fitted on "
                             f"{self.n_features_in_}")
        check_same_dtype(np.empty(0, self._dtype), "the training data", x, "X")
        return x

    def _process_decision_scores(self, scores: np.ndarray) -> None:
        self.decision_scores_ = scores
        self.threshold_ = np.percentile(scores, 100 * (1 - self.contamination))
        self.labels_ = (scores > self.threshold_).astype(int)
        self._mu = float(np.mean(scores))
        self._sigma = float(np.std(scores))

    def _fit(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError
