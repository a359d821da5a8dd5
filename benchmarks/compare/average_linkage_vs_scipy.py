"""Average-linkage clustering, tamis vs SciPy and scikit-learn, same data, each run in its own process so the
peak memory of each is its own:

    python benchmarks/compare/average_linkage_vs_scipy.py [--threads 2] [--sizes 2000 5000 10000 20000]

Gaussian float64 rows (n × 16), cut into 50 clusters. The metric is squared L2 in all three:
scipy.cluster.hierarchy.linkage(method="average", metric="sqeuclidean") + fcluster(criterion="maxclust"),
and scikit-learn's AgglomerativeClustering(linkage="average", metric="precomputed") on the squared distances
(its "euclidean" is unsquared: another tree). Continuous data has no ties, so the partitions must be equal
(compared after numbering clusters by their lowest row). SciPy keeps the condensed n(n−1)/2 matrix
(plus a working copy), scikit-learn the n × n one; tamis keeps the n × d means, O(n² d) time.
scikit-learn runs only up to --sklearn-max rows (its n × n float64 square plus scipy's copies).
"""
import argparse
import json
import subprocess
import sys
import time

import numpy as np

from _common import machine, peak_rss_mib, set_threads

D, K = 16, 50


def data(n):
    return np.random.default_rng(n).standard_normal((n, D))


def canonical(labels):
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse.reshape(-1)]


def worker(lib, n, threads):
    """One fit in this process: prints {seconds, peak RSS growth in MiB, labels file}."""
    set_threads(threads)
    x = data(n)
    if lib == "tamis":
        import tamis.cluster

        fit = lambda: tamis.cluster.average_linkage(x, n_clusters=K, max_leaves=n)  # noqa: E731
    elif lib == "scipy":
        from scipy.cluster import hierarchy

        fit = lambda: hierarchy.fcluster(  # noqa: E731
            hierarchy.linkage(x, method="average", metric="sqeuclidean"), K, criterion="maxclust")
    else:
        from sklearn.cluster import AgglomerativeClustering

        def fit():
            sq = (x * x).sum(1)
            d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0)  # counted: the anchor needs it
            np.fill_diagonal(d2, 0.0)
            return AgglomerativeClustering(n_clusters=K, linkage="average", metric="precomputed").fit(d2).labels_

    before = peak_rss_mib()
    start = time.perf_counter()
    labels = fit()
    seconds = time.perf_counter() - start
    grew = peak_rss_mib() - before
    path = f"/tmp/average_linkage_{lib}_{n}.npy"
    np.save(path, canonical(np.asarray(labels)))
    print(json.dumps({"seconds": seconds, "mib": grew, "labels": path}))


def run(lib, n, threads):
    out = subprocess.run([sys.executable, __file__, "--worker", lib, str(n), "--threads", str(threads)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[2000, 5000, 10000, 20000])
    ap.add_argument("--sklearn-max", type=int, default=10000)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker[0], int(args.worker[1]), args.threads)

    print(f"# average linkage (squared L2), n × {D} float64, {K} clusters, {args.threads} threads — {machine()}\n")
    print("| n | tamis s | scipy s | sklearn s | scipy / tamis | tamis MiB | scipy MiB | sklearn MiB | "
          "same as scipy | same as sklearn |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for n in args.sizes:
        ours, sp = run("tamis", n, args.threads), run("scipy", n, args.threads)
        sk = run("sklearn", n, args.threads) if n <= args.sklearn_max else None
        mine = np.load(ours["labels"])
        same_sp = np.array_equal(mine, np.load(sp["labels"])) if sp else "—"
        same_sk = np.array_equal(mine, np.load(sk["labels"])) if sk else "—"
        fmt = lambda r, key, spec: format(r[key], spec) if r else "—"  # noqa: E731
        ratio = f"{sp['seconds'] / ours['seconds']:.2f}×" if sp else "—"
        print(f"| {n:,} | {ours['seconds']:.2f} | {fmt(sp, 'seconds', '.2f')} | {fmt(sk, 'seconds', '.2f')} | "
              f"{ratio} | {ours['mib']:.0f} | {fmt(sp, 'mib', '.0f')} | {fmt(sk, 'mib', '.0f')} | {same_sp} | "
              f"{same_sk} |", flush=True)


if __name__ == "__main__":
    main()
