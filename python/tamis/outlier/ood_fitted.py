"""Post-hoc OOD scorers on a classifier's penultimate features, fitted on in-distribution data.

``features`` z (n_samples, D) are the inputs of the classifier's last linear layer, whose
``weight`` W (C, D) and ``bias`` b (C,) give the logits f = z Wᵀ + b. Every score is higher = more
likely out of distribution (OpenOOD's confidence negated, so ``roc_auc_score(is_ood, score)`` reads
as in OpenOOD's tables). Definitions follow OpenOOD's postprocessors (Jingkang50/OpenOOD):

- :class:`ReAct` (Sun et al., NeurIPS 2021): clip z at the ``percentile`` of all ID activations,
  then the energy −T·logsumexp(f / T).
- :class:`ASH` (Djurisic et al., ICLR 2023): per row keep the k = D − round(D·p/100) largest
  activations (numpy's round half to even; ties to the lower column), zero the rest and shape the
  survivors: 'p' keeps them, 'b' sets them to s1/k (OpenOOD's choice), 's' multiplies them by
  exp(s1/s2) (s1, s2: the row's sum before and after pruning); then the energy.
- :class:`MahalanobisOOD` (Lee et al., NeurIPS 2018; OpenOOD's ``mds``): class means and a tied
  covariance of the class-centred rows (ddof 0), precision = its pseudo-inverse; the score is the
  squared Mahalanobis distance to the nearest class mean.
- :class:`ViM` (Wang et al., CVPR 2022): α‖(z − u) P⊥‖ − logsumexp(f) with u = −pinv(W) b, P⊥ the
  eigenvectors of the covariance of z − u after the top ``dim``, α = mean max f / mean ‖(z − u)P⊥‖.
- :class:`KNNOOD` (Sun et al., ICML 2022): distance of z/‖z‖ to its k-th nearest normalised ID
  row. ``partial_fit`` appends rows to the bank (exact).

Each scorer's fitted state is a few arrays and numbers: ``save(path)`` writes them with
``np.savez`` (no pickle) and ``load(path)`` (module function or classmethod) restores the scorer.
Arrays are float32 or float64; the features, the head and the fitted state of one scorer share one
dtype (tamis never converts floating-point data silently).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

import numpy as np

from .. import _core
from .._arrays import as_matrix, check_int, check_real, check_same_dtype
from ._base import NotFittedError

__all__ = [
    "ReAct",
    "ASH",
    "MahalanobisOOD",
    "ViM",
    "KNNOOD",
    "load",
    "react_threshold",
    "react_scores",
    "ash_scores",
    "ash_kept",
    "vim_default_dim",
]

ASH_VARIANTS = ("p", "b", "s")


# -- argument checks ---------------------------------------------------------------------------------

def _percentile(value: Any, name: str = "percentile") -> float:
    value = check_real(value, name)
    if value > 100:
        raise ValueError(f"{name}: must be in [0, 100], got {value}")
    return value


def _temperature(value: Any) -> float:
    value = check_real(value, "temperature")
    if value <= 0:
        raise ValueError(f"temperature: must be > 0, got {value}")
    return value


def _vector(b: Any, name: str, like: np.ndarray) -> np.ndarray:
    """``b`` as a 1-D array of ``like``'s dtype (one row of a matrix check, so the same rules apply)."""
    arr = np.asarray(b) if not isinstance(b, np.ndarray) else b
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    row, _ = as_matrix(arr.reshape(1, -1), name)
    check_same_dtype(like, "weight" if name == "bias" else "features", row, name)
    return row.reshape(-1)


def _head(weight: Any, bias: Any) -> Tuple[np.ndarray, np.ndarray]:
    w, _ = as_matrix(weight, "weight")
    b = _vector(bias, "bias", w)
    if b.shape[0] != w.shape[0]:
        raise ValueError(f"bias: has {b.shape[0]} entries but weight has {w.shape[0]} classes (rows); "
                         "expected weight (C, D) and bias (C,)")
    return w, b


