"""ProbCover (Yehuda et al., NeurIPS 2022): low-budget selection by greedy max coverage of δ-balls.

The pool is a directed graph, x → y iff ‖x − y‖ ≤ δ (the closed ball, as scikit-activeml; the
reference repo uses <, which differs only for pairs at exactly δ), on the embeddings as given:
L2-normalise them first for the cosine geometry the paper uses. The labeled rows cover their balls;
each pick is the row whose ball holds the most uncovered rows (ties to the lowest index) and covers
it. Coverage is submodular, so the gains (rows newly covered per pick) never grow and greedy is
within 1 − 1/e of the best coverage. Once every row is covered (δ too large for the budget) the
picks go on farthest-first, the k-center step, with gain 0: the paper's high-budget dual, where the
reference repo keeps returning row 0 and scikit-activeml picks at random.

The graph is never stored (scikit-activeml keeps n × n distances and edges; the reference repo an
edge list): the state is a status byte and a degree per row, built in one tiled pass, and a pick
costs one pass over the pool plus one tiled pass against the rows it covers, so a run does about
one n × n pass in all with O(n) memory. Ball membership is the difference form Σ (x − y)² ≤ δ²,
decided the same way for every pass and both orders of a pair.

δ: :func:`probcover_delta` takes the largest radius on a grid whose balls are pure for a share
``alpha`` of the rows, purity measured on k-means pseudo-labels with k = the number of classes
(the paper's rule and scikit-activeml's grid 0.2, 0.4, …, 2.0).
"""

from __future__ import annotations

import warnings
from typing import Any, Optional, Tuple

import numpy as np

from .. import _core
from .._arrays import as_matrix, check_int, check_real
from . import _cluster_labels, _labeled_mask

__all__ = ["ProbCoverState", "probcover", "probcover_purity", "probcover_delta", "PROBCOVER_DELTAS"]

#: scikit-activeml's grid of radii (``np.arange(0.2, 2.2, 0.2)``).
PROBCOVER_DELTAS = np.round(np.arange(0.2, 2.2, 0.2), 10)


def _check_delta(delta: Any) -> float:
    delta = check_real(delta, "delta")
    if delta <= 0:
        raise ValueError(f"delta: must be > 0, got {delta}")
    return delta


class ProbCoverState:
    """Greedy max coverage of the δ-balls of ``embeddings`` (n_samples, n_features), float32 or float64,
    C-contiguous and finite; ``delta`` > 0 the ball radius (L2).

    ``labeled``: None (no row labeled), a boolean mask of the rows, or an integer array of labeled row
    indices (duplicates allowed); labeled rows are centres, their balls covered, and never picked. The
    state keeps a reference to ``embeddings`` (no copy), which must not change while it is in use.
    """

    def __init__(self, embeddings: Any, delta: float, labeled: Any = None):
        self._x, self._restore = as_matrix(embeddings, "embeddings")
        self._delta = _check_delta(delta)
        mask = _labeled_mask(labeled, self._x.shape[0])
        self._status, self._degree = _core.active.probcover_init(self._x, mask, self._delta)

    def select(self, budget: int) -> Tuple[Any, Any]:
        """The next ``budget`` greedy picks, continuing from the state, which they then join as centres.

        Returns ``(indices, gains)``: int64 row indices in pick order and, per pick, the int64 number of
        rows it newly covered (non-increasing; 0 for farthest-first picks once all rows are covered), in
        the embeddings' array family. Raises ValueError for a budget outside [1, rows not yet centres],
        or when a farthest-first pick finds every remaining row duplicating a centre; the state is then
        left as it was.
        """
        n = self._x.shape[0]
        open_rows = int(np.count_nonzero(self._status != 2))
        budget = check_int(budget, "budget", 1, open_rows, f"{open_rows} of {n} rows are not labeled or picked")
        before = self._status.copy(), self._degree.copy()  # the kernel updates the state pick by pick
        try:
            indices, gains = _core.active.probcover_select(self._x, self._delta, self._status, self._degree, budget)
        except Exception:
            self._status[...], self._degree[...] = before
            raise
        return self._restore(indices), self._restore(gains)

    @property
    def delta(self) -> float:
        """The ball radius."""
        return self._delta

    @property
    def covered(self) -> np.ndarray:
        """Boolean mask of the rows within δ of a labeled or picked row (a fresh NumPy array)."""
        return self._status != 0

    @property
    def coverage(self) -> float:
        """The share of rows covered: ProbCover's objective, the probability coverage of the pool."""
        return float(np.count_nonzero(self._status)) / self._status.shape[0]

    @property
    def degrees(self) -> np.ndarray:
        """Uncovered rows in each row's ball (0 for centres): a read-only NumPy view of the state."""
        view = self._degree.view()
        view.flags.writeable = False
        return view


