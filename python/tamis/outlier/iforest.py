"""Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn's sampling, split rule, depth limit and
c(n) normalisation. Trees are grown in parallel on the host from their ψ ≤ 256 sampled rows, each
from its own counter-based random stream, so a forest depends only on the data, the parameters and
``seed`` (never on the thread count or the backend). Scoring walks every tree for every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _core
from .._arrays import check_bool, check_int, check_seed
from ._base import BaseDetector

__all__ = ["IsolationForest"]


class IsolationForest(BaseDetector):
    """Isolation Forest with PyOD's contract; scores s = 2^(−E[h(x)] / c(ψ)) in (0, 1], higher = more
    anomalous (scikit-learn's ``score_samples`` is −s; PyOD's ``IForest`` ranks the same).

    Parameters
    ----------
    contamination : float in (0, 0.5], default 0.1
    n_estimators : int, default 100
    max_samples : "auto" (min(256, n)), an int (clamped to n) or a float in (0, 1] (that fraction of n)
    max_features : float in (0, 1] (fraction of the features each tree sees) or an int, default 1.0
    bootstrap : bool, default False (rows drawn with replacement when True)
    seed : int, default 0

    Attributes: ``feature_``, ``left_``, ``value_`` (the forest, one row per tree; see the C++ header
    ``tamis/outlier/isolation_forest.hpp`` for the layout) and ``max_samples_`` (ψ).
    """

    def __init__(self, contamination: float = 0.1, n_estimators: int = 100, max_samples: Any = "auto",
                 max_features: Any = 1.0, bootstrap: bool = False, seed: int = 0):
        super().__init__(contamination)
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.seed = seed

    def _fit(self, x: np.ndarray) -> np.ndarray:
        n_estimators = check_int(self.n_estimators, "n_estimators", 1)
        seed = check_seed(self.seed)
        bootstrap = check_bool(self.bootstrap, "bootstrap")
        self.feature_, self.left_, self.value_, self.max_samples_ = _core.outlier.iforest_fit(
            x, n_estimators, self.max_samples, self.max_features, bootstrap, seed)
        return self._score(x)

    def _score(self, x: np.ndarray) -> np.ndarray:
        return _core.outlier.iforest_scores(self.feature_, self.left_, self.value_, self.max_samples_,
                                            self.n_features_in_, x)
