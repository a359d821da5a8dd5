"""k-means: a scikit-learn style estimator, and the shard/merge steps of a distributed Lloyd step;
average-linkage agglomerative clustering (:func:`average_linkage`).

:class:`KMeans` fits with greedy k-means++ (scikit-learn's variant), random or given initial
centres, then Lloyd iterations streamed over row batches. Results depend only on the data, the
parameters and ``batch_rows`` — never on the thread count. Inputs are used in place: a memory-mapped
``.npy`` (``np.load(path, mmap_mode="r")``) is fitted without being loaded into memory.

A distributed Lloyd step over shards held by different workers::

    stats = [tamis.cluster.kmeans_accumulate(shard, centers) for shard in shards]   # on the workers
    merged = tamis.cluster.kmeans_merge(stats)                                      # anywhere
    centers = tamis.cluster.centers_from(merged, centers)                           # new centres

:class:`KMeansStats` objects pickle, so they travel between processes (Ray, multiprocessing).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

import numpy as np

from . import _core
from ._arrays import as_matrix, check_bool, check_int, check_real, check_seed

__all__ = ["KMeans", "KMeansStats", "NotFittedError", "kmeans_accumulate", "kmeans_merge", "centers_from",
           "average_linkage"]

#: Per-cluster sums (float64, n_clusters × n_features), ``counts`` (int64) and ``inertia`` of a
#: set of rows under fixed centres; ``merge(other)`` adds another shard's statistics in place.
KMeansStats = _core.cluster.KMeansStats

_INIT_METHODS = ("k-means++", "random")


class NotFittedError(ValueError, AttributeError):
    """Raised when a KMeans method needs a fitted model (scikit-learn's convention)."""


def _check_centers(centers: Any, x: np.ndarray, name: str = "centers") -> np.ndarray:
    """Centres as a C-contiguous array of x's dtype (a small array: converting it is not a data copy)."""
    c, _ = as_matrix(centers, name, contiguous=False)
    if c.shape[1] != x.shape[1]:
        raise ValueError(f"{name}: have {c.shape[1]} features but X has {x.shape[1]}")
    return np.ascontiguousarray(c, dtype=x.dtype)


class KMeans:
    """k-means clustering (Lloyd), scikit-learn compatible.

    Parameters
    ----------
    n_clusters : int, default 8
    max_iter : int, default 100
    tol : float, default 1e-4. Stop when the squared centre shift is at most ``tol`` × the mean
        column variance of the data (scikit-learn's rule), or when no label changes.
    init : "k-means++", "random", or an array of shape (n_clusters, n_features)
    spherical : bool, default False. Rows are L2-normalised, assignment is by cosine, centres are
        unit-norm means; ``inertia_`` is then Σ (1 − cos).
    seed : int, default 0. Seeds the counter-based RNG of the initialisation.
    batch_rows : int, default 0. Rows per streamed batch (fixes the summation order); 0 lets the
        backend choose (8,192 on the host, 65,536 on CUDA).

    Attributes
    ----------
    cluster_centers_ : (n_clusters, n_features) NumPy array in X's dtype
    labels_ : (n_samples,) int64 NumPy array
    inertia_ : float, sum of squared distances to the closest centre
    n_iter_ : int, Lloyd iterations run
    n_features_in_ : int
    """

    _param_names = ("n_clusters", "max_iter", "tol", "init", "spherical", "seed", "batch_rows")

    def __init__(
        self,
        n_clusters: int = 8,
        max_iter: int = 100,
        tol: float = 1e-4,
        init: Any = "k-means++",
        spherical: bool = False,
        seed: int = 0,
        batch_rows: int = 0,
    ):
        self.n_clusters = n_clusters
        self.max_iter = max_iter
        self.tol = tol
        self.init = init
        self.spherical = spherical
        self.seed = seed
        self.batch_rows = batch_rows

    # ---- scikit-learn parameter protocol -------------------------------------------------------
    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        """The constructor parameters (``deep`` is accepted for scikit-learn compatibility)."""
        return {name: getattr(self, name) for name in self._param_names}

    def set_params(self, **params: Any) -> "KMeans":
        """Sets constructor parameters; an unknown name raises ValueError. Returns self."""
        for name in params:
            if name not in self._param_names:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._param_names)!r}."
                )
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = KMeans().get_params()
        parts = []
        for name, value in self.get_params().items():
            default = defaults[name]
            if isinstance(value, str) or not hasattr(value, "shape"):
                if type(value) is type(default) and value == default:
                    continue
                parts.append(f"{name}={value!r}")
            else:
                parts.append(f"{name}=<array of shape {tuple(value.shape)}>")
        return f"{type(self).__name__}({', '.join(parts)})"

    # ---- fitting -------------------------------------------------------------------------------
    def _validated(self, x: np.ndarray):
        n = x.shape[0]
        n_clusters = check_int(self.n_clusters, "n_clusters", 1, n, f"{n} samples")
        max_iter = check_int(self.max_iter, "max_iter", 1, 2**31 - 1)
        tol = check_real(self.tol, "tol")
        spherical = check_bool(self.spherical, "spherical")
        seed = check_seed(self.seed)
        batch_rows = check_int(self.batch_rows, "batch_rows", 0)
        init = self.init
        init_centers = None
        if init is None or isinstance(init, (bool, int, float)):
            raise ValueError(
                f"init: must be 'k-means++', 'random' or an array of shape (n_clusters, n_features), "
                f"got {init!r}"
            )
        if isinstance(init, str):
            if init not in _INIT_METHODS:
                raise ValueError(
                    f"init: must be 'k-means++', 'random' or an array of shape (n_clusters, n_features), "
                    f"got {init!r}"
                )
        else:
            init_centers = _check_centers(init, x, "init")
            if init_centers.shape[0] != n_clusters:
                raise ValueError(
                    f"init: expected shape ({n_clusters}, {x.shape[1]}) = (n_clusters, n_features), "
                    f"got {init_centers.shape}"
                )
            init = "array"
        return n_clusters, max_iter, tol, init, spherical, seed, batch_rows, init_centers

    def fit(self, X: Any, y: Any = None) -> "KMeans":
        """Fits the centres to X (n_samples, n_features), float32/float64. Returns self."""
        x, _ = as_matrix(X, "X")
        return self._fit_array(x)

    def _fit_array(self, x: np.ndarray) -> "KMeans":
        n_clusters, max_iter, tol, init, spherical, seed, batch_rows, init_centers = self._validated(x)
        centers, labels, inertia, n_iter = _core.cluster.fit(
            x, n_clusters, max_iter, tol, init, spherical, seed, batch_rows, init_centers
        )
        self.cluster_centers_ = centers
        self.labels_ = labels
        self.inertia_ = float(inertia)
        self.n_iter_ = int(n_iter)
        self.n_features_in_ = int(x.shape[1])
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "cluster_centers_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet; call 'fit' first."
            )

    def _assign(self, X: Any):
        self._check_fitted()
        x, restore = as_matrix(X, "X")
        if x.shape[1] != self.n_features_in_:
            raise ValueError(f"X: has {x.shape[1]} features, but KMeans was fitted with {self.n_features_in_}")
        centers = _check_centers(self.cluster_centers_, x, "cluster_centers_")
        batch_rows = check_int(self.batch_rows, "batch_rows", 0)
        labels, distances, inertia = _core.cluster.predict(
            x, centers, check_bool(self.spherical, "spherical"), batch_rows
        )
        return labels, distances, float(inertia), restore

    def predict(self, X: Any) -> Any:
        """Index of the closest centre of each row (int64), in X's array family."""
        labels, _, _, restore = self._assign(X)
        return restore(labels)

    def fit_predict(self, X: Any, y: Any = None) -> Any:
        """``fit(X).labels_``, in X's array family."""
        x, restore = as_matrix(X, "X")
        return restore(self._fit_array(x).labels_)

    def score(self, X: Any, y: Any = None) -> float:
        """Opposite of the inertia of X under the fitted centres (scikit-learn's convention)."""
        _, _, inertia, _ = self._assign(X)
        return -inertia

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "cluster_centers_")


