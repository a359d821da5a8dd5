"""Detectors on per-feature empirical distributions: ECOD, COPOD (tail probabilities) and HBOS
(histograms). Their fitted state is the training columns sorted, which merges exactly, so
``partial_fit`` equals ``fit`` on all the rows seen.

ECOD and COPOD score new rows in one of two modes:

- ``"inductive"`` (default): each row is scored as a batch of one — the ECDF of the training rows
  plus that row, F = (count + 1) / (n + 1), with the training skewness. A row's score never depends
  on what else is in the batch.
- ``"transductive"``: PyOD's ``decision_function`` exactly: the ECDFs and skewness are recomputed on
  concat(train, batch) (pyod#400, #401, #604 discuss the consequences).

``aggregation``: ``"pyod"`` (PyOD's code: Σ_j max of the per-feature tail scores) or ``"paper"``
(the papers: max over the three per-tail sums; ECOD and COPOD then coincide, pyod#561, #655).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _core
from .._arrays import check_int, check_real
from ._base import BaseDetector

__all__ = ["ECOD", "COPOD", "HBOS"]

_MODES = ("inductive", "transductive")
_AGGREGATIONS = ("pyod", "paper")


class _SortedColumnsDetector(BaseDetector):
    """Shared by ECOD, COPOD and HBOS: sorted training columns, exactly mergeable."""

    def _fit(self, x: np.ndarray) -> np.ndarray:
        self._check_params()
        self.train_ = x
        self.sorted_columns_ = _core.outlier.sort_columns(x)
        return self._after_columns()

    def partial_fit(self, X: Any, y: Any = None) -> "_SortedColumnsDetector":
        """Adds rows: the sorted columns merge exactly, so this equals ``fit`` on every row seen."""
        if not hasattr(self, "sorted_columns_"):
            return self.fit(X, y)
        x = self._check_score_input(X)
        self._check_contamination()
        self._check_params()
        self.sorted_columns_ = _core.outlier.merge_sorted_columns(self.sorted_columns_, _core.outlier.sort_columns(x))
        self.train_ = np.concatenate([self.train_, x])
        self._process_decision_scores(self._after_columns())
        return self

    def _check_params(self) -> None:
        raise NotImplementedError

    def _after_columns(self) -> np.ndarray:
        """Fits what depends on the sorted columns; returns the training scores."""
        raise NotImplementedError


class _TailDetector(_SortedColumnsDetector):
    _kind = ""

    def __init__(self, contamination: float = 0.1, mode: str = "inductive", aggregation: str = "pyod"):
        super().__init__(contamination)
        self.mode = mode
        self.aggregation = aggregation

    def _check_params(self) -> None:
        if self.mode not in _MODES:
            raise ValueError(f"mode: must be one of {', '.join(_MODES)}; got {self.mode!r}")
        if self.aggregation not in _AGGREGATIONS:
            raise ValueError(f"aggregation: must be one of {', '.join(_AGGREGATIONS)}; got {self.aggregation!r}")

    def _after_columns(self) -> np.ndarray:
        return _core.outlier.ecdf_train_scores(self.sorted_columns_, self.train_, self._kind, self.aggregation)

    def _score(self, x: np.ndarray) -> np.ndarray:
        self._check_params()
        return _core.outlier.ecdf_scores(self.sorted_columns_, x, self._kind, self.aggregation, self.mode)


class ECOD(_TailDetector):
    """Empirical-CDF outlier detection (Li et al., TKDE 2022; PyOD's ``ECOD``).

    Parameters: ``contamination`` (0, 0.5], ``mode`` "inductive" | "transductive",
    ``aggregation`` "pyod" | "paper" (see the module notes). Training scores are PyOD's exactly.
    """

    _kind = "ecod"


class COPOD(_TailDetector):
    """Copula-based outlier detection (Li et al., ICDM 2020; PyOD's ``COPOD``). Parameters as ECOD."""

    _kind = "copod"


class HBOS(_SortedColumnsDetector):
    """Histogram-based outlier score (Goldstein & Dengel 2012; PyOD's ``HBOS``).

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    n_bins : int >= 2, or "auto" (Birgé–Rozenblac per feature, as PyOD), default 10
    alpha : float > 0, default 0.1. Score = −Σ_j log2(density_j + alpha).
    tol : float >= 0, default 0.5. A value outside the fitted range within ``tol`` bin widths of
        an edge takes the edge bin's density; farther out, the feature's lowest-scoring bin.

    Attributes: ``bin_edges_`` and ``hist_`` (densities) as PyOD's: arrays of shape (n_bins + 1, d)
    and (n_bins, d) for a fixed bin count, lists of per-feature arrays for "auto".
    """

    def __init__(self, contamination: float = 0.1, n_bins: Any = 10, alpha: float = 0.1, tol: float = 0.5):
        super().__init__(contamination)
        self.n_bins = n_bins
        self.alpha = alpha
        self.tol = tol

    def _check_params(self) -> None:
        if not (isinstance(self.n_bins, str) and self.n_bins == "auto"):
            check_int(self.n_bins, "n_bins", 2, what='or "auto"')
        if check_real(self.alpha, "alpha") == 0:
            raise ValueError("alpha: must be > 0, got 0.0")
        check_real(self.tol, "tol")

    def _after_columns(self) -> np.ndarray:
        bins = 0 if self.n_bins == "auto" else self.n_bins
        self.edges_, self.density_, self.bins_ = _core.outlier.hbos_fit(self.sorted_columns_, bins)
        return self._score(self.train_)

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.hbos_scores(self.edges_, self.density_, self.bins_, x, float(self.alpha), float(self.tol))

    @property
    def bin_edges_(self):
        if self.n_bins == "auto":
            return [e[: b + 1] for e, b in zip(self.edges_, self.bins_)]
        return self.edges_.T

    @property
    def hist_(self):
        if self.n_bins == "auto":
            return [h[:b] for h, b in zip(self.density_, self.bins_)]
        return self.density_.T
