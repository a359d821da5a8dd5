"""Outlier, novelty and out-of-distribution scores. Higher = more anomalous / more OOD.

:mod:`tamis.outlier.ood`: post-hoc scores on a classifier's logits (MSP, MaxLogit, Energy, entropy).
"""

from . import ood

__all__ = ["ood"]
