"""The main job: one round of the data flywheel on an embedded default dataset.

Defaults to scikit-learn's bundled digits (1,797 images, 64 features) so it runs anywhere with no
download. It shows:
  * exact kNN: do an image's nearest neighbours share its label? (neighbour purity)
  * k-means: do clusters found without labels line up with the digits? (cluster purity)
  * outlier detection: 3 % of the images are corrupted (pixel noise, inverted ink, blank frames,
    shuffled pixels); how well does each detector find them (ROC-AUC, precision at the planted
    count), and which clean images look most anomalous?
  * labeling rounds: from 30 labeled images, which should be labeled next? Each strategy (random,
    the uncertainty scores, BALD, PowerBALD and BatchBALD on a forest committee, core-set, BADGE,
    TypiClust, Cluster-Margin, ProbCover) picks 4 batches of 25, the model retrained after each; the
    table shows the area under the accuracy curve, its gain over random, and the selection time
    (tamis.active.harness; --plot writes the curves).
each timed against scikit-learn / PyOD on the same data where they have the same step.
"""
import argparse
import time

import numpy as np
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import load_digits
from sklearn.neighbors import NearestNeighbors

import tamis
from tamis.active import harness
import tamis.outlier as od


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
    parser.add_argument("--plot", help="write the labeling rounds' learning curves to this PNG")
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

    outlier_step(digits.data, y, args.seed)
    labeling_step(digits.data / 16, y, args.seed, args.plot)


def corrupt(x, fraction, seed):
    """A copy of x with `fraction` of its rows corrupted four ways; returns (copy, planted mask)."""
    rng = np.random.default_rng(seed)
    x = x.copy()
    rows = rng.choice(len(x), int(round(fraction * len(x))), replace=False)
    for j, r in enumerate(rows):
        kind = j % 4
        if kind == 0:
            x[r] = np.clip(x[r] + rng.normal(0, 6, x.shape[1]), 0, 16)   # sensor noise
        elif kind == 1:
            x[r] = 16 - x[r]                                            # inverted exposure
        elif kind == 2:
            x[r] = rng.uniform(0, 2, x.shape[1])                        # a blank, dark frame
        else:
            x[r] = rng.permutation(x[r])                                # scrambled pixels
    planted = np.zeros(len(x), bool)
    planted[rows] = True
    return x, planted


def outlier_step(x, y, seed):
    from sklearn.metrics import roc_auc_score

    xc, planted = corrupt(x, 0.03, seed)
    z = (xc - xc.mean(0)) / np.where(xc.std(0) == 0, 1, xc.std(0))    # z-score, as PyOD's benchmark
    z = np.ascontiguousarray(z, dtype=np.float64)
    detectors = {
        "KNN": (lambda: od.KNN(contamination=0.03), ("knn", "KNN")),
        "LOF": (lambda: od.LOF(contamination=0.03), ("lof", "LOF")),
        "IsolationForest": (lambda: od.IsolationForest(contamination=0.03, seed=seed), ("iforest", "IForest")),
        "ECOD": (lambda: od.ECOD(contamination=0.03), ("ecod", "ECOD")),
        "COPOD": (lambda: od.COPOD(contamination=0.03), ("copod", "COPOD")),
        "HBOS": (lambda: od.HBOS(contamination=0.03), ("hbos", "HBOS")),
        "PCA": (lambda: od.PCA(contamination=0.03), ("pca", "PCA")),
        "Mahalanobis": (lambda: od.Mahalanobis(contamination=0.03), None),
    }
    print(f"\noutlier detection: {planted.sum()} of {len(x)} images corrupted (noise, inverted, blank, scrambled)")
    print(f"{'detector':<17}{'ROC-AUC':>9}{'prec@k':>8}{'PyOD AUC':>10}{'tamis s':>10}{'PyOD s':>9}")
    votes = np.zeros(len(x))
    for name, (make, anchor) in detectors.items():
        det, t = timed(lambda: make().fit(z))
        scores = det.decision_scores_
        votes += np.argsort(np.argsort(scores)) / len(x)              # rank average across detectors
        top = np.argsort(-scores)[: planted.sum()]
        line = f"{name:<17}{roc_auc_score(planted, scores):>9.3f}{planted[top].mean():>8.2f}"
        pyod = _pyod_detector(anchor)
        if pyod is not None:
            ref, t_ref = timed(lambda: pyod(contamination=0.03).fit(z))
            line += f"{roc_auc_score(planted, ref.decision_scores_):>10.3f}{t:>10.4f}{t_ref:>9.4f}"
        else:
            line += f"{'':>10}{t:>10.4f}"
        print(line)
    clean = np.flatnonzero(~planted)
    odd = clean[np.argsort(-votes[clean])[:5]]
    print("clean images the detectors agree look most anomalous:",
          ", ".join(f"#{i} (digit {y[i]})" for i in odd))


def labeling_step(x, y, seed, plot=None, initial=30, batch=25, rounds=4, seeds=3):
    """Active-learning rounds with tamis.active.harness: from the same random labeled images, each strategy
    picks `batch` more per round for a logistic regression scored on a held-out third; the table gives the
    area under the accuracy-vs-labels curve (mean ± sd over seeds), its gain over random and selection time."""
    from threadpoolctl import threadpool_limits

    # One thread for BLAS and OpenMP alike: on a pool this small, threads idling between the model's fits
    # and the selections would otherwise take the cores from each other and blur the selection times.
    with threadpool_limits(1):
        records = harness.run(x, y, list(harness.STRATEGIES), initial=initial, batch=batch, rounds=rounds,
                              seeds=range(seed, seed + seeds), test_size=1 / 3)
    print(f"\nlabeling rounds: {initial} labeled images, then {rounds} batches of {batch} chosen by each strategy "
          f"({seeds} seeds; BALD on a random-forest committee)")
    print(harness.table(records, "text"))
    if plot:
        harness.plot(records, plot, title="digits: accuracy vs labeled images")
        print(f"learning curves written to {plot}")


def _pyod_detector(anchor):
    """PyOD's class for the side-by-side column, or None when PyOD is absent or has no twin."""
    if anchor is None:
        return None
    try:
        import importlib

        return getattr(importlib.import_module(f"pyod.models.{anchor[0]}"), anchor[1])
    except ImportError:
        return None


if __name__ == "__main__":
    main()
