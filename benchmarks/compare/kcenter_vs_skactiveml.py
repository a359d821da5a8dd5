"""Core-set (greedy k-center) selection, tamis vs scikit-activeml's CoreSet (installed here if missing),
same data, same labeled rows, in one process:

    python benchmarks/compare/kcenter_vs_skactiveml.py [--threads 2] [--sizes 10000 50000]

Gaussian float64 embeddings (n × 128), 1 % of the rows labeled, budget 100. scikit-activeml breaks
exact ties at random; continuous data has none, so the two pick lists must be equal. First, tamis alone
on 1,000,000 × 128 with 10,000 labeled (float32), reporting the growth of the peak resident set: the
state is one distance per row, never n × n or n × labeled.
"""
import argparse

import numpy as np

from _common import best_of, ensure, machine, peak_rss_mib, random_labeled, set_threads


def problem(n, d, labeled_share, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d), dtype=dtype)  # no float64 temporary to inflate the peak RSS
    labeled = random_labeled(rng, n, labeled_share)
    return x, labeled


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000])
    ap.add_argument("--budget", type=int, default=100)
    args = ap.parse_args()
    import tamis.active as active

    pool = ensure("skactiveml.pool", "scikit-activeml")
    set_threads(args.threads)
    print(f"# core-set selection, budget {args.budget}, {args.threads} threads — {machine()}\n")

    # First, while the process's peak resident set is still the inputs' own.
    x, labeled = problem(1_000_000, 128, 0.01, np.float32, seed=1)
    before = peak_rss_mib()
    t, (picks, gains) = best_of(lambda: active.kcenter_greedy(x, args.budget, labeled=labeled), 1)
    print(f"tamis on 1,000,000 × 128 float32 ({x.nbytes / 2**20:.0f} MiB), 10,000 labeled, budget {args.budget}: "
          f"{t:.2f} s, covering radius {gains[0]:.3f} -> {gains[-1]:.3f}; peak RSS grew "
          f"{peak_rss_mib() - before:.0f} MiB (n × labeled float32 would be {1e6 * 1e4 * 4 / 2**30:.0f} GiB)\n")
    del x, labeled

    print("| pool | tamis s | scikit-activeml s | speed-up | same picks |")
    print("|---|---:|---:|---:|---|")
    for n in args.sizes:
        x, labeled = problem(n, 128, 0.01, np.float64)
        y = np.where(labeled, 0.0, np.nan)  # scikit-activeml marks unlabeled rows with NaN labels
        t_ours, (ours, _) = best_of(lambda: active.kcenter_greedy(x, args.budget, labeled=labeled), 3)
        t_ref, theirs = best_of(lambda: pool.CoreSet(random_state=0).query(x, y, batch_size=args.budget), 1)
        print(f"| {n:,} × 128, {labeled.sum():,} labeled | {t_ours:.3f} | {t_ref:.3f} | {t_ref / t_ours:.1f}× | "
              f"{np.array_equal(ours, theirs)} |", flush=True)


if __name__ == "__main__":
    main()
