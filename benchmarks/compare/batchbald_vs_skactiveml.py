"""BatchBALD, tamis vs scikit-activeml's batch_bald (the function behind its BatchBALD query strategy, installed
here if missing), same probabilities, in one process:

    python benchmarks/compare/batchbald_vs_skactiveml.py [--threads 2] [--sizes 2000 5000 20000] [--repeats 3]

Probabilities (n, K, C): per-member softmaxes of a shared and a member-specific part, float64.

1. Exact regime (n = 2,000, K = 20, C = 4, budget 5): scikit-activeml enumerates configurations while
   C^picks <= n_MC_samples, tamis while C^(picks + 1) <= num_samples, so n_MC_samples = C^4 and
   num_samples = C^5 make both exact; scikit-activeml breaks ties at random (continuous data has none)
   and clips probabilities at 1e-7, so the picks must be equal and the cumulative gains agree to ~1e-6.
2. Speed (K = 20, C = 10, budget 10): both sample once C^n outgrows 1,000 configurations (1,000 draws:
   50 per member), so the picks differ (different random draws) but the work is the same; float64
   and float32 for tamis. scikit-activeml holds n × M × C float64 joints at once (1.6 GB at n = 20,000).
"""
import argparse

import numpy as np

from _common import best_of, ensure, machine, set_threads


def problem(n, members, classes, seed=0):
    rng = np.random.default_rng(seed)
    logits = 1.5 * rng.standard_normal((n, 1, classes)) + 1.5 * rng.standard_normal((n, members, classes))
    p = np.exp(logits)
    return p / p.sum(axis=2, keepdims=True)


def skactiveml_batch(bald, probs, budget, n_mc_samples):
    """Picks and cumulative utilities: batch_bald returns (budget, n) utilities, NaN for rows already picked."""
    utilities = bald.batch_bald(probs.swapaxes(0, 1).copy(), budget, n_MC_samples=n_mc_samples, random_state=0)
    picks = np.nanargmax(utilities, axis=1)
    return picks, utilities[np.arange(budget), picks]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[2_000, 5_000, 20_000])
    ap.add_argument("--samples", type=int, default=1_000)
    ap.add_argument("--repeats", type=int, default=3, help="best of this many runs (a shared machine is noisy)")
    args = ap.parse_args()
    import tamis.active as active

    bald = ensure("skactiveml.pool._bald", "scikit-activeml")
    set_threads(args.threads)
    print(f"# BatchBALD, {args.threads} threads — {machine()}\n")

    members, classes, budget = 20, 4, 5
    probs = problem(2_000, members, classes)
    t_ours, (ours, gains) = best_of(lambda: active.batchbald(probs, budget, num_samples=classes**budget), args.repeats)
    t_ref, (theirs, utilities) = best_of(lambda: skactiveml_batch(bald, probs, budget, classes ** (budget - 1)),
                                         args.repeats)
    print(f"exact regime, 2,000 × {members} × {classes}, budget {budget}: tamis {t_ours:.3f} s, scikit-activeml "
          f"{t_ref:.3f} s ({t_ref / t_ours:.1f}×); same picks {np.array_equal(ours, theirs)}; largest gap in "
          f"a(x_1..x_j) {np.abs(gains.cumsum() - utilities).max():.1e}\n")

    members, classes, budget = 20, 10, 10
    print(f"| pool (K = {members}, C = {classes}, budget {budget}, {args.samples:,} configurations) | tamis float64 s "
          f"| tamis float32 s | scikit-activeml s | speed-up (float64) | speed-up (float32) | first 3 picks equal |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for n in args.sizes:
        probs = problem(n, members, classes, seed=n)
        probs32 = probs.astype(np.float32)
        t64, (ours, _) = best_of(lambda: active.batchbald(probs, budget, num_samples=args.samples), args.repeats)
        t32, _ = best_of(lambda: active.batchbald(probs32, budget, num_samples=args.samples), args.repeats)
        t_ref, (theirs, _) = best_of(lambda: skactiveml_batch(bald, probs, budget, args.samples), args.repeats)
        print(f"| {n:,} | {t64:.2f} | {t32:.2f} | {t_ref:.2f} | {t_ref / t64:.1f}× | {t_ref / t32:.1f}× | "
              f"{np.array_equal(ours[:3], theirs[:3])} |", flush=True)


if __name__ == "__main__":
    main()
