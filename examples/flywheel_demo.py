"""The main job: one round of the data flywheel on an embedded default dataset.

Defaults to scikit-learn's bundled digits (1,797 images, 64 features) so it runs anywhere with no
download. Today it shows the foundation every later step builds on:
  * exact kNN: do an image's nearest neighbours share its label? (neighbour purity)
  * k-means: do clusters found without labels line up with the digits? (cluster purity)
each timed against scikit-learn on the same data.
"""
import argparse
import time

import numpy as np
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import load_digits
from sklearn.neighbors import NearestNeighbors

import tamis


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def neighbour_purity(indices, labels):
    """Fraction of each row's neighbours that carry the row's own label."""
    return float(np.mean(labels[indices] == labels[:, None]))


def cluster_purity(assigned, labels):
    """Fraction of rows whose cluster's majority label is their own."""
    hits = sum(np.bincount(labels[assigned == c]).max() for c in np.unique(assigned))
    return hits / len(labels)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=10, help="neighbours per image")
    parser.add_argument("--clusters", type=int, default=10, help="k-means clusters")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    digits = load_digits()
    x = digits.data.astype(np.float32)
    y = digits.target
    print(f"tamis {tamis.__version__}: flywheel demo on scikit-learn digits ({x.shape[0]} x {x.shape[1]})\n")

    (dist, idx), t_knn = timed(lambda: tamis.neighbors.knn(x, k=args.k))
    (_, sk_idx), t_sk_knn = timed(
        lambda: NearestNeighbors(n_neighbors=args.k, algorithm="brute").fit(x).kneighbors(x, args.k + 1))
    sk_idx = sk_idx[:, 1:]  # scikit-learn returns the row itself first

    km = tamis.cluster.KMeans(n_clusters=args.clusters, seed=args.seed)
    _, t_km = timed(lambda: km.fit(x))
    sk = SkKMeans(n_clusters=args.clusters, n_init=1, random_state=args.seed)
    _, t_sk_km = timed(lambda: sk.fit(x))

    rows = [
        ("kNN graph (k=%d)" % args.k, "neighbour purity", neighbour_purity(idx, y), neighbour_purity(sk_idx, y),
         t_knn, t_sk_knn),
        ("k-means (k=%d)" % args.clusters, "cluster purity", cluster_purity(km.labels_, y),
         cluster_purity(sk.labels_, y), t_km, t_sk_km),
        ("", "inertia", km.inertia_, sk.inertia_, float("nan"), float("nan")),
    ]
    print(f"{'step':<18}{'measure':<18}{'tamis':>12}{'sklearn':>12}{'tamis s':>10}{'sklearn s':>11}")
    for step, measure, ours, theirs, t_ours, t_theirs in rows:
        times = f"{t_ours:>10.4f}{t_theirs:>11.4f}" if t_ours == t_ours else ""
        print(f"{step:<18}{measure:<18}{ours:>12.6g}{theirs:>12.6g}{times}")

    lonely = np.argsort(-dist[:, 0])[:5]
    print("\nmost isolated images (largest distance to their nearest neighbour):",
          ", ".join(f"#{i} (digit {y[i]})" for i in lonely))


if __name__ == "__main__":
    main()