def _features(features: Any, weight: Optional[np.ndarray], n_features: Optional[int], name: str = "features"):
    x, restore = as_matrix(features, name)
    if weight is not None:
        check_same_dtype(weight, "weight", x, name)
        if x.shape[1] != weight.shape[1]:
            raise ValueError(f"{name}: have {x.shape[1]} features but weight has {weight.shape[1]} columns "
                             "(expected weight (C, D) for features (n, D))")
    if n_features is not None and x.shape[1] != n_features:
        raise ValueError(f"{name}: have {x.shape[1]} features but the scorer was fitted on {n_features}")
    return x, restore


# -- functional forms ------------------------------------------------------------------------------

def react_threshold(train_features: Any, percentile: float = 90.0) -> float:
    """ReAct's threshold: ``np.percentile(train_features.ravel(), percentile)`` (linear interpolation)."""
    x, _ = as_matrix(train_features, "train_features")
    return float(_core.outlier.ood_react_threshold(x, _percentile(percentile)))


def react_scores(features: Any, weight: Any, bias: Any, threshold: float, temperature: float = 1.0) -> Any:
    """ReAct: the energy −T·logsumexp((min(z, threshold) Wᵀ + b) / T) of each row (higher = more OOD)."""
    w, b = _head(weight, bias)
    x, restore = _features(features, w, None)
    threshold = float(threshold)
    if not np.isfinite(threshold):
        raise ValueError(f"threshold: must be finite, got {threshold}")
    return restore(_core.outlier.ood_react_scores(x, w, b, threshold, _temperature(temperature)))


def ash_scores(features: Any, weight: Any, bias: Any, percentile: float = 90.0, variant: str = "b",
               temperature: float = 1.0) -> Any:
    """ASH-``variant`` ('p', 'b' or 's') at ``percentile``, then the energy (higher = more OOD)."""
    if variant not in ASH_VARIANTS:
        raise ValueError(f"variant: must be one of {', '.join(ASH_VARIANTS)}; got {variant!r}")
    w, b = _head(weight, bias)
    x, restore = _features(features, w, None)
    ash_kept(x.shape[1], percentile)
    return restore(_core.outlier.ood_ash_scores(x, w, b, variant, _percentile(percentile), _temperature(temperature)))


def ash_kept(n_features: int, percentile: float) -> int:
    """Activations ASH keeps per row: n_features − round_half_even(n_features · percentile / 100) (≥ 1)."""
    n_features = check_int(n_features, "n_features", 1)
    percentile = _percentile(percentile)
    k = n_features - int(np.round(n_features * percentile / 100.0))
    if k < 1:
        raise ValueError(f"percentile: {percentile} keeps no activation of {n_features} (lower it)")
    return k


def vim_default_dim(n_features: int) -> int:
    """ViM's principal dimension: 1000 for D ≥ 2048, 512 for D ≥ 768, else D // 2 (the ViM authors'
    rule; OpenOOD's configs fix 256 for ResNet-18's D = 512, the same value)."""
    return int(_core.outlier.ood_vim_default_dim(check_int(n_features, "n_features", 1)))


# -- fitted scorers ----------------------------------------------------------------------------------

class _FeatureScorer:
    """Shared plumbing: ``score``/``__call__``, the fitted check, and ``save``/``load``.

    Subclasses list their constructor parameters in ``_params`` and their fitted attributes (arrays
    or numbers) in ``_fitted``; ``_restore_head`` re-validates a loaded head."""

    _params: Tuple[str, ...] = ()
    _fitted: Tuple[str, ...] = ()

    def __call__(self, features: Any) -> Any:
        return self.score(features)

    def _check_fitted(self) -> None:
        if any(getattr(self, name, None) is None for name in self._fitted):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit first")

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self._params}

    def save(self, path: str) -> str:
        """Writes the parameters and fitted arrays to ``path`` (``np.savez``; '.npz' is appended when
        missing) and returns the file name written."""
        self._check_fitted()
        arrays = {"scorer": np.array(type(self).__name__)}
        for name in self._params + self._fitted:
            value = getattr(self, name)
            arrays[name] = np.array("" if value is None else value) if isinstance(value, (str, type(None))) \
                else np.asarray(value)
        np.savez(path, **arrays)
        return path if str(path).endswith(".npz") else f"{path}.npz"

    @classmethod
    def load(cls, path: str) -> "_FeatureScorer":
        scorer = load(path)
        if not isinstance(scorer, cls):
            raise ValueError(f"{path}: holds a {type(scorer).__name__}, not a {cls.__name__}")
        return scorer

    @classmethod
    def _from_arrays(cls, data: Dict[str, np.ndarray]) -> "_FeatureScorer":
        params = {name: _unbox(data[name]) for name in cls._params}
        scorer = cls(**params)
        for name in cls._fitted:
            setattr(scorer, name, _unbox(data[name]))
        return scorer


