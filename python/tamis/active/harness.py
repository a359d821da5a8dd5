"""Pool-based strategy comparison: learning curves, area under the budget curve and selection time.

One experiment per (strategy, seed): the rows are split into a pool and a held-out test set, ``initial``
pool rows are labeled at random, and each round the model is refit on the labeled rows, scored on the
test set, and the strategy picks ``batch`` more pool rows, whose labels are then revealed. Everything
random (split, initial rows, the committee, stochastic strategies) derives from the seed, so a seed
repeats its curve, and every strategy of a seed starts from the same split and initial rows.

A strategy is a callable ``strategy(ctx) -> row indices`` on a :class:`Context`; :data:`STRATEGIES` maps
names to them, one line each, so a new strategy is ``STRATEGIES["name"] = lambda ctx: ...``.

AUBC, the area under the budget curve (Zhan et al., IJCAI-21; Lu et al., TMLR 2023): the trapezoid
area under accuracy against the number of labeled rows, from the initial set to the last round,
divided by that span of labels, so it is the curve's mean accuracy over the budget, in [0, 1].

scikit-learn is imported only when a run needs it, matplotlib only by :func:`plot`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np

from ..cluster import average_linkage as _average_linkage
from . import (badge, bald, batchbald, cluster_margin, kcenter_greedy, power_bald, probcover, probcover_delta, random,
               top_b, typiclust, uncertainty)

__all__ = ["Context", "STRATEGIES", "run", "aubc", "summary", "table", "plot"]


@dataclass
class Context:
    """What a strategy sees in one round.

    ``probs`` (n_pool, n_classes): the model's class probabilities on the pool (columns for every
    class, 0 for classes the labeled rows lack); ``features`` (n_pool, n_features): the pool's
    standardised features or the embeddings passed in; ``labeled``: boolean mask of the labeled pool
    rows; ``budget``: rows to pick; ``seed``: this (seed, round)'s seed for stochastic strategies.
    :meth:`committee` gives committee probabilities (n_pool, n_members, n_classes), built on first use;
    ``committee_seconds`` is the time that took, model time the harness keeps out of the selection time.
    :meth:`cached` keeps what depends on the pool alone (one dict per seed, shared by rounds and
    strategies), e.g. :meth:`clusters`, average linkage on the features into n_pool // 10 clusters
    (Cluster-Margin's, made once); such a one-off cost counts in the round that first asks for it.
    """

    probs: np.ndarray
    features: np.ndarray
    labeled: np.ndarray
    budget: int
    seed: int
    committee_factory: Callable[[], np.ndarray]
    pool_cache: Dict[str, Any] = field(default_factory=dict)
    committee_seconds: float = 0.0
    _committee: Optional[np.ndarray] = field(default=None, repr=False)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, called once per pool: later rounds and strategies of the seed get the same result."""
        if key not in self.pool_cache:
            self.pool_cache[key] = make()
        return self.pool_cache[key]

    def clusters(self) -> np.ndarray:
        """Average-linkage clusters of the pool's features, n_pool // 10 of them (at most 4,096, the leaves
        average_linkage keeps exact), made once per pool."""
        return self.cached("clusters", lambda: _average_linkage(
            self.features, n_clusters=min(4096, max(2, len(self.labeled) // 10))))

    def committee(self) -> np.ndarray:
        """Committee or Monte-Carlo probabilities (n_pool, n_members, n_classes), C-contiguous."""
        if self._committee is None:
            tic = time.perf_counter()
            self._committee = self.committee_factory()
            self.committee_seconds = time.perf_counter() - tic
        return self._committee


def _probcover(ctx: Context) -> np.ndarray:
    """ProbCover on the L2-normalised features (the paper's geometry), δ by ball purity on k-means
    pseudo-labels (:func:`probcover_delta`, one per pool)."""
    unit = ctx.cached("unit_features", lambda: ctx.features / np.maximum(
        np.linalg.norm(ctx.features, axis=1, keepdims=True), 1e-12))
    delta = ctx.cached("probcover_delta", lambda: probcover_delta(unit, n_classes=ctx.probs.shape[1]))
    return probcover(unit, ctx.budget, delta, labeled=ctx.labeled)[0]


def _typiclust(ctx: Context) -> np.ndarray:
    """TypiClust with at most one cluster per 20 pool rows: its |L| + b clusters (a low-budget design) would
    split a small pool into clusters of a few rows, all dropped as too small. Late in a long run the clusters
    above the size limit may run out of unlabeled rows; the batch is then drawn with no size limit, so the
    run goes on (the reference fails there)."""
    n_clusters = min(int(ctx.labeled.sum()) + ctx.budget, max(1, len(ctx.labeled) // 20))
    try:
        return typiclust(ctx.features, ctx.budget, labeled=ctx.labeled, seed=ctx.seed, n_clusters=n_clusters)[0]
    except ValueError as error:
        if "picks were possible" not in str(error):
            raise
        return typiclust(ctx.features, ctx.budget, labeled=ctx.labeled, seed=ctx.seed, n_clusters=n_clusters,
                         min_cluster_size=0)[0]


def _top(kind: str) -> Callable[[Context], np.ndarray]:
    return lambda ctx: top_b(uncertainty(ctx.probs, kind), ctx.budget, labeled=ctx.labeled)[0]


STRATEGIES: Dict[str, Callable[[Context], np.ndarray]] = {
    "random": lambda ctx: random(len(ctx.labeled), ctx.budget, labeled=ctx.labeled, seed=ctx.seed)[0],
    "least_confidence": _top("least_confidence"),
    "margin": _top("margin"),
    "ratio": _top("ratio"),
    "entropy": _top("entropy"),
    "bald": lambda ctx: top_b(bald(ctx.committee()), ctx.budget, labeled=ctx.labeled)[0],
    "batchbald": lambda ctx: batchbald(ctx.committee(), ctx.budget, labeled=ctx.labeled, num_samples=1000,
                                       seed=ctx.seed)[0],
    "power_bald": lambda ctx: power_bald(ctx.committee(), ctx.budget, seed=ctx.seed, labeled=ctx.labeled)[0],
    "kcenter_greedy": lambda ctx: kcenter_greedy(ctx.features, ctx.budget, labeled=ctx.labeled)[0],
    "badge": lambda ctx: badge(ctx.probs, ctx.features, ctx.budget, labeled=ctx.labeled, seed=ctx.seed)[0],
    "typiclust": _typiclust,
    "cluster_margin": lambda ctx: cluster_margin(ctx.probs, ctx.clusters(), ctx.budget, labeled=ctx.labeled,
                                                 seed=ctx.seed)[0],
    "probcover": _probcover,
}


def _derived_seed(*keys: int) -> int:
    """A 64-bit seed for the tuple of keys (seed, round, ...), independent across tuples."""
    return int(np.random.SeedSequence(list(keys)).generate_state(1, np.uint64)[0])


def _full_probs(probs: np.ndarray, seen: np.ndarray, n_classes: int) -> np.ndarray:
    """Probabilities over the ``seen`` classes spread to all ``n_classes`` columns (0 for the others)."""
    out = np.zeros((probs.shape[0], n_classes))
    out[:, seen] = probs
    return out


def _forest_committee(x: np.ndarray, y: np.ndarray, labeled: np.ndarray, n_classes: int, members: int,
                      seed: int) -> np.ndarray:
    """Each tree of a random forest fit on the labeled rows is a member: (n_pool, members, n_classes)."""
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier(n_estimators=members, random_state=seed % 2**32).fit(x[labeled], y[labeled])
    out = np.zeros((x.shape[0], members, n_classes))
    for k, tree in enumerate(forest.estimators_):
        out[:, k, forest.classes_] = tree.predict_proba(x)
    return out


def _check_rows(x: Any, y: Any) -> tuple:
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"X: expected a non-empty 2-D array (n_samples, n_features), got shape {x.shape}")
    if y.shape != (x.shape[0],):
        raise ValueError(f"y: expected one label per row of X, shape ({x.shape[0]},), got {y.shape}")
    if not np.isfinite(x).all():
        raise ValueError("X: must be finite (no NaN or inf)")
    return x, y


def run(
    X: Any,
    y: Any,
    strategies: Iterable[str] = ("random", "margin", "entropy"),
    model: Any = None,
    initial: int = 20,
    batch: int = 10,
    rounds: int = 20,
    seeds: Sequence[int] = (0, 1, 2),
    test_size: float = 0.4,
    committee_size: int = 20,
    standardize: bool = True,
) -> List[dict]:
    """Runs every strategy on every seed; returns one record per (strategy, seed, round).

    ``X`` (n_samples, n_features): raw features or embeddings; ``y`` their labels. ``model``: a
    scikit-learn classifier with ``predict_proba``, cloned per round (default: logistic regression).
    ``initial`` random pool rows are labeled first (redrawn until they hold two classes); ``rounds``
    batches of ``batch`` rows follow. ``test_size``: the held-out share (a stratified split per seed).
    ``committee_size``: trees of the random forest whose members feed BALD-type strategies.
    ``standardize``: z-score the features with the pool's mean and deviation.

    A record: ``strategy``, ``seed``, ``round`` (0 = the initial set), ``n_labeled``, ``accuracy`` on
    the test rows, and ``seconds``, the wall time of the strategy's call that picked the round's rows
    (0 for round 0), less the committee's fitting for the strategies that ask for one: the selection's
    own cost, as the model's ``predict_proba`` on the pool is not counted either.
    """
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    x, y = _check_rows(X, y)
    names = list(strategies)
    unknown = [s for s in names if s not in STRATEGIES]
    if not names or unknown:
        raise ValueError(f"strategies: unknown {unknown} (known: {', '.join(STRATEGIES)})" if unknown
                         else "strategies: at least one is needed")
    classes, y = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"y: needs at least two classes, got {len(classes)}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size: must be in (0, 1), got {test_size}")
    n_pool = x.shape[0] - int(np.ceil(test_size * x.shape[0]))
    if initial < 2 or batch < 1 or rounds < 0 or initial + batch * rounds > n_pool:
        raise ValueError(f"initial + batch * rounds: must fit the pool of {n_pool} rows with initial >= 2 and "
                         f"batch >= 1, got {initial} + {batch} * {rounds}")
    model = LogisticRegression(max_iter=2000) if model is None else model

    records = []
    for seed in seeds:
        pool, test = train_test_split(np.arange(x.shape[0]), test_size=test_size, random_state=seed % 2**32,
                                      stratify=y)
        xp, yp, xt, yt = x[pool], y[pool], x[test], y[test]
        if standardize:
            mean, std = xp.mean(0), xp.std(0)
            std[std == 0] = 1
            xp, xt = (xp - mean) / std, (xt - mean) / std
        xp = np.ascontiguousarray(xp)
        rng = np.random.default_rng(_derived_seed(seed))
        start = np.zeros(len(pool), bool)
        while len(np.unique(yp[start])) < 2:
            start[:] = False
            start[rng.choice(len(pool), initial, replace=False)] = True
        pool_cache: Dict[str, Any] = {}
        for name in names:
            labeled, seconds = start.copy(), 0.0
            for r in range(rounds + 1):
                fitted = clone(model).fit(xp[labeled], yp[labeled])
                records.append(dict(strategy=name, seed=seed, round=r, n_labeled=int(labeled.sum()),
                                    accuracy=float(fitted.score(xt, yt)), seconds=seconds))
                if r < rounds:
                    probs = _full_probs(fitted.predict_proba(xp), fitted.classes_, len(classes))
                    picks, seconds = _pick(name, probs, xp, yp, labeled, batch, _derived_seed(seed, r),
                                           committee_size, pool_cache)
                    labeled[picks] = True
    return records


def _pick(name: str, probs: np.ndarray, x: np.ndarray, y: np.ndarray, labeled: np.ndarray, batch: int,
          seed: int, committee_size: int, pool_cache: Dict[str, Any]) -> tuple:
    """One strategy call on a fresh context: its picks, checked, and the call's wall time in seconds less
    the committee's fitting."""
    n_classes = probs.shape[1]
    ctx = Context(probs=probs, features=x, labeled=labeled.copy(), budget=batch, seed=seed,
                  committee_factory=lambda: _forest_committee(x, y, labeled, n_classes, committee_size, seed),
                  pool_cache=pool_cache)
    tic = time.perf_counter()
    picks = np.asarray(STRATEGIES[name](ctx), dtype=np.int64)
    seconds = time.perf_counter() - tic - ctx.committee_seconds
    if picks.shape != (batch,) or len(np.unique(picks)) != batch or labeled[picks].any():
        raise RuntimeError(f"strategy {name!r}: must pick {batch} distinct unlabeled rows, got {picks}")
    return picks, seconds


def aubc(n_labeled: Any, accuracy: Any) -> float:
    """Area under the budget curve: ∫ accuracy d(labels) by trapezoids over the points sorted by
    ``n_labeled``, divided by the span max − min of ``n_labeled`` (the curve's mean accuracy)."""
    n = np.asarray(n_labeled, dtype=np.float64)
    a = np.asarray(accuracy, dtype=np.float64)
    if n.ndim != 1 or a.shape != n.shape:
        raise ValueError(f"n_labeled, accuracy: expected two 1-D arrays of one length, got {n.shape} and {a.shape}")
    order = np.argsort(n, kind="stable")
    n, a = n[order], a[order]
    if n.size < 2 or n[-1] == n[0]:
        raise ValueError("n_labeled: needs at least two distinct label counts to span a budget")
    return float(np.sum((a[1:] + a[:-1]) / 2 * np.diff(n)) / (n[-1] - n[0]))


def _curves(records: Sequence[dict]) -> Dict[str, dict]:
    """Per strategy, in first-seen order: ``seeds``, ``n_labeled`` (rounds,), ``accuracy`` and ``seconds``
    (seeds, rounds)."""
    out: Dict[str, dict] = {}
    for name in dict.fromkeys(r["strategy"] for r in records):
        rows = [r for r in records if r["strategy"] == name]
        seeds = list(dict.fromkeys(r["seed"] for r in rows))
        by_seed = [sorted((r for r in rows if r["seed"] == s), key=lambda r: r["round"]) for s in seeds]
        out[name] = dict(
            seeds=seeds,
            n_labeled=np.array([r["n_labeled"] for r in by_seed[0]]),
            accuracy=np.array([[r["accuracy"] for r in rs] for rs in by_seed]),
            seconds=np.array([[r["seconds"] for r in rs] for rs in by_seed]),
        )
    return out


def _sd(values: np.ndarray) -> float:
    """Sample standard deviation (n − 1), 0 for a single value."""
    return float(np.std(values, ddof=1)) if values.size > 1 else 0.0


def summary(records: Sequence[dict], baseline: str = "random") -> List[dict]:
    """One row per strategy: ``aubc_mean``/``aubc_sd`` over the seeds (sample sd), ``final_mean`` (the
    last round's accuracy), ``select_ms`` (mean selection time per round, milliseconds), ``seeds``, and,
    when ``baseline`` ran on the same seeds, ``gain_mean``/``gain_sd``: the per-seed AUBC difference to it
    (paired: both start from one split and one initial set)."""
    curves = _curves(records)
    per_seed = {name: np.array([aubc(c["n_labeled"], acc) for acc in c["accuracy"]]) for name, c in curves.items()}
    rows = []
    for name, c in curves.items():
        row = dict(strategy=name, seeds=len(c["seeds"]), aubc_mean=float(per_seed[name].mean()),
                   aubc_sd=_sd(per_seed[name]), final_mean=float(c["accuracy"][:, -1].mean()),
                   select_ms=float(c["seconds"][:, 1:].mean() * 1e3) if c["seconds"].shape[1] > 1 else 0.0)
        if baseline in curves and curves[baseline]["seeds"] == c["seeds"]:
            gain = per_seed[name] - per_seed[baseline]
            row.update(gain_mean=float(gain.mean()), gain_sd=_sd(gain))
        rows.append(row)
    return rows


def table(records: Sequence[dict], fmt: str = "markdown", baseline: str = "random") -> str:
    """The :func:`summary` as a markdown (``fmt="markdown"``) or plain-text (``"text"``) table."""
    if fmt not in ("markdown", "text"):
        raise ValueError(f"fmt: must be one of markdown, text; got {fmt!r}")
    rows = summary(records, baseline)
    head = ["strategy", "AUBC mean ± sd", f"Δ AUBC vs {baseline}", "final accuracy", "select ms/round", "seeds"]
    body = [[r["strategy"], f"{r['aubc_mean']:.4f} ± {r['aubc_sd']:.4f}",
             f"{r['gain_mean']:+.4f} ± {r['gain_sd']:.4f}" if "gain_mean" in r else "n/a",
             f"{r['final_mean']:.4f}", f"{r['select_ms']:.2f}", str(r["seeds"])] for r in rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        return "\n".join(lines + ["| " + " | ".join(cells) + " |" for cells in body])
    widths = [max(len(line[i]) for line in [head] + body) for i in range(len(head))]
    fit = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join(fit(cells) for cells in [head] + body)


def plot(records: Sequence[dict], path: str, title: Optional[str] = None) -> None:
    """Writes a PNG of each strategy's mean accuracy against labeled rows, with a ± sd band over the seeds."""
    from matplotlib.figure import Figure  # no pyplot: the caller's backend stays as it is

    fig = Figure(figsize=(7, 4.5), dpi=120)
    ax = fig.add_subplot()
    for i, (name, c) in enumerate(_curves(records).items()):
        mean, sd = c["accuracy"].mean(0), c["accuracy"].std(0, ddof=1) if len(c["seeds"]) > 1 else 0
        # Ten colours, then the same ten dashed: every strategy keeps a style of its own.
        line, = ax.plot(c["n_labeled"], mean, color=f"C{i % 10}", ls=("-", "--", ":")[i // 10 % 3], marker="o",
                        ms=2.5, lw=1.2, label=name)
        ax.fill_between(c["n_labeled"], mean - sd, mean + sd, color=line.get_color(), alpha=0.15, lw=0)
    ax.set_xlabel("labeled rows")
    ax.set_ylabel("test accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, format="png")
