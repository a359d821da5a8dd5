"""ProbCover selection, tamis vs scikit-activeml's ProbCover (installed here if missing), same embeddings,
same δ, same labeled rows, in one process:

    python benchmarks/compare/probcover_vs_skactiveml.py [--threads 2] [--sizes 1000 3000 10000] [--big 100000]

Unit-norm float64 embeddings (n × 64): 10 classes of 30 modes each (modes N(class centre, 0.6²/d),
rows N(mode, 0.25²/d), then normalised), 1 % of the rows labeled, budget 50, δ = 0.5 (about one mode
per ball), handed to scikit-activeml as its only candidate (deltas=[δ]) so that it does not cluster in
the timed call. Both use the closed ball ‖x − y‖ ≤ δ. scikit-activeml draws ties at random (rand_argmax)
and ties in the degrees are common, so for the pick comparison and the timing its rand_argmax is swapped
for NumPy's lowest-index nanargmax (tamis's tie rule; the same O(n) per pick). Then the two pick lists
must be equal while some row is uncovered (the last column counts the picks with gain > 0; after full
coverage tamis goes farthest-first and scikit-activeml takes its arg-max of all-zero utilities). Gains:
tamis returns rows newly covered per pick; scikit-activeml's utilities at its pick are the same numbers.

A second table compares the δ choice itself (scikit-activeml: one query with its default grid, i.e. the n × n
distances, its KMeans, the purity loop and one pick; tamis: probcover_delta). The k-means pseudo-labels
differ, so the δ may too; the last column is probcover_delta on scikit-learn's KMeans labels (the ones
scikit-activeml uses), where the two purity rules must agree.

First, tamis alone on --big rows × 64 float32, reporting the growth of the peak resident set: the
state is a status byte and a degree per row, never the n × n graph.
"""
import argparse
import importlib
import warnings

import numpy as np

from _common import best_of, ensure, machine, peak_rss_mib, random_labeled, set_threads


def problem(n, d, labeled_share, dtype, seed=0, classes=10, modes=30):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((classes, d))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    mode_centres = (centres[np.arange(classes * modes) % classes]
                    + 0.6 / np.sqrt(d) * rng.standard_normal((classes * modes, d))).astype(dtype)
    x = rng.standard_normal((n, d), dtype=dtype)  # no float64 temporary to inflate the peak RSS
    x *= dtype(0.25 / np.sqrt(d))
    x += mode_centres[rng.integers(0, classes * modes, n)]
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labeled = random_labeled(rng, n, labeled_share)
    return x, labeled


def lowest_index_ties():
    """scikit-activeml's ProbCover with the lowest-index tie rule (its module-level rand_argmax replaced)."""
    module = importlib.import_module("skactiveml.pool._prob_cover")
    module.rand_argmax = lambda a, random_state=None, **kw: np.atleast_1d(np.nanargmax(a, **kw))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1_000, 3_000, 10_000])
    ap.add_argument("--budget", type=int, default=50)
    ap.add_argument("--big", type=int, default=100_000, help="rows of the tamis-only run (0: skip it)")
    ap.add_argument("--delta", type=float, default=0.5)
    args = ap.parse_args()
    import tamis.active as active

    pool = ensure("skactiveml.pool", "scikit-activeml")
    set_threads(args.threads)
    print(f"# ProbCover selection, budget {args.budget}, {args.threads} threads — {machine()}\n")

    if args.big > 0:  # first, while the process's peak resident set is still the inputs' own
        x, labeled = problem(args.big, 64, 0.01, np.float32, seed=1)
        before = peak_rss_mib()
        t_delta, delta = best_of(lambda: active.probcover_delta(x, n_classes=10), 1)
        t_init, state = best_of(lambda: active.ProbCoverState(x, args.delta, labeled), 1)
        start = state.coverage
        t, (picks, gains) = best_of(lambda: state.select(args.budget), 1)
        print(f"tamis on {args.big:,} × 64 float32 ({x.nbytes / 2**20:.0f} MiB), {labeled.sum():,} labeled, "
              f"δ = {args.delta}: state {t_init:.2f} s, {args.budget} picks {t:.2f} s, coverage {start:.3f} -> "
              f"{state.coverage:.3f}, gains {gains[0]} -> {gains[-1]}; "
              f"probcover_delta {t_delta:.2f} s (δ = {delta:.1f}); "
              f"peak RSS grew {peak_rss_mib() - before:.0f} MiB (the dense n × n float64 distances alone would be "
              f"{args.big ** 2 * 8 / 2**30:.0f} GiB)\n")
        del x, labeled, state

    lowest_index_ties()
    print("| pool | tamis s | scikit-activeml s | speed-up | same picks | same gains | coverage | "
          "picks with gain > 0 |")
    print("|---|---:|---:|---:|---|---|---:|---:|")
    for n in args.sizes:
        x, labeled = problem(n, 64, 0.01, np.float64)
        y = np.where(labeled, 0.0, np.nan)  # scikit-activeml marks unlabeled rows with NaN labels
        delta = args.delta
        t_ours, (ours, gains) = best_of(lambda: active.probcover(x, args.budget, delta, labeled=labeled), 3)

        def theirs():
            qs = pool.ProbCover(deltas=[delta], random_state=0)
            return qs.query(x, y, batch_size=args.budget, return_utilities=True)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ref, (their_picks, utilities) = best_of(theirs, 1)
        their_gains = utilities[np.arange(args.budget), their_picks].astype(np.int64)
        state = active.ProbCoverState(x, delta, labeled)
        state.select(args.budget)
        covering = int(np.count_nonzero(gains))
        same = np.array_equal(ours[:covering], their_picks[:covering])
        print(f"| {n:,} × 64, {labeled.sum():,} labeled | {t_ours:.3f} | {t_ref:.3f} | {t_ref / t_ours:.0f}× | "
              f"{same} | {np.array_equal(gains, their_gains)} | {state.coverage:.3f} | {covering} |", flush=True)

    from sklearn.cluster import KMeans

    print("\n| pool | tamis probcover_delta s | δ | scikit-activeml (KMeans + purity on n × n) s | δ | "
          "tamis δ on scikit-learn's labels |")
    print("|---|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        x, labeled = problem(n, 64, 0.01, np.float64)
        y = np.where(labeled, 0.0, np.nan)
        t_ours, delta = best_of(lambda: active.probcover_delta(x, n_classes=10), 3)

        def their_delta():
            qs = pool.ProbCover(n_classes=10, random_state=0)
            qs.query(x, y, batch_size=1)
            return qs.delta_max_

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_ref, ref_delta = best_of(their_delta, 1)
        sk_labels = KMeans(n_clusters=10, random_state=0).fit_predict(x)
        print(f"| {n:,} × 64 | {t_ours:.3f} | {delta:.1f} | {t_ref:.3f} | {ref_delta:.1f} | "
              f"{active.probcover_delta(x, labels=sk_labels):.1f} |", flush=True)


if __name__ == "__main__":
    main()