def _unbox(a: np.ndarray) -> Any:
    """A saved value back: 0-d arrays become Python scalars (or None for the empty string)."""
    if a.ndim > 0:
        return a
    value = a.item()
    return None if value == "" else value


def load(path: str) -> _FeatureScorer:
    """The scorer saved at ``path`` by ``save`` (whichever class it is)."""
    if not os.path.exists(path) and os.path.exists(f"{path}.npz"):
        path = f"{path}.npz"
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    name = str(arrays.pop("scorer", ""))
    classes = {c.__name__: c for c in (ReAct, ASH, MahalanobisOOD, ViM, KNNOOD)}
    if name not in classes:
        raise ValueError(f"{path}: not a saved tamis OOD scorer (scorer = {name!r})")
    return classes[name]._from_arrays(arrays)


class _HeadScorer(_FeatureScorer):
    """A scorer that reads the classifier's last layer: ``weight`` (C, D) and ``bias`` (C,)."""

    def __init__(self, weight: Any, bias: Any):
        self.weight, self.bias = _head(weight, bias)

    def _inputs(self, features: Any, name: str = "features"):
        return _features(features, self.weight, None, name)


class ReAct(_HeadScorer):
    """ReAct: fit = the ``percentile`` of all ID activations (``threshold_``); score = the energy of
    the features clipped at it (temperature T)."""

    _params = ("weight", "bias", "percentile", "temperature")
    _fitted = ("threshold_",)

    def __init__(self, weight: Any, bias: Any, percentile: float = 90.0, temperature: float = 1.0):
        super().__init__(weight, bias)
        self.percentile = _percentile(percentile)
        self.temperature = _temperature(temperature)
        self.threshold_: Optional[float] = None

    def fit(self, features: Any) -> "ReAct":
        x, _ = self._inputs(features)
        self.threshold_ = float(_core.outlier.ood_react_threshold(x, self.percentile))
        return self

    def score(self, features: Any) -> Any:
        self._check_fitted()
        return react_scores(features, self.weight, self.bias, self.threshold_, self.temperature)


class ASH(_HeadScorer):
    """ASH-``variant`` ('p', 'b' — OpenOOD's ASHNet — or 's') at ``percentile``; nothing to fit
    (``fit`` only checks the features' shape and returns self)."""

    _params = ("weight", "bias", "percentile", "variant", "temperature")

    def __init__(self, weight: Any, bias: Any, percentile: float = 90.0, variant: str = "b",
                 temperature: float = 1.0):
        super().__init__(weight, bias)
        if variant not in ASH_VARIANTS:
            raise ValueError(f"variant: must be one of {', '.join(ASH_VARIANTS)}; got {variant!r}")
        self.percentile = _percentile(percentile)
        self.variant = variant
        self.temperature = _temperature(temperature)
        ash_kept(self.weight.shape[1], self.percentile)

    def fit(self, features: Any = None) -> "ASH":
        if features is not None:
            self._inputs(features)
        return self

    def score(self, features: Any) -> Any:
        return ash_scores(features, self.weight, self.bias, self.percentile, self.variant, self.temperature)


