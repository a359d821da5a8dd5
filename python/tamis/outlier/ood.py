"""Post-hoc OOD scores on a classifier's logits, one score per row, higher = more likely OOD.

These are OpenOOD's confidences negated (OOD is the positive class), so ``roc_auc_score(is_ood,
score)`` reads as in OpenOOD's tables. All are computed in one numerically stable pass per row.

- ``msp``: −max softmax(logits / T)                          (Hendrycks & Gimpel, ICLR 2017)
- ``max_logit``: −max logit                                  (Hendrycks et al., ICML 2022)
- ``energy``: −T · logsumexp(logits / T), the free energy     (Liu et al., NeurIPS 2020)
- ``entropy``: entropy of softmax(logits / T), natural log, 0·log 0 = 0

Scorers fitted on in-distribution penultimate features (ReAct, ASH, class-conditional Mahalanobis,
ViM, KNN-OOD; savable, see :mod:`tamis.outlier.ood_fitted`) are re-exported here.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from .._arrays import as_matrix, check_real
from .ood_fitted import (ASH, KNNOOD, ViM, MahalanobisOOD, ReAct, ash_kept, ash_scores, load, react_scores,
                         react_threshold, vim_default_dim)

__all__ = ["KINDS", "logit_scores", "msp", "max_logit", "energy", "entropy", "ReAct", "ASH", "MahalanobisOOD",
           "ViM", "KNNOOD", "load", "react_threshold", "react_scores", "ash_scores", "ash_kept", "vim_default_dim"]

KINDS = ("msp", "max_logit", "energy", "entropy")


def logit_scores(logits: Any, kind: str = "energy", temperature: float = 1.0) -> Any:
    """The ``kind`` score of each row of ``logits`` (n_samples, n_classes), float32 or float64.

    ``temperature`` > 0 divides the logits before the softmax / logsumexp (``max_logit`` ignores it).
    Returns a 1-D array in the input's dtype and array family.
    """
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}; got {kind!r}")
    x, restore = as_matrix(logits, "logits")
    temperature = check_real(temperature, "temperature")
    if temperature <= 0:
        raise ValueError(f"temperature: must be > 0, got {temperature}")
    return restore(_core.outlier.logit_scores(x, kind, temperature))


def msp(logits: Any, temperature: float = 1.0) -> Any:
    """−max softmax probability (temperature-scaled)."""
    return logit_scores(logits, "msp", temperature)


def max_logit(logits: Any) -> Any:
    """−max logit."""
    return logit_scores(logits, "max_logit")


def energy(logits: Any, temperature: float = 1.0) -> Any:
    """The free energy −T · logsumexp(logits / T)."""
    return logit_scores(logits, "energy", temperature)


def entropy(logits: Any, temperature: float = 1.0) -> Any:
    """Entropy of the (temperature-scaled) softmax, natural log."""
    return logit_scores(logits, "entropy", temperature)
