"""Active learning: informativeness scores of a pool's class probabilities, one score per row.

Higher = more informative everywhere (take the top), natural log, 0·log 0 = 0; the anchors disagree
on each of these (modAL returns the raw margin p(1) − p(2) to argmin, Lightly uses log2, modAL's
KL disagreement is a max where scikit-activeml's is a mean). Every probability row must be a
distribution: entries in [0, 1] and finite, summing to 1 within 1e-4; anything else raises
ValueError.

One model, ``probs`` (n_samples, n_classes); p(1) ≥ p(2) are a row's two largest entries:

- ``least_confidence``: 1 − p(1)
- ``margin``: 1 − (p(1) − p(2)), scikit-activeml's; p(2) = 0 when there is one class
- ``ratio``: p(2) / p(1), the ratio of confidence (Monarch 2021); 0 when there is one class
- ``entropy``: −Σ_c p_c ln p_c

A committee or K Monte-Carlo samples, ``probs`` (n_samples, n_members, n_classes); p̄ = mean_k p_k,
H the entropy, and a member's vote is its arg-max class (the lowest class on ties):

- ``consensus_entropy``: H(p̄), the predictive entropy
- ``vote_entropy``: H(v), v_c = (votes for c) / K                         (Dagan & Engelson 1995)
- ``kl_max``: max_k KL(p_k ‖ p̄)                                           (modAL)
- ``kl_mean``: mean_k KL(p_k ‖ p̄), which equals ``bald``                   (McCallum & Nigam 1998)
- ``bald``: H(p̄) − mean_k H(p_k), the mutual information                  (Houlsby et al. 2011)
- ``variation_ratio``: 1 − max_c p̄_c                                       (modAL, baal)
- ``vote_variation_ratio``: 1 − (votes for the modal class) / K             (Gal et al. 2017)
- ``mean_std``: mean_c √(mean_k p_kc² − p̄_c²)                              (Kampffmeyer et al. 2016)

Batch selection on any 1-D scores, skipping the ``labeled`` rows (a boolean mask or an index array):
``top_b`` takes the ``budget`` highest scores, best first, ties to the lowest index. ``stochastic_top_b``
draws the batch at random, favouring high scores (stochastic acquisition, Kirsch et al., TMLR 2023):
rows one after another without replacement, each ∝ its weight w among those left, all at once by
Gumbel-top-k (the ``budget`` largest ln w + Gumbel noise) seeded with Philox, so a seed repeats its
batch. ``mode`` weighs a row of score s as ``power`` s^β (s ≥ 0 required; ``power_bald`` on BALD),
``softmax`` e^{βs} or ``softrank`` rank^−β (rank 1 the highest score, ties to the lowest index).
``random`` is the baseline: a uniformly random batch of the unlabeled rows, seeded the same way.
Strategies compared on pool-based rounds (learning curves, area under the budget curve, selection
time): :mod:`tamis.active.harness`.

Core-set selection on embeddings instead of scores (Sener & Savarese, ICLR 2018): ``kcenter_greedy``
picks, one after another, the unlabeled row farthest (squared L2) from the labeled rows and the picks
so far, row 0 first when none is labeled. :class:`KCenterState` keeps one distance per row (O(n)
memory, never an n × n or n × labeled matrix), so later rounds continue from it: ``select(budget)``
for the next picks, ``add_labeled`` for rows labeled by other means.

BADGE (Ash et al., ICLR 2020) on probabilities and embeddings together: ``badge(probs, features,
budget)`` seeds k-means++ on the gradient embeddings g = (e_ŷ − p) ⊗ h (h the penultimate features):
the row of largest ‖g‖ first, then rows drawn ∝ D², their squared distance to the nearest pick,
seeded with Philox. g is never materialised: distances come factorised from p and h, O(n (C + d))
per pick and O(n) memory.

Cluster-Margin (Citovsky et al., NeurIPS 2021) on probabilities and a fixed clustering of the pool:
``cluster_margin(probs, clusters, budget)`` takes the k_m unlabeled rows of highest margin score, groups
them by cluster (e.g. :func:`tamis.cluster.average_linkage` on the embeddings, computed once) and draws
round-robin over the groups, smallest first, one seeded random member per visit.

TypiClust (Hacohen et al., ICML 2022) on embeddings, the low-budget strategy: ``typiclust(embeddings,
budget)`` clusters the pool into |L| + budget clusters (k-means, at most 500, or ``clusters`` given),
visits those of more than 5 rows with the fewest labeled rows first, the largest first among them,
and takes from each its most typical unlabeled row: 1 / (mean squared distance to its K = min(20,
r // 2) nearest unlabeled cluster-mates + 1e-5). The kNN runs per cluster: never an n × n matrix.

ProbCover (Yehuda et al., NeurIPS 2022) on embeddings, for low budgets: ``probcover(embeddings,
budget, delta)`` greedily picks the row whose δ-ball (‖x − y‖ ≤ δ) covers the most rows no labeled
row or earlier pick covers, gains = rows newly covered; farthest-first once all are covered. The
graph is never stored: :class:`ProbCoverState` keeps a status and a degree per row. ``probcover_delta``
chooses δ as the largest radius whose balls are pure (one k-means pseudo-label) for a share alpha.

BatchBALD (Kirsch et al., NeurIPS 2019) on committee / MC-sample probabilities: ``batchbald(probs,
budget)`` picks greedily the row adding the most mutual information to the batch so far, a(x_1..x_b) =
H(y_1..y_b) − Σ_i mean_k H(p_k(x_i)), the joint entropy exact while C^b ≤ ``num_samples`` and estimated
from that many seeded draws beyond; candidates' joints come from chunked GEMMs.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Tuple

import numpy as np

from .. import _core
from .._arrays import as_host_array, as_matrix, check_int, check_real, check_seed

__all__ = ["UNCERTAINTY_KINDS", "ENSEMBLE_KINDS", "SAMPLING_MODES", "uncertainty", "least_confidence", "margin",
           "ratio", "entropy", "ensemble", "bald", "consensus_entropy", "vote_entropy", "kl_divergence",
           "variation_ratios", "mean_std", "top_b", "stochastic_top_b", "random", "power_bald", "KCenterState",
           "kcenter_greedy", "badge", "batchbald", "cluster_margin", "typiclust", "ProbCoverState", "probcover",
           "probcover_purity", "probcover_delta", "PROBCOVER_DELTAS"]

UNCERTAINTY_KINDS = ("least_confidence", "margin", "ratio", "entropy")
ENSEMBLE_KINDS = ("consensus_entropy", "vote_entropy", "kl_max", "kl_mean", "bald", "variation_ratio",
                  "vote_variation_ratio", "mean_std")
SAMPLING_MODES = ("power", "softmax", "softrank")


def _check_choice(value: Any, name: str, choices: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: must be one of {', '.join(choices)}; got {value!r}")


def uncertainty(probs: Any, kind: str = "entropy") -> Any:
    """The ``kind`` score of each row of ``probs`` (n_samples, n_classes), float32 or float64.

    Kinds: ``least_confidence`` 1 − p(1), ``margin`` 1 − (p(1) − p(2)), ``ratio`` p(2) / p(1) and
    ``entropy`` −Σ_c p_c ln p_c (0·ln 0 = 0), p(1) ≥ p(2) the two largest probabilities of the row.
    Returns a 1-D array in the input's dtype and array family, higher = more informative.
    """
    _check_choice(kind, "kind", UNCERTAINTY_KINDS)
    p, restore = as_matrix(probs, "probs")
    return restore(_core.active.uncertainty_scores(p, kind))


def least_confidence(probs: Any) -> Any:
    """1 − p(1), p(1) the largest probability of the row."""
    return uncertainty(probs, "least_confidence")


def margin(probs: Any) -> Any:
    """1 − (p(1) − p(2)), p(1) ≥ p(2) the two largest probabilities (p(2) = 0 for one class)."""
    return uncertainty(probs, "margin")


def ratio(probs: Any) -> Any:
    """p(2) / p(1), p(1) ≥ p(2) the two largest probabilities (0 for one class)."""
    return uncertainty(probs, "ratio")


def entropy(probs: Any) -> Any:
    """−Σ_c p_c ln p_c with 0·ln 0 = 0."""
    return uncertainty(probs, "entropy")


def _members_matrix(probs: Any) -> Tuple[np.ndarray, int, Callable[[np.ndarray], Any]]:
    """``probs`` (n_samples, n_members, n_classes) as the (n_samples, n_members · n_classes) matrix the kernels
    take (a view: it must be C-contiguous), the member count and the restore of its array family."""
    x, restore = as_host_array(probs, "probs")
    if x.ndim != 3:
        hint = " (one model's probabilities: use tamis.active.uncertainty)" if x.ndim == 2 else ""
        raise ValueError(
            f"probs: expected a 3-D array (n_samples, n_members, n_classes), got {x.ndim}-D with shape "
            f"{x.shape}{hint}"
        )
    if x.size == 0:
        raise ValueError(f"probs: is empty (shape {x.shape}); at least one sample, member and class are needed")
    if not x.flags.c_contiguous:  # reshaping would copy
        raise ValueError(
            f"probs: is not C-contiguous (shape {x.shape}, strides {x.strides}); tamis never copies inputs "
            f"silently, so pass np.ascontiguousarray(probs) explicitly"
        )
    n, members, classes = x.shape
    p, _ = as_matrix(x.reshape(n, members * classes), "probs")
    return p, members, restore


def ensemble(probs: Any, kind: str = "bald") -> Any:
    """The ``kind`` score of each row's K committee members or MC samples, float32 or float64.

    ``probs`` (n_samples, n_members, n_classes) holds each member's class probabilities; it must be
    C-contiguous, as it is handed to the kernel as the (n_samples, n_members · n_classes) view. With
    p̄ = mean_k p_k, H the entropy (natural log, 0·ln 0 = 0) and v_c the share of members whose
    arg-max (lowest class on ties) is c: ``consensus_entropy`` H(p̄), ``vote_entropy`` H(v),
    ``kl_max`` / ``kl_mean`` max_k / mean_k KL(p_k ‖ p̄), ``bald`` H(p̄) − mean_k H(p_k),
    ``variation_ratio`` 1 − max_c p̄_c, ``vote_variation_ratio`` 1 − max_c v_c and ``mean_std``
    mean_c of the members' standard deviation √(mean_k p_kc² − p̄_c²).
    Returns a 1-D array in the input's dtype and array family, higher = more informative.
    """
    _check_choice(kind, "kind", ENSEMBLE_KINDS)
    p, members, restore = _members_matrix(probs)
    return restore(_core.active.ensemble_scores(p, members, kind))


def bald(probs: Any) -> Any:
    """H(p̄) − mean_k H(p_k): the mutual information between the label and the model (BALD)."""
    return ensemble(probs, "bald")


def consensus_entropy(probs: Any) -> Any:
    """H(p̄), the entropy of the members' mean distribution (the predictive, or max-entropy, score)."""
    return ensemble(probs, "consensus_entropy")


