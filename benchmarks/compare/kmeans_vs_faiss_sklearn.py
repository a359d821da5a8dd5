"""k-means per-iteration time, tamis vs faiss.Kmeans vs scikit-learn KMeans, one run, same threads.

100,000 x 128 float32, 256 clusters, 20 Lloyd iterations, every library started from the same
centres (faiss cannot take given centres through Kmeans, so it starts from its own random rows),
tol = 0 so all run the full 20 iterations. Prints time per iteration and the ratios.
    python benchmarks/compare/kmeans_vs_faiss_sklearn.py [--threads 2] [--quick]
"""
import argparse

import faiss
import numpy as np
from sklearn.cluster import KMeans as SkKMeans

import tamis
from _common import best_of, machine, set_threads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    set_threads(args.threads)
    n, d, k, iters = (10000, 128, 64, 5) if args.quick else (100000, 128, 256, 20)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, d), dtype=np.float32)
    init = x[rng.choice(n, k, replace=False)].copy()
    print(f"# k-means {n} x {d}, {k} clusters, {iters} iterations, float32, {args.threads} threads — {machine()}")

    ours = tamis.cluster.KMeans(n_clusters=k, max_iter=iters, tol=0.0, init=init)
    t_tamis, _ = best_of(lambda: ours.fit(x), 3)
    assert ours.n_iter_ == iters, ours.n_iter_

    def run_faiss():
        km = faiss.Kmeans(d, k, niter=iters, seed=1, max_points_per_centroid=n, verbose=False)
        km.train(x)
        return km

    t_faiss, km_faiss = best_of(run_faiss, 3)
    _, faiss_labels = km_faiss.index.search(x, 1)
    faiss_inertia = float(((x - km_faiss.centroids[faiss_labels[:, 0]]) ** 2).sum())

    sk = SkKMeans(n_clusters=k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd")
    t_sk, _ = best_of(lambda: sk.fit(x), 2)

    per = lambda t: t / iters * 1e3
    flops = 2.0 * n * k * d
    print(f"| tamis | {per(t_tamis):.1f} ms/iter ({flops / (t_tamis / (iters + 1)) / 1e9:.0f} GFLOP/s) | inertia {ours.inertia_:.4g} |")
    print(f"| faiss.Kmeans | {per(t_faiss):.1f} ms/iter | inertia {faiss_inertia:.4g} |")
    print(f"| sklearn KMeans (lloyd) | {per(t_sk):.1f} ms/iter | inertia {sk.inertia_:.4g} |")
    print(f"| ratios | tamis vs faiss {t_faiss / t_tamis:.2f}x | tamis vs sklearn {t_sk / t_tamis:.2f}x |")


if __name__ == "__main__":
    main()
