"""Active-learning scores, tamis vs scikit-activeml and modAL (each installed here if missing), and
vs the NumPy formulation for the ensemble scores the anchors only compute through a model:

    python benchmarks/compare/active_scores_vs_anchors.py [--threads 2]

Uncertainty: 1,000,000 × 10 float64 softmax rows (the anchors' dtype). Ensembles: 100,000 rows ×
20 MC samples × 10 classes. The anchors' conventions are mapped to tamis's (higher = more
informative) before the values are compared; prints times, the speed-up and the largest difference.
Then the batches themselves: the 1,000 picks of each uncertainty query on a 100,000-row pool with
10 % labeled, tamis's scores + top_b against each anchor's query function end to end (same set of
rows; continuous scores have no ties for the anchors to break at random).
"""
import argparse

import numpy as np

from _common import best_of, ensure, machine, precomputed_classifier, set_threads


def softmax_rows(shape, seed=0):
    x = np.random.default_rng(seed).standard_normal(shape) * 2
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def numpy_entropy(p, axis=-1):
    return -(p * np.log(np.where(p > 0, p, 1))).sum(axis=axis)


def anchors():
    """name -> {tamis kind: anchor callable returning tamis's convention}."""
    ensure("skactiveml", "scikit-activeml")
    # modAL's uncertainty module needs pandas but not its pinned skorch (and so torch).
    ensure("pandas", "pandas")
    ensure("modAL", "--no-deps", "modAL-python")
    from modAL.uncertainty import _proba_entropy, _proba_margin, _proba_uncertainty
    from skactiveml.pool._uncertainty_sampling import uncertainty_scores

    return {
        "scikit-activeml": {
            "least_confidence": lambda p: uncertainty_scores(p, method="least_confident"),
            "margin": lambda p: uncertainty_scores(p, method="margin_sampling"),
            "entropy": lambda p: uncertainty_scores(p, method="entropy"),
        },
        "modAL": {
            "least_confidence": _proba_uncertainty,
            "margin": lambda p: 1 - _proba_margin(p),  # modAL returns p1 − p2 and takes the argmin
            "entropy": _proba_entropy,
        },
    }


ENSEMBLE_REFERENCE = {
    "bald": lambda p: numpy_entropy(p.mean(axis=1)) - numpy_entropy(p).mean(axis=1),
    "consensus_entropy": lambda p: numpy_entropy(p.mean(axis=1)),
    "kl_max": lambda p: (p * np.log(np.where(p > 0, p, 1) / p.mean(axis=1, keepdims=True))).sum(axis=2).max(axis=1),
    "mean_std": lambda p: p.std(axis=1).mean(axis=1),
}


def query_anchors():
    """name -> {tamis kind: anchor query (probs, labeled mask, budget) -> picked row numbers}."""
    from modAL.uncertainty import entropy_sampling, margin_sampling, uncertainty_sampling
    from skactiveml.pool import UncertaintySampling

    def skactiveml_query(method):
        def query(probs, labeled, budget):
            x = np.arange(len(probs), dtype=np.float64)[:, None]
            y = np.where(labeled, 0.0, np.nan)  # NaN marks the unlabeled rows
            strategy = UncertaintySampling(method=method, random_state=0)
            return strategy.query(x, y, precomputed_classifier(probs), fit_clf=False, batch_size=budget)
        return query

    class Fixed:  # modAL asks its estimator for predict_proba of the pool it is given
        def __init__(self, probs):
            self.predict_proba = lambda x: probs

    def modal_query(sampler):
        def query(probs, labeled, budget):
            unlabeled = np.flatnonzero(~labeled)  # modAL's pool holds the unlabeled rows only
            return unlabeled[sampler(Fixed(probs[unlabeled]), None, n_instances=budget)[0]]
        return query

    return {
        "scikit-activeml": {"least_confidence": skactiveml_query("least_confident"),
                            "margin": skactiveml_query("margin_sampling"), "entropy": skactiveml_query("entropy")},
        "modAL": {"least_confidence": modal_query(uncertainty_sampling), "margin": modal_query(margin_sampling),
                  "entropy": modal_query(entropy_sampling)},
    }


def row(label, anchor_name, t_ours, t_ref, ours, theirs):
    err = float(np.max(np.abs(ours - theirs) / (1 + np.abs(theirs))))
    print(f"| {label} | {anchor_name} | {t_ours * 1e3:.1f} | {t_ref * 1e3:.1f} | {t_ref / t_ours:.1f}× | {err:.1e} |",
          flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import tamis.active as active

    set_threads(args.threads)
    print(f"# active-learning scores, {args.threads} threads — {machine()}\n")
    print("| score | anchor | tamis ms | anchor ms | speed-up | max rel. diff |")
    print("|---|---|---:|---:|---:|---:|")
    probs = softmax_rows((1_000_000, 10))
    for anchor_name, kinds in anchors().items():
        for kind, ref in kinds.items():
            t_ours, ours = best_of(lambda: active.uncertainty(probs, kind), 3)
            t_ref, theirs = best_of(lambda: ref(probs), 3)
            row(f"{kind}, 1,000,000 × 10", anchor_name, t_ours, t_ref, ours, theirs)
    mc = softmax_rows((100_000, 20, 10), seed=1)
    for kind, ref in ENSEMBLE_REFERENCE.items():
        t_ours, ours = best_of(lambda: active.ensemble(mc, kind), 3)
        t_ref, theirs = best_of(lambda: ref(mc), 3)
        row(f"{kind}, 100,000 × 20 × 10", "NumPy", t_ours, t_ref, ours, theirs)

    budget = 1_000
    pool = softmax_rows((100_000, 10), seed=2)
    labeled = np.random.default_rng(3).random(len(pool)) < 0.1
    print(f"\n| query, budget {budget:,} of 100,000 (10 % labeled) | anchor | tamis ms | anchor ms | speed-up "
          f"| same picks |")
    print("|---|---|---:|---:|---:|---|")
    for anchor_name, kinds in query_anchors().items():
        for kind, query in kinds.items():
            t_ours, (ours, _) = best_of(lambda: active.top_b(active.uncertainty(pool, kind), budget, labeled), 3)
            t_ref, theirs = best_of(lambda: query(pool, labeled, budget), 3)
            same = np.array_equal(np.sort(ours), np.sort(np.asarray(theirs)))
            print(f"| {kind} | {anchor_name} | {t_ours * 1e3:.1f} | {t_ref * 1e3:.1f} | {t_ref / t_ours:.1f}× "
                  f"| {same} |", flush=True)


if __name__ == "__main__":
    main()