def vote_entropy(probs: Any) -> Any:
    """H(v), v_c the share of members whose arg-max class (the lowest on ties) is c."""
    return ensemble(probs, "vote_entropy")


def kl_divergence(probs: Any, reduce: str = "max") -> Any:
    """max_k (``reduce="max"``, modAL) or mean_k (``"mean"``, scikit-activeml) of KL(p_k ‖ p̄)."""
    _check_choice(reduce, "reduce", ("max", "mean"))
    return ensemble(probs, "kl_" + reduce)


def variation_ratios(probs: Any, mode: str = "mean") -> Any:
    """1 − max_c p̄_c (``mode="mean"``, modAL and baal) or 1 − max_c v_c (``"votes"``, Gal et al. 2017)."""
    _check_choice(mode, "mode", ("mean", "votes"))
    return ensemble(probs, "variation_ratio" if mode == "mean" else "vote_variation_ratio")


def mean_std(probs: Any) -> Any:
    """mean_c √(mean_k p_kc² − p̄_c²), the members' standard deviation averaged over the classes."""
    return ensemble(probs, "mean_std")


def _scores(scores: Any) -> Tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """``scores`` as a 1-D float array, checked as the one-row matrix it views (so the same rules apply)."""
    x, restore = as_host_array(scores, "scores")
    if x.ndim != 1:
        raise ValueError(f"scores: expected a 1-D array (n_samples,), got {x.ndim}-D with shape {x.shape}")
    if x.size == 0:
        raise ValueError("scores: is empty; at least one row is needed")
    row, _ = as_matrix(x.reshape(1, -1), "scores")
    return row.reshape(-1), restore


