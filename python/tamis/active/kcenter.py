"""Core-set selection by greedy k-center (Sener & Savarese, ICLR 2018; Gonzalez 1985) on embeddings.

Each pick is the unlabeled row farthest from every centre (the labeled rows and the rows picked so
far), which keeps the covering radius max_i min_c ‖x_i − c‖ within 2× of the best k centres can do.
Distances are squared L2 (the same order, so the same picks, as L2); for cosine distances pass
L2-normalised embeddings. With no labeled row the first pick is row 0. Ties go to the lowest index.

The state is one squared distance per row, so memory is O(n): no n × n or n × labeled matrix, and
a later round continues from it without recomputing anything.
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from .. import _core
from .._arrays import as_matrix, check_int
from . import _labeled_mask

__all__ = ["KCenterState", "kcenter_greedy"]


class KCenterState:
    """Greedy k-center over ``embeddings`` (n_samples, n_features), float32 or float64, C-contiguous.

    ``labeled``: None (no row labeled), a boolean mask of the rows, or an integer array of labeled
    row indices (duplicates allowed); labeled rows are the first centres. The state keeps a reference
    to ``embeddings`` (no copy), which must not change while it is in use, and its min_dist: the
    squared L2 distance of each row to its nearest centre (+inf for every row while there is none).
    """

    def __init__(self, embeddings: Any, labeled: Any = None):
        self._x, self._restore = as_matrix(embeddings, "embeddings")
        self._min_dist = _core.active.kcenter_init(self._x, _labeled_mask(labeled, self._x.shape[0]))

    def select(self, budget: int) -> Tuple[Any, Any]:
        """The next ``budget`` greedy picks, continuing from the state, which they then join as centres.

        Returns ``(indices, gains)``: int64 row indices in pick order and, for each pick, the covering
        radius √min_dist just before it (its distance to the nearest earlier centre; +inf for the first
        pick of a state with no centre), non-increasing, in the embeddings' dtype and array family.
        Raises ValueError when fewer picks are possible (every remaining row a centre or a duplicate
        of one); the state is then left as it was.
        """
        n = self._x.shape[0]
        uncovered = int(np.count_nonzero(self._min_dist > 0))
        budget = check_int(budget, "budget", 1, uncovered, f"{uncovered} of {n} rows away from every centre")
        before = self._min_dist.copy()  # the kernel updates min_dist pick by pick: an error must not keep half a batch
        try:
            indices, gains = _core.active.kcenter_select(self._x, self._min_dist, budget)
        except Exception:
            self._min_dist[...] = before
            raise
        return self._restore(indices), self._restore(gains)

    def add_labeled(self, labeled: Any) -> None:
        """Makes rows labeled outside the greedy centres too; ``labeled`` a boolean mask or row indices.

        Rows that already are centres (the greedy's own picks) cost nothing; each other row one pass
        over the embeddings. The state then equals one constructed with all these rows labeled.
        """
        n = self._x.shape[0]
        mask = _labeled_mask(labeled, n)
        if mask is None:
            raise TypeError("labeled: expected a boolean mask or row indices, got None")
        centres = np.flatnonzero((mask != 0) & (self._min_dist > 0)).astype(np.int64, copy=False)
        if centres.size > 0:
            _core.active.kcenter_add_centres(self._x, centres, self._min_dist)

    @property
    def min_distances(self) -> np.ndarray:
        """Squared L2 distance of each row to its nearest centre (0 for centres, +inf with none yet): a
        read-only NumPy view of the state, so later ``select``/``add_labeled`` calls show through it."""
        view = self._min_dist.view()
        view.flags.writeable = False
        return view

    @property
    def radius(self) -> float:
        """The covering radius √max min_dist: the farthest any row is from its nearest centre (inf with none)."""
        return float(np.sqrt(self._min_dist.max()))


def kcenter_greedy(embeddings: Any, budget: int, labeled: Any = None) -> Tuple[Any, Any]:
    """``budget`` core-set picks from scratch: ``KCenterState(embeddings, labeled).select(budget)``."""
    return KCenterState(embeddings, labeled).select(budget)
