"""ROC-AUC of every tamis detector next to its anchor on the ODDS sets, under PyOD's benchmark
protocol (notebooks/benchmark.py): 60/40 train_test_split with RandomState(i), z-score with the
train statistics (std 0 -> 1, as PyOD's standardizer), contamination = the true outlier fraction,
default hyper-parameters, ROC-AUC of decision_function on the test split, mean over the seeds.

    python benchmarks/compare/odds_vs_pyod.py [--seeds 10] [--detectors KNN LOF ...] [--data DIR]

Prints a Markdown table per detector: mean AUC of tamis and of the anchor (PyOD; scikit-learn for
IForest), their difference, and the largest relative difference of the test scores themselves.
Exits 1 if a mean differs by more than the tolerance (0.02; 0.03 for the randomised ones).
"""
import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(__file__))
from _common import machine  # noqa: E402
from _detectors import as_float64, available  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "odds"
RANDOMISED = {"IForest": 0.03, "MCD": 0.03}


def load(path):
    d = np.loadtxt(path, delimiter=",", skiprows=1)
    return d[:, :-1], d[:, -1].astype(int)


def standardize(train, test):
    mean, std = train.mean(axis=0), train.std(axis=0)
    std[std == 0] = 1.0
    return as_float64((train - mean) / std), as_float64((test - mean) / std)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--detectors", nargs="*")
    ap.add_argument("--data", default=os.environ.get("TAMIS_ODDS_DIR", str(DEFAULT_DATA)))
    args = ap.parse_args()
    files = sorted(Path(args.data).glob("*.csv"))
    if not files:
        print(f"no ODDS data under {args.data}: skipped (set --data or TAMIS_ODDS_DIR)")
        return 0
    warnings.filterwarnings("ignore")
    detectors = available(args.detectors)
    print(f"# ODDS ROC-AUC, {args.seeds} seeds — {machine()}\n")
    failed = []
    for name, (ours, anchor_name, anchor) in detectors.items():
        tol = RANDOMISED.get(name, 0.02)
        print(f"## {name} (anchor: {anchor_name}, tolerance ±{tol})\n")
        print("| data | n × d | tamis | anchor | diff | max rel. score diff | tamis s | anchor s |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for path in files:
            x, y = load(path)
            contamination = y.mean()
            auc = {"t": [], "a": []}
            rel, secs, skipped = 0.0, {"t": 0.0, "a": 0.0}, 0
            for seed in range(args.seeds):
                xtr, xte, _, yte = train_test_split(x, y, test_size=0.4, random_state=np.random.RandomState(seed))
                xtr, xte = standardize(xtr, xte)
                scores = {}
                for key, make in (("t", ours), ("a", anchor)):
                    start = time.perf_counter()
                    scores[key] = np.asarray(make(contamination, seed).fit(xtr).decision_function(xte), dtype=float)
                    secs[key] += time.perf_counter() - start
                if not np.all(np.isfinite(scores["a"])):
                    skipped += 1  # PyOD's PCA divides by a zero explained-variance ratio (cardio): inf scores
                    continue
                for key in ("t", "a"):
                    auc[key].append(roc_auc_score(yte, scores[key]))
                denom = np.maximum(np.abs(scores["a"]), 1e-12)
                rel = max(rel, float(np.max(np.abs(scores["t"] - scores["a"]) / denom)))
            t, a = np.mean(auc["t"]), np.mean(auc["a"])
            if abs(t - a) > tol:
                failed.append(f"{name}/{path.stem}")
            note = f" ({skipped} seeds with non-finite anchor scores left out)" if skipped else ""
            print(f"| {path.stem}{note} | {x.shape[0]} × {x.shape[1]} | {t:.4f} | {a:.4f} | {t - a:+.4f} | {rel:.1e} | "
                  f"{secs['t']:.2f} | {secs['a']:.2f} |")
        print()
    if failed:
        print(f"outside the tolerance: {', '.join(failed)}")
        return 1
    print("every mean ROC-AUC within its tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())
