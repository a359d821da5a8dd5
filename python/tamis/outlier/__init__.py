"""Outlier, novelty and out-of-distribution detection. Higher score = more anomalous / more OOD.

Detectors follow PyOD's contract (``fit``, ``decision_function``, ``predict``, ``predict_proba``,
``fit_predict``, ``decision_scores_``, ``threshold_``, ``labels_``, ``get_params``/``set_params``):

- :class:`KNN`, :class:`LOF`: neighbour-based (exact, tiled, never n×n).
- :class:`IsolationForest`: scikit-learn's isolation forest, seeded, trees grown in parallel.
- :class:`PCA`, :class:`Mahalanobis` (empirical or robust MCD; :class:`MCD` as in PyOD).
- :class:`ECOD`, :class:`COPOD`, :class:`HBOS`: per-feature distributions (sorted columns; exact
  ``partial_fit``).

:mod:`tamis.outlier.ood`: post-hoc OOD scores on a classifier's logits (MSP, MaxLogit, Energy, entropy)
and, fitted on in-distribution features, ReAct, ASH, class-conditional Mahalanobis, ViM and KNN-OOD.
"""

from . import ood
from ._base import BaseDetector, NotFittedError
from .ecdf import COPOD, ECOD, HBOS
from .iforest import IsolationForest
from .linear import MCD, PCA, Mahalanobis
from .neighbors import KNN, LOF

__all__ = ["ood", "BaseDetector", "NotFittedError", "KNN", "LOF", "IsolationForest", "PCA", "Mahalanobis", "MCD",
           "ECOD", "COPOD", "HBOS"]
