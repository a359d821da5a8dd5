"""TypiClust (Hacohen, Dekel & Weinshall, "Active Learning on a Budget", ICML 2022): typical rows of
uncovered clusters, the low-budget strategy.

The pool (labeled and unlabeled rows) is clustered into |L| + budget clusters (at most
``max_clusters``, the reference's 500) by seeded k-means. Clusters of at most ``min_cluster_size``
rows are dropped; the others are visited in the order (labeled rows ascending, size descending,
cluster id ascending), computed once, cycling when the budget exceeds them. Each visit takes the
cluster's most typical unlabeled row, typicality(x) = 1 / (mean squared L2 distance from x to its
K = min(k, r // 2) nearest neighbours + 1e-5), the neighbours drawn from the cluster's r unlabeled
rows not yet picked, x itself excluded.

These are the reference's choices (avihu111/TypiClust ``deep-al/pycls/al/typiclust.py``): faiss
``IndexFlatL2`` gives squared distances; labeled rows leave the kNN (their label is set to −1) but
count in the sizes; it searches K + 1 neighbours and drops the first, x itself; a pick leaves its
cluster before the next visit. Where the reference would fail, tamis documents a choice: a cluster
with no unlabeled row left is skipped; the last row of a cluster (K = 0, the reference's mean over
no neighbour is NaN) is taken with typicality 0; ties go to the lowest row index.

scikit-activeml's ``TypiClust`` differs: k = 5 nearest neighbours by plain (not squared) L2 among all
the cluster's rows, the row itself counted among its k + 1; no size filter and no cap on the
clusters; clusters holding a labeled row are never visited, each cluster at most once, the largest
first with random ties; once all are visited, random rows.

The kNN runs per visited cluster on its gathered rows: memory O(largest cluster × (d + K)), never
n × n.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from .. import _core
from .._arrays import as_matrix, check_int, check_seed
from . import _cluster_labels, _labeled_budget

__all__ = ["typiclust"]


def _cluster_ids(clusters: Any, n: int) -> np.ndarray:
    """Integer cluster labels of the n rows as int64 ids 0, 1, ... in the labels' sorted order."""
    c = _cluster_labels(clusters, n)
    return np.unique(c, return_inverse=True)[1].astype(np.int64, copy=False).reshape(n)


def typiclust(
    embeddings: Any,
    budget: int,
    labeled: Any = None,
    n_clusters: Optional[int] = None,
    max_clusters: int = 500,
    min_cluster_size: int = 5,
    k: int = 20,
    seed: int = 0,
    clusters: Any = None,
) -> Tuple[Any, Any]:
    """A TypiClust batch of ``budget`` unlabeled rows, in pick order.

    ``embeddings`` (n_samples, n_features): 2-D, C-contiguous, finite float32 or float64 (the paper
    uses L2-normalised self-supervised features). ``labeled``: None (no row labeled), a boolean mask
    of the rows, or an integer array of labeled row indices (duplicates allowed); labeled rows are
    never picked.

    Clustering: ``clusters``, one integer label per row (any values; equal labels share a cluster),
    or, when None, seeded k-means (k-means++ init, ``seed``) into ``n_clusters`` clusters, by default
    min(|L| + budget, ``max_clusters``). Clusters of at most ``min_cluster_size`` rows are never
    visited; ``k`` caps the neighbours of a typicality (K = min(k, r // 2)).

    Returns ``(indices, gains)``: int64 row indices and each pick's typicality 1 / (mean squared
    distance to its K nearest unlabeled cluster-mates + 1e-5), in the embeddings' dtype and array
    family. Raises ValueError when the visited clusters run out of unlabeled rows before the budget.
    """
    x, restore = as_matrix(embeddings, "embeddings")
    n = x.shape[0]
    mask, budget, unlabeled = _labeled_budget(labeled, n, budget)
    min_cluster_size = check_int(min_cluster_size, "min_cluster_size", 0)
    k = check_int(k, "k", 1)
    if clusters is not None:
        if n_clusters is not None:
            raise ValueError("n_clusters: give either clusters or n_clusters, not both")
        ids = _cluster_ids(clusters, n)
        indices, gains = _core.active.typiclust_select(x, ids, mask, budget, min_cluster_size, k)
        return restore(indices), restore(gains)
    max_clusters = check_int(max_clusters, "max_clusters", 1)
    if n_clusters is None:
        n_clusters = min(n - unlabeled + budget, max_clusters)
    n_clusters = check_int(n_clusters, "n_clusters", 1, n, f"{n} rows")
    seed = check_seed(seed)
    indices, gains = _core.active.typiclust_cluster_select(x, mask, budget, n_clusters, min_cluster_size, k, seed)
    return restore(indices), restore(gains)
