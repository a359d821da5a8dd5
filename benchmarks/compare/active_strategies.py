"""Active-learning strategies compared by pool-based rounds (tamis.active.harness): learning curves, area
under the budget curve (AUBC, mean ± sd over seeds), the paired AUBC gain over random, and selection time:

    python benchmarks/compare/active_strategies.py [--datasets breast_cancer digits wine] [--seeds 10]
        [--strategies random margin ...] [--batch 1 --full-budget] [--out-dir build/active_strategies]
    python benchmarks/compare/active_strategies.py --embeddings emb.npy --labels labels.npy

Datasets ship with scikit-learn; --embeddings/--labels run your own (n × d) embeddings instead. Per seed:
a stratified 60/40 pool/test split, random initial rows, then rounds of a batch each, a logistic
regression refit on the labeled rows every round (harness.run takes any scikit-learn classifier).
Writes <out-dir>/<dataset>.md (the table) and <dataset>.png (mean curve ± sd band). Defaults finish in
about two minutes on two cores. Selection time excludes the model's fitting (and the committee's, for
BALD), so it is tamis's own cost.
"""
import argparse
import os
import sys
import time

import numpy as np

# Default rounds per dataset: (initial labeled rows, batch, rounds), within the 60 % pool.
PLANS = {"breast_cancer": (20, 10, 20), "digits": (20, 10, 20), "wine": (10, 5, 15)}


def load(name):
    from sklearn import datasets

    data = getattr(datasets, f"load_{name}")()
    return data.data, data.target


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="*", default=list(PLANS), choices=list(PLANS))
    ap.add_argument("--embeddings", help="a .npy (n, d) array: run on these instead of --datasets")
    ap.add_argument("--labels", help="a .npy (n,) array of labels for --embeddings")
    ap.add_argument("--strategies", nargs="*", default=None, help="default: every registered strategy")
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0 .. SEEDS-1")
    ap.add_argument("--initial", type=int, help="initial labeled rows (default per dataset)")
    ap.add_argument("--batch", type=int, help="rows picked per round (default per dataset)")
    ap.add_argument("--rounds", type=int, help="rounds (default per dataset)")
    ap.add_argument("--full-budget", action="store_true", help="as many rounds as the pool holds")
    ap.add_argument("--test-size", type=float, default=0.4)
    ap.add_argument("--no-standardize", action="store_true",
                    help="use the features as they are (e.g. embeddings whose distances matter to k-center)")
    ap.add_argument("--threads", type=int, default=1,
                    help="OpenMP/BLAS threads; 1 keeps tiny per-round calls off a busy machine's spin-waits")
    ap.add_argument("--out-dir", default="build/active_strategies")
    args = ap.parse_args()
    if (args.embeddings is None) != (args.labels is None):
        ap.error("--embeddings and --labels go together")

    os.environ["OMP_NUM_THREADS"] = str(args.threads)  # before tamis and scikit-learn load their runtimes
    from threadpoolctl import threadpool_limits
    from tamis.active import harness

    threadpool_limits(args.threads)
    strategies = args.strategies or list(harness.STRATEGIES)
    if args.embeddings is not None:
        runs = [("embeddings", np.load(args.embeddings), np.load(args.labels), (20, 10, 20))]
    else:
        runs = [(name, *load(name), PLANS[name]) for name in args.datasets]
    os.makedirs(args.out_dir, exist_ok=True)
    for name, x, y, (initial, batch, rounds) in runs:
        initial = args.initial or initial
        batch = args.batch or batch
        pool = len(y) - int(np.ceil(args.test_size * len(y)))
        if args.full_budget:
            rounds = (pool - initial) // batch
        elif args.rounds is not None:
            rounds = args.rounds
        tic = time.perf_counter()
        records = harness.run(x, y, strategies, initial=initial, batch=batch, rounds=rounds,
                              seeds=range(args.seeds), test_size=args.test_size,
                              standardize=not args.no_standardize)
        head = (f"{name} ({x.shape[0]} × {x.shape[1]}, {len(np.unique(y))} classes), pool {pool}, "
                f"{initial} initial + {rounds} rounds × {batch}, {args.seeds} seeds, "
                f"{time.perf_counter() - tic:.0f} s")
        text = harness.table(records, "markdown")
        print(f"## {head}\n\n{text}\n", flush=True)
        with open(os.path.join(args.out_dir, f"{name}.md"), "w") as f:
            f.write(f"## {head}\n\n{text}\n")
        harness.plot(records, os.path.join(args.out_dir, f"{name}.png"),
                     title=f"{name}: {batch} per round, mean ± sd over {args.seeds} seeds")
    print(f"tables and plots in {args.out_dir}/", file=sys.stderr)


if __name__ == "__main__":
    main()