def _labeled_mask(labeled: Any, n: int) -> Optional[np.ndarray]:
    """``labeled`` (None, a boolean mask of the n rows or an array of row indices) as a uint8 mask."""
    if labeled is None:
        return None
    x, _ = as_host_array(labeled, "labeled")
    if x.ndim != 1:
        raise ValueError(f"labeled: expected a 1-D mask or index array, got shape {x.shape}")
    if x.dtype == np.bool_:
        if x.shape[0] != n:
            raise ValueError(f"labeled: a boolean mask needs one entry per row ({n}), got {x.shape[0]}")
        return np.ascontiguousarray(x).view(np.uint8)
    if x.dtype.kind not in "iu" and x.size > 0:  # an empty list arrives as float64
        raise TypeError(f"labeled: expected a boolean mask or integer row indices, got dtype {x.dtype}")
    if x.size > 0 and (x.min() < 0 or x.max() >= n):
        raise ValueError(f"labeled: row indices must be in [0, {n - 1}], got {x.min()} .. {x.max()}")
    mask = np.zeros(n, np.uint8)
    mask[x.astype(np.int64, copy=False)] = 1
    return mask


def _cluster_labels(labels: Any, n: int, name: str = "clusters") -> np.ndarray:
    """``labels`` checked as a 1-D integer array with one label per row (the caller's array, on the host)."""
    c, _ = as_host_array(labels, name)
    if c.ndim != 1 or c.shape[0] != n:
        raise ValueError(f"{name}: expected one label per row, shape ({n},), got shape {c.shape}")
    if c.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected integer labels, got dtype {c.dtype}")
    return c