def probcover(embeddings: Any, budget: int, delta: float, labeled: Any = None) -> Tuple[Any, Any]:
    """``budget`` ProbCover picks from scratch: ``ProbCoverState(embeddings, delta, labeled).select(budget)``."""
    return ProbCoverState(embeddings, delta, labeled).select(budget)


def probcover_purity(embeddings: Any, labels: Any, deltas: Any = PROBCOVER_DELTAS) -> np.ndarray:
    """Ball purity at each radius of ``deltas``: the share of rows whose δ-ball holds one label only.

    ``labels`` (n_samples,) integer (pseudo-)labels. A ball is pure iff the row's nearest row of another
    label is farther than δ, so one tiled pass (masked nearest neighbour) serves every δ. Returns a
    float64 array like ``deltas``, non-increasing in δ.
    """
    x, _ = as_matrix(embeddings, "embeddings")
    return _purity(x, labels, deltas)


def _purity(x: np.ndarray, labels: Any, deltas: Any) -> np.ndarray:
    """:func:`probcover_purity` on embeddings ``x`` already checked."""
    deltas = np.asarray(deltas, dtype=np.float64)
    if deltas.ndim != 1 or deltas.size == 0 or not np.all(np.isfinite(deltas)) or np.any(deltas <= 0):
        raise ValueError(f"deltas: expected a non-empty 1-D array of finite radii > 0, got {deltas!r}")
    ids = np.ascontiguousarray(_cluster_labels(labels, x.shape[0], "labels"), dtype=np.int64)
    nearest = _core.active.probcover_nearest_other(x, ids).astype(np.float64)
    return np.array([np.count_nonzero(nearest > d) / x.shape[0] for d in deltas])


def probcover_delta(
    embeddings: Any,
    n_classes: Optional[int] = None,
    alpha: float = 0.95,
    deltas: Any = PROBCOVER_DELTAS,
    labels: Any = None,
    seed: int = 0,
) -> float:
    """The largest radius of ``deltas`` whose ball purity is at least ``alpha`` (the paper's rule).

    Purity is measured on ``labels`` if given, else on k-means pseudo-labels with ``n_classes`` clusters
    (:class:`tamis.cluster.KMeans`, k-means++ seeded with ``seed``; scikit-activeml uses scikit-learn's
    KMeans, so its clusters, and at times its δ, differ). ``alpha`` in (0, 1). When no radius reaches
    ``alpha`` the smallest one is returned with a warning, as scikit-activeml does.
    """
    x, _ = as_matrix(embeddings, "embeddings")
    alpha = check_real(alpha, "alpha")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha}")
    if labels is None:
        if n_classes is None:
            raise ValueError("n_classes: needed for the k-means pseudo-labels when labels is None")
        n_classes = check_int(n_classes, "n_classes", 2, x.shape[0], f"{x.shape[0]} samples")
        from ..cluster import KMeans

        labels = KMeans(n_clusters=n_classes, seed=seed).fit(x).labels_
    grid = np.sort(np.asarray(deltas, dtype=np.float64))
    purity = _purity(x, labels, grid)
    pure = np.flatnonzero(purity >= alpha)
    if pure.size == 0:
        warnings.warn(
            f"probcover_delta: the purity is at most {purity.max():.4f} < alpha={alpha} on every radius; "
            f"returning the smallest, {grid[0]}: pass smaller deltas",
            stacklevel=2,
        )
        return float(grid[0])
    return float(grid[pure[-1]])