# ---- distributed Lloyd steps ---------------------------------------------------------------------
def kmeans_accumulate(
    X: Any,
    centers: Any,
    spherical: bool = False,
    stats: Optional[KMeansStats] = None,
    batch_rows: int = 0,
) -> KMeansStats:
    """Per-cluster sums, counts and inertia of the rows of X under ``centers``: the shard kernel of a
    distributed Lloyd step. Adds into ``stats`` (in place) when given, else into fresh statistics;
    returns them. ``centers`` is converted to X's dtype (it is small)."""
    x, _ = as_matrix(X, "X")
    c = _check_centers(centers, x)
    spherical = check_bool(spherical, "spherical")
    batch_rows = check_int(batch_rows, "batch_rows", 0)
    if stats is None:
        stats = KMeansStats(c.shape[0], c.shape[1])
    elif not isinstance(stats, KMeansStats):
        raise TypeError(f"stats: expected a KMeansStats, got {type(stats).__name__}")
    elif (stats.n_clusters, stats.n_features) != c.shape:
        raise ValueError(
            f"stats: built for {stats.n_clusters} clusters x {stats.n_features} features, "
            f"centers have shape {c.shape}"
        )
    _core.cluster.accumulate(x, c, spherical, batch_rows, stats)
    return stats


def kmeans_merge(stats_list: Iterable[KMeansStats]) -> KMeansStats:
    """The sum of several shards' statistics, as new statistics (the inputs are unchanged)."""
    parts = list(stats_list)
    if not parts:
        raise ValueError("stats_list: needs at least one KMeansStats")
    for i, s in enumerate(parts):
        if not isinstance(s, KMeansStats):
            raise TypeError(f"stats_list[{i}]: expected a KMeansStats, got {type(s).__name__}")
    merged = parts[0].copy()
    for s in parts[1:]:
        merged.merge(s)
    return merged


