"""TypiClust, tamis vs the reference's definition (avihu111/TypiClust, transcribed here on faiss-cpu's
IndexFlatL2, the reference's kNN) and scikit-activeml's TypiClust (installed here if missing), in one
process:

    python benchmarks/compare/typiclust_vs_skactiveml.py [--threads 2] [--sizes 10000 50000]

100 Gaussian blobs of distinct sizes, float32, n × 128, budget 100. All three get the same clusters (the
blobs; scikit-activeml through a cluster_algo that returns them), so the comparison is of the selection:

- reference: same definition (squared L2, K = min(20, r // 2), fixed cluster order, labeled rows out of
  the kNN): the picks must be equal, with and without labeled rows.
- scikit-activeml: k = 5 nearest by plain L2, clusters holding a labeled row skipped, random ties. With
  no labeled row, every cluster of more than 10 rows and distinct sizes, both visit the same clusters in
  the same order (largest first), and tamis with k = 5 has K = 5 too: only squared vs plain L2 differs,
  so the pick inside a cluster can differ. Reported: same cluster sequence, and the share of equal picks
  (the speed-up there is against tamis with k = 5).

Then the whole strategy, each with its own clustering (tamis k-means vs scikit-learn KMeans).
"""
import argparse

import numpy as np

from _common import best_of, ensure, machine, set_threads


class GivenLabels:
    """A scikit-learn-style clusterer whose fit_predict returns labels fixed in advance."""

    def __init__(self, n_clusters=8, labels=None):
        self.n_clusters = n_clusters
        self.labels = labels

    def fit_predict(self, X, y=None):
        return self.labels


def reference_select(x, clusters, labeled, budget, k_nn=20, min_size=5):
    """The reference's selection loop, transcribed: faiss IndexFlatL2 (squared L2) per cluster, K + 1
    neighbours with the first (the row) dropped, mean, 1 / (mean + 1e-5), arg-max."""
    import faiss

    ids, sizes = np.unique(clusters, return_counts=True)
    known = np.bincount(clusters[labeled], minlength=ids.max() + 1)[ids]
    keep = sizes > min_size
    order = ids[keep][np.lexsort((ids[keep], -sizes[keep], known[keep]))]
    left = np.where(labeled, -1, clusters)
    picks = []
    for i in range(budget):
        members = np.flatnonzero(left == order[i % len(order)])
        k = min(k_nn, len(members) // 2)
        index = faiss.IndexFlatL2(x.shape[1])
        index.add(x[members])
        dist, _ = index.search(x[members], k + 1)
        typicality = 1 / (dist[:, 1:].mean(axis=1) + 1e-5)
        picks.append(members[np.argmax(typicality)])
        left[picks[-1]] = -1
    return np.array(picks)


def blobs(n, d, n_blobs, seed=0):
    """n rows in n_blobs Gaussian blobs of distinct sizes (base, base + 1, ...), shuffled, and their blob ids."""
    rng = np.random.default_rng(seed)
    sizes = (n - n_blobs * (n_blobs - 1) // 2) // n_blobs + np.arange(n_blobs)
    sizes[-1] += n - sizes.sum()
    ids = rng.permutation(np.repeat(np.arange(n_blobs), sizes))
    centres = 4 * rng.standard_normal((n_blobs, d), dtype=np.float32)
    return centres[ids] + rng.standard_normal((n, d), dtype=np.float32), ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 50_000])
    ap.add_argument("--budget", type=int, default=100)
    args = ap.parse_args()
    import tamis.active as active
    from sklearn.cluster import KMeans as SkKMeans
    
    pool = ensure("skactiveml.pool", "scikit-activeml")
    set_threads(args.threads)
    b = args.budget
    print(f"# TypiClust, float32 n × 128, budget {b}, {args.threads} threads — {machine()}\n")
    print("## Selection on the same clusters (the blobs: distinct sizes)\n")
    print("| pool | labeled | tamis s | reference (faiss) s | speed-up | same picks | scikit-activeml s | speed-up | "
          "same cluster order, same picks (k = 5) |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---|")
    for n in args.sizes:
        x, clusters = blobs(n, 128, b)
        for n_labeled in (0, n // 100):
            rng = np.random.default_rng(1)
            labeled = np.zeros(n, bool)
            labeled[rng.choice(n, n_labeled, replace=False)] = True
            t_ours, (ours, _) = best_of(lambda: active.typiclust(x, b, labeled=labeled, clusters=clusters), 5)
            t_ref, ref = best_of(lambda: reference_select(x, clusters, labeled, b), 3)
            sk = "n/a (covered clusters are skipped) |"
            if n_labeled == 0:
                y = np.full(n, np.nan)
                qs = pool.TypiClust(random_state=0, cluster_algo=GivenLabels, cluster_algo_dict={"labels": clusters})
                t_sk, theirs = best_of(lambda: qs.query(x, y, batch_size=b), 3)
                t5, (ours5, _) = best_of(lambda: active.typiclust(x, b, clusters=clusters, k=5), 5)
                comparable = np.bincount(clusters).min() > 10
                sk = (f"{t_sk:.3f} | {t_sk / t5:.1f}× | {np.array_equal(clusters[ours5], clusters[theirs])}, "
                      f"{np.mean(ours5 == theirs):.0%}{'' if comparable else ' (clusters of ≤ 10 rows)'} |")
            print(f"| {n:,} | {n_labeled:,} | {t_ours:.4f} | {t_ref:.4f} | {t_ref / t_ours:.1f}× | "
                  f"{np.array_equal(ours, ref)} | {sk}", flush=True)

    print("\n## Whole strategy, each with its own clustering (no labeled row)\n")
    print("| pool | tamis (k-means + selection) s | scikit-activeml (scikit-learn KMeans + selection) s | speed-up |")
    print("|---|---:|---:|---:|")
    for n in args.sizes:
        x, _ = blobs(n, 128, b)
        y = np.full(n, np.nan)
        t_ours, _ = best_of(lambda: active.typiclust(x, b, seed=0), 1)
        qs = pool.TypiClust(random_state=0, cluster_algo=SkKMeans)
        t_sk, _ = best_of(lambda: qs.query(x, y, batch_size=b), 1)
        print(f"| {n:,} | {t_ours:.3f} | {t_sk:.3f} | {t_sk / t_ours:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