def _labeled_budget(labeled: Any, n: int, budget: Any) -> Tuple[Optional[np.ndarray], int, int]:
    """``labeled`` as a uint8 mask of the n rows (:func:`_labeled_mask`), the budget checked against the
    unlabeled rows, and how many rows are unlabeled."""
    mask = _labeled_mask(labeled, n)
    unlabeled = n - (int(np.count_nonzero(mask)) if mask is not None else 0)
    budget = check_int(budget, "budget", 1, unlabeled, f"{unlabeled} unlabeled of {n} rows")
    return mask, budget, unlabeled


def _batch(scores: Any, budget: Any, labeled: Any) -> Tuple[np.ndarray, Optional[np.ndarray], int, Callable]:
    s, restore = _scores(scores)
    mask, budget, _ = _labeled_budget(labeled, s.shape[0], budget)
    return s, mask, budget, restore


def top_b(scores: Any, budget: int, labeled: Any = None) -> Tuple[Any, Any]:
    """The ``budget`` highest of the 1-D float32/float64 ``scores`` among the unlabeled rows.

    ``labeled``: None (no row labeled), a boolean mask of the rows, or an integer array of labeled
    row indices (duplicates allowed). Scores must be finite. Returns ``(indices, scores)``: int64
    row indices, best first, ties to the lowest index, and their scores, in the input's array family.
    """
    s, mask, budget, restore = _batch(scores, budget, labeled)
    indices, picked = _core.active.top_b(s, mask, budget)
    return restore(indices), restore(picked)


def stochastic_top_b(
    scores: Any, budget: int, mode: str = "power", beta: float = 1.0, seed: int = 0, labeled: Any = None
) -> Tuple[Any, Any]:
    """A random batch of ``budget`` unlabeled rows, each drawn ∝ its weight among the rows left.

    Weights of a score s: ``power`` s^β (scores must be ≥ 0), ``softmax`` e^{βs}, ``softrank``
    rank^−β (rank 1 the highest score, ties to the lowest index); β = ``beta`` > 0, higher is greedier.
    Drawn at once by Gumbel-top-k with Philox noise keyed by ``seed``: the same seed gives the same
    batch. ``labeled`` as for :func:`top_b`. Returns ``(indices, scores)`` in draw order.
    """
    _check_choice(mode, "mode", SAMPLING_MODES)
    beta = check_real(beta, "beta")
    if beta <= 0:
        raise ValueError(f"beta: must be > 0, got {beta}")
    seed = check_seed(seed)
    s, mask, budget, restore = _batch(scores, budget, labeled)
    indices, picked = _core.active.stochastic_top_b(s, mask, budget, mode, beta, seed)
    return restore(indices), restore(picked)


def random(n: int, budget: int, labeled: Any = None, seed: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """A uniformly random batch of ``budget`` of the unlabeled rows of an ``n``-row pool: the baseline.

    The rows of the ``budget`` largest Philox uniforms keyed by ``seed`` (so the same seed gives the same
    batch, on either backend), i.e. :func:`stochastic_top_b` on equal scores. ``labeled`` as for
    :func:`top_b`. Returns ``(indices, keys)``: int64 rows and their float64 uniform keys, decreasing.
    """
    n = check_int(n, "n", 1, 2**62)
    mask, budget, _ = _labeled_budget(labeled, n, budget)
    seed = check_seed(seed)
    return _core.active.random_b(n, mask, budget, seed)


def power_bald(probs: Any, budget: int, beta: float = 1.0, seed: int = 0, labeled: Any = None) -> Tuple[Any, Any]:
    """PowerBALD (Kirsch et al. 2023): ``stochastic_top_b(bald(probs), budget, "power", beta, seed, labeled)``."""
    return stochastic_top_b(bald(probs), budget, "power", beta, seed, labeled)


from .badge import badge  # noqa: E402  (these use the helpers above)
from .batchbald import batchbald  # noqa: E402
from .cluster_margin import cluster_margin  # noqa: E402
from .kcenter import KCenterState, kcenter_greedy  # noqa: E402
from .probcover import PROBCOVER_DELTAS, ProbCoverState, probcover, probcover_delta, probcover_purity  # noqa: E402
from .typiclust import typiclust  # noqa: E402