def centers_from(stats: KMeansStats, previous_centers: Any, spherical: bool = False) -> np.ndarray:
    """New centres from merged statistics: the cluster means (renormalised when spherical).
    Clusters with no member keep their row of ``previous_centers``. Returns a new array in
    ``previous_centers``' dtype."""
    if not isinstance(stats, KMeansStats):
        raise TypeError(f"stats: expected a KMeansStats, got {type(stats).__name__}")
    prev, restore = as_matrix(previous_centers, "previous_centers")
    spherical = check_bool(spherical, "spherical")
    if prev.shape != (stats.n_clusters, stats.n_features):
        raise ValueError(
            f"previous_centers: expected shape ({stats.n_clusters}, {stats.n_features}) to match "
            f"the statistics, got {prev.shape}"
        )
    return restore(_core.cluster.centers_from(stats, prev, spherical))


def average_linkage(
    X: Any,
    n_clusters: Optional[int] = None,
    distance_threshold: Optional[float] = None,
    max_leaves: int = 4096,
    seed: int = 0,
    kmeans_max_iter: int = 20,
) -> Any:
    """Flat clusters of average-linkage (UPGMA) agglomerative clustering on squared L2.

    Give exactly one of ``n_clusters`` (cut into that many clusters, scipy ``fcluster``'s
    "maxclust") and ``distance_threshold`` (rows whose clusters merge at a group-average squared
    distance ≤ threshold share a cluster, fcluster's "distance"). The same partitions as
    ``scipy.cluster.hierarchy.linkage(X, "average", metric="sqeuclidean")`` + ``fcluster`` when the
    merge heights have no ties.

    No pairwise matrix is built: the mean squared distance between groups A and B is
    ‖μ_A − μ_B‖² + s_A + s_B (s the mean squared distance to the group's centroid), so each cluster is
    (count, mean, s), merged exactly, and the nearest-neighbour chain needs O(m) state and O(m² d)
    time, m the number of leaves. With n ≤ ``max_leaves`` the rows are the leaves (exact). Above it,
    the leaves are ``max_leaves`` k-means micro-clusters (tamis k-means, ``seed``,
    ``kmeans_max_iter`` Lloyd iterations) entered with their exact (count, mean, s): an
    approximation in which the rows of one micro-cluster always share a cluster.

    ``X`` (n_samples, n_features): float32 or float64, finite, C-contiguous. Returns int64 labels
    0 .. k−1 numbered in order of each cluster's lowest row, in X's array family. Ties in the chain
    go to the lowest cluster index (deterministic).
    """
    x, restore = as_matrix(X, "X")
    n = x.shape[0]
    max_leaves = check_int(max_leaves, "max_leaves", 1)
    if (n_clusters is None) == (distance_threshold is None):
        raise ValueError("n_clusters / distance_threshold: give exactly one of them")
    if n_clusters is not None:
        leaves = min(n, max_leaves)
        n_clusters = check_int(n_clusters, "n_clusters", 1, leaves, f"{n} samples, max_leaves {max_leaves}")
        distance_threshold = -1.0
    else:
        n_clusters = 0
        distance_threshold = check_real(distance_threshold, "distance_threshold")
    seed = check_seed(seed)
    kmeans_max_iter = check_int(kmeans_max_iter, "kmeans_max_iter", 1, 2**31 - 1)
    labels, _ = _core.cluster.average_linkage(x, n_clusters, distance_threshold, max_leaves, kmeans_max_iter, seed)
    return restore(labels)