class MahalanobisOOD(_FeatureScorer):
    """Class-conditional Gaussians with a tied covariance. ``fit(features, labels)`` sets
    ``class_means_`` (C, D), ``whitening_`` (D, D; precision = whiteningᵀ·whitening, the
    pseudo-inverse of the covariance as sklearn's pinvh cuts it) and ``rank_``; ``n_classes``
    defaults to max(label) + 1. Labels of any integer dtype are converted to int64."""

    _params = ("n_classes",)
    _fitted = ("class_means_", "whitening_", "rank_")

    def __init__(self, n_classes: Optional[int] = None):
        self.n_classes = None if n_classes is None else check_int(n_classes, "n_classes", 1)
        self.class_means_ = self.whitening_ = self.rank_ = None

    def fit(self, features: Any, labels: Any) -> "MahalanobisOOD":
        x, _ = as_matrix(features, "features")
        y = np.asarray(labels)
        if y.ndim != 1 or y.shape[0] != x.shape[0]:
            raise ValueError(f"labels: expected shape ({x.shape[0]},), got {y.shape}")
        if y.dtype.kind not in "iu":
            raise TypeError(f"labels: expected integer class ids, got dtype {y.dtype}")
        y = np.ascontiguousarray(y, dtype=np.int64)
        n_classes = self.n_classes if self.n_classes is not None else int(y.max()) + 1
        means, whitening, rank = _core.outlier.ood_mahalanobis_fit(x, y, n_classes)
        self.class_means_, self.whitening_, self.rank_ = means, whitening, int(rank)
        return self

    @property
    def precision_(self) -> np.ndarray:
        """pinv(Σ) = whiteningᵀ·whitening (D, D)."""
        self._check_fitted()
        return self.whitening_.T @ self.whitening_

    def score(self, features: Any) -> Any:
        self._check_fitted()
        x, restore = _features(features, None, self.class_means_.shape[1])
        check_same_dtype(self.class_means_, "the fitted class means", x, "features")
        # Only the first `rank` rows of the whitening are nonzero: score with those.
        w = self.whitening_[: max(self.rank_, 1)]
        return restore(_core.outlier.ood_mahalanobis_scores(x, self.class_means_, w))


class ViM(_HeadScorer):
    """ViM. ``fit(features)`` sets ``origin_`` u (D,), ``residual_basis_`` (D − dim, D), ``alpha_``
    and ``dim_`` (``dim`` or :func:`vim_default_dim`)."""

    _params = ("weight", "bias", "dim")
    _fitted = ("origin_", "residual_basis_", "alpha_", "dim_")

    def __init__(self, weight: Any, bias: Any, dim: Optional[int] = None):
        super().__init__(weight, bias)
        d = self.weight.shape[1]
        self.dim = None if dim is None else check_int(dim, "dim", 0, d - 1, f"the feature count is {d}")
        self.origin_ = self.residual_basis_ = self.alpha_ = self.dim_ = None

    def fit(self, features: Any) -> "ViM":
        x, _ = self._inputs(features)
        dim = self.dim if self.dim is not None else vim_default_dim(x.shape[1])
        origin, basis, alpha = _core.outlier.ood_vim_fit(x, self.weight, self.bias, dim)
        self.origin_, self.residual_basis_, self.alpha_, self.dim_ = origin, basis, float(alpha), dim
        return self

    def score(self, features: Any) -> Any:
        self._check_fitted()
        x, restore = self._inputs(features)
        return restore(_core.outlier.ood_vim_scores(x, self.weight, self.bias, self.origin_, self.residual_basis_,
                                                    self.alpha_))


class KNNOOD(_FeatureScorer):
    """KNN-OOD. ``fit(features)`` stores the normalised rows as ``bank_`` (n, D); ``partial_fit``
    appends more (exact); the score is the distance to the ``k``-th nearest bank row."""

    _params = ("k",)
    _fitted = ("bank_",)

    def __init__(self, k: int = 50):
        self.k = check_int(k, "k", 1)
        self.bank_: Optional[np.ndarray] = None

    def fit(self, features: Any) -> "KNNOOD":
        x, _ = as_matrix(features, "features")
        self.bank_ = _core.outlier.ood_knn_normalize(x)
        return self

    def partial_fit(self, features: Any) -> "KNNOOD":
        if self.bank_ is None:
            return self.fit(features)
        x, _ = _features(features, None, self.bank_.shape[1])
        check_same_dtype(self.bank_, "the bank", x, "features")
        self.bank_ = np.concatenate([self.bank_, _core.outlier.ood_knn_normalize(x)])
        return self

    def score(self, features: Any) -> Any:
        self._check_fitted()
        x, restore = _features(features, None, self.bank_.shape[1])
        check_same_dtype(self.bank_, "the bank", x, "features")
        if self.k > self.bank_.shape[0]:
            raise ValueError(f"k: {self.k} exceeds the bank's {self.bank_.shape[0]} rows")
        return restore(_core.outlier.ood_knn_scores(self.bank_, x, self.k))
