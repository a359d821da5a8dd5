"""tamis's CUDA backend next to the anchors, in one script on one machine with a GPU:

    python benchmarks/compare/gpu_vs_anchors.py --bench-dir build/cuda/benchmarks [--only KNN LOF ...]

The tamis side is the device variant of each Google Benchmark binary (float32 on the GPU, data
already resident, median of repetitions), run from here; the anchor runs in this process on the same
shape: PyOD / scikit-learn on every CPU core of the machine (their users' setting), or PyTorch on the
same GPU where no CPU anchor is the fair comparison (kNN, top-k, logit scores). Prints one table row
per task: milliseconds, the ratio (anchor / tamis) and the issue's target.
"""
import argparse
import json
import os
import platform
import subprocess
from pathlib import Path

import numpy as np

from _common import best_of


def best_ms(fn, repeats):
    return best_of(fn, repeats)[0] * 1e3


def cuda_ms(fn, repeats=10):
    """Median milliseconds of a PyTorch GPU callable, timed with CUDA events after a warm-up."""
    import torch

    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(stop))
    return float(np.median(times))


def gaussian(n, d, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal((n, d)).astype(dtype)


# ---- anchors, each returning milliseconds for the benchmark's shape --------------------------------


def pyod_fit(module, cls, n, d, repeats=2, **kw):
    import importlib

    x = gaussian(n, d)
    model = getattr(importlib.import_module(f"pyod.models.{module}"), cls)
    return best_ms(lambda: model(**kw).fit(x), repeats)


def pyod_ecdf(cls, n, d):
    """ECOD or COPOD: fit (training scores included) and scores of n/5 new rows."""
    import importlib

    model = getattr(importlib.import_module(f"pyod.models.{cls.lower()}"), cls)
    x, q = gaussian(n, d), gaussian(n // 5, d, 1)
    return best_ms(lambda: model().fit(x).decision_function(q), 2)


def sklearn_iforest(n, d):
    from sklearn.ensemble import IsolationForest

    x = gaussian(n, d)
    return best_ms(lambda: IsolationForest(random_state=0, n_jobs=-1).fit(x).score_samples(x), 2)


def sklearn_mahalanobis(n, d):
    from sklearn.covariance import EmpiricalCovariance

    x = gaussian(n, d)
    return best_ms(lambda: EmpiricalCovariance().fit(x).mahalanobis(x), 3)


def sklearn_kmeans_per_pass(n, d, k):
    from sklearn.cluster import KMeans

    x = gaussian(n, d, dtype=np.float32)
    model = KMeans(n_clusters=k, init=x[:k], n_init=1, max_iter=20, tol=0, algorithm="lloyd")
    total = best_ms(lambda: model.fit(x), 1)
    return total / model.n_iter_


def torch_knn(m, n, d, k):
    import torch

    db = torch.randn(m, d, device="cuda")
    q = torch.randn(n, d, device="cuda")
    return cuda_ms(lambda: torch.topk(torch.cdist(q, db), k, largest=False))


def torch_knn_graph(n, d, k, chunk=4096):
    import torch

    x = torch.randn(n, d, device="cuda")

    def graph():
        for s in range(0, n, chunk):
            dist = torch.cdist(x[s:s + chunk], x)
            dist[torch.arange(dist.shape[0]), torch.arange(s, s + dist.shape[0])] = float("inf")
            torch.topk(dist, k, largest=False)

    return cuda_ms(graph, 3)


def torch_topk(n, m, k):
    import torch

    v = torch.randn(n, m, device="cuda")
    return cuda_ms(lambda: torch.topk(v, k, largest=False))


def torch_energy(n, c):
    import torch

    v = torch.randn(n, c, device="cuda")
    return cuda_ms(lambda: -torch.logsumexp(v, dim=1))


# name: (binary, device benchmark's name, anchor name, anchor thunk, scale of the tamis time to
# compare, target ratio or None)
TASKS = {}
for n, d, shape in [(50_000, 64, "50,000 × 64"), (6_435, 36, "6,435 × 36 (satellite's shape)")]:
    TASKS.update({
        f"KNN {shape}": ("bench_outlier_knn", f"BM_knn_train_scores<tamis::device_memory>/{n}/{d}/5", "PyOD KNN (CPU)",
                         lambda n=n, d=d: pyod_fit("knn", "KNN", n, d, n_neighbors=5), 1, 20),
        f"LOF {shape}": ("bench_outlier_lof", f"BM_lof_fit<tamis::device_memory>/{n}/{d}/20", "PyOD LOF (CPU)",
                         lambda n=n, d=d: pyod_fit("lof", "LOF", n, d, n_neighbors=20), 1, 20),
        f"IForest {shape}": ("bench_outlier_isolation_forest",
                             f"BM_isolation_forest_fit_score<tamis::device_memory>/{n}/{d}",
                             "scikit-learn IsolationForest n_jobs=-1 (CPU)", lambda n=n, d=d: sklearn_iforest(n, d), 1, 5),
        f"ECOD {shape}": ("bench_outlier_ecod", f"BM_ecod_fit_score<tamis::device_memory>/{n}/{d}/0", "PyOD ECOD (CPU)",
                          lambda n=n, d=d: pyod_ecdf("ECOD", n, d), 1, 5),
        f"COPOD {shape}": ("bench_outlier_ecod", f"BM_ecod_fit_score<tamis::device_memory>/{n}/{d}/1", "PyOD COPOD (CPU)",
                           lambda n=n, d=d: pyod_ecdf("COPOD", n, d), 1, 5),
        f"HBOS {shape}": ("bench_outlier_hbos", f"BM_hbos_fit_score<tamis::device_memory>/{n}/{d}/10", "PyOD HBOS (CPU)",
                          lambda n=n, d=d: pyod_fit("hbos", "HBOS", n, d, repeats=2, n_bins=10), 1, 5),
    })
TASKS.update({
    "PCA": ("bench_outlier_pca", "BM_pca_fit_score<tamis::device_memory>/50000/64", "PyOD PCA (CPU)",
            lambda: pyod_fit("pca", "PCA", 50_000, 64, repeats=3), 1, None),
    "Mahalanobis": ("bench_outlier_mahalanobis", "BM_mahalanobis_empirical<tamis::device_memory>/50000/64",
                    "scikit-learn EmpiricalCovariance (CPU)", lambda: sklearn_mahalanobis(50_000, 64), 1, None),
    "MCD": ("bench_outlier_mahalanobis", "BM_mcd_fit<tamis::device_memory>/5000/16", "PyOD MCD (CPU)",
            lambda: pyod_fit("mcd", "MCD", 5_000, 16, repeats=2, random_state=0), 1, None),
    "k-means per pass": ("bench_kmeans", "BM_kmeans_iteration<tamis::device_memory>/100000/128/256/0",
                         "scikit-learn KMeans lloyd (CPU)", lambda: sklearn_kmeans_per_pass(100_000, 128, 256),
                         1 / 6, 10),
    "kNN k=10": ("bench_brute_force", "BM_knn<tamis::device_memory>/200000/2000/128/10",
                 "torch cdist + topk (GPU)", lambda: torch_knn(200_000, 2_000, 128, 10), 1, None),
    "kNN k=100": ("bench_brute_force", "BM_knn<tamis::device_memory>/200000/2000/128/100",
                  "torch cdist + topk (GPU)", lambda: torch_knn(200_000, 2_000, 128, 100), 1, None),
    "kNN graph": ("bench_brute_force", "BM_knn_graph<tamis::device_memory>/50000/128/10",
                  "torch chunked cdist + topk (GPU)", lambda: torch_knn_graph(50_000, 128, 10), 1, None),
    "top-k 1000×100000, k=10": ("bench_select_k", "BM_select_k<tamis::device_memory>/1000/100000/10",
                                "torch.topk (GPU)", lambda: torch_topk(1000, 100_000, 10), 1, None),
    "energy 100000×1000": ("bench_ood", "BM_logit_scores<tamis::device_memory>/100000/1000/2",
                           "torch logsumexp (GPU)", lambda: torch_energy(100_000, 1000), 1, None),
})


def tamis_ms(bench_dir, binary, name, save_dir, cache={}):
    """Median real time (ms) of one device benchmark, running each binary once for all its entries
    (its full JSON, counters included, kept in save_dir when given)."""
    if binary not in cache:
        # Device variants at up to 6-digit row counts (the 1,000,000-row runs are not compared here).
        out = subprocess.run([str(Path(bench_dir) / binary), "--benchmark_filter=device_memory>/[0-9]{1,6}/",
                              "--benchmark_repetitions=5", "--benchmark_format=json"],
                             capture_output=True, text=True, check=True).stdout
        if save_dir:
            Path(save_dir).mkdir(parents=True, exist_ok=True)
            (Path(save_dir) / f"{binary}.json").write_text(out)
        cache[binary] = {b["run_name"]: b for b in json.loads(out)["benchmarks"] if b.get("aggregate_name") == "median"}
    entry = cache[binary][name + "/real_time"]
    assert entry["time_unit"] == "ms", entry
    return entry["real_time"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", required=True)
    ap.add_argument("--only", nargs="*", help="task names (default: all)")
    ap.add_argument("--save-json", help="folder for each benchmark binary's full JSON output")
    args = ap.parse_args()
    import torch

    print(f"# {torch.cuda.get_device_name()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}\n")
    print("| task | tamis GPU ms | anchor | anchor ms | ratio | target |")
    print("|---|---:|---|---:|---:|---:|")
    for task, (binary, name, anchor_name, anchor, scale, target) in TASKS.items():
        if args.only and task not in args.only:
            continue
        ours = tamis_ms(args.bench_dir, binary, name, args.save_json) * scale
        theirs = anchor()
        goal = f"≥ {target}×" if target else "—"
        print(f"| {task} | {ours:.2f} | {anchor_name} | {theirs:.2f} | {theirs / ours:.1f}× | {goal} |", flush=True)


if __name__ == "__main__":
    main()
