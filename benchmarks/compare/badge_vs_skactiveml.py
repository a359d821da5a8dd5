"""BADGE batch selection, tamis vs scikit-activeml's Badge (installed here if missing), same
probabilities and features, same labeled rows, in one process:

    python benchmarks/compare/badge_vs_skactiveml.py [--threads 2] [--sizes 2000 5000 10000]

Softmax rows over C = 100 classes and Gaussian penultimate features (d = 512), float64, 1 % of the
rows labeled, budget 100. scikit-activeml materialises the n × (C·d) gradient embeddings (4 GB at
n = 10,000) and draws with NumPy's generator, tamis never materialises them and draws with Philox:
the first pick (the largest ‖g‖, no randomness) must agree, and each of tamis's D² gains is checked
against the materialised embeddings. First, tamis alone on the issue's size, 100,000 rows with
C = 100, d = 512 and budget 1,000, which scikit-activeml cannot hold (41 GB of embeddings).
"""
import argparse

import numpy as np

from _common import best_of, ensure, machine, precomputed_classifier, random_labeled, set_threads

CLASSES, FEATURES = 100, 512


def problem(n, labeled_share, dtype, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, CLASSES)).astype(dtype) * 3
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    features = rng.standard_normal((n, FEATURES)).astype(dtype)
    labeled = random_labeled(rng, n, labeled_share)
    return probs, features, labeled


def gains_match_materialised(probs, features, picks, gains):
    """Each tamis gain against the explicit embeddings: ‖g‖² for the first pick, then the squared
    distance to the nearest earlier pick."""
    a = np.eye(CLASSES)[probs[picks].argmax(axis=1)] - probs[picks]
    g = (a[:, :, None] * features[picks][:, None, :]).reshape(len(picks), -1)
    want = [g[0] @ g[0]] + [min(((g[j] - g[:j]) ** 2).sum(axis=1)) for j in range(1, len(picks))]
    return np.max(np.abs(gains - want) / np.maximum(want, 1e-12))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="*", default=[2_000, 5_000, 10_000])
    ap.add_argument("--budget", type=int, default=100)
    args = ap.parse_args()
    import tamis.active as active

    skactiveml = ensure("skactiveml", "scikit-activeml")
    from skactiveml.pool import Badge

    set_threads(args.threads)
    print(f"# BADGE, C = {CLASSES}, d = {FEATURES}, {args.threads} threads — {machine()}\n")

    probs, features, labeled = problem(100_000, 0.01, np.float32, seed=1)
    t, (picks, gains) = best_of(lambda: active.badge(probs, features, 1000, labeled=labeled, seed=0), 1)
    print(f"tamis on 100,000 rows (float32), 1,000 labeled, budget 1,000: {t:.2f} s "
          f"(scikit-activeml would materialise {1e5 * CLASSES * FEATURES * 8 / 1e9:.0f} GB of embeddings)\n")
    del probs, features, labeled

    print(f"scikit-activeml {skactiveml.__version__}, budget {args.budget}, float64:\n")
    print("| pool | tamis s | scikit-activeml s | speed-up | same first pick | tamis gains vs materialised |")
    print("|---|---:|---:|---:|---|---:|")
    for n in args.sizes:
        probs, features, labeled = problem(n, 0.01, np.float64)
        x = np.arange(n, dtype=np.float64)[:, None]
        y = np.where(labeled, 0.0, np.nan)  # scikit-activeml marks unlabeled rows with NaN labels
        clf = precomputed_classifier(probs, features)
        t_ours, (ours, gains) = best_of(lambda: active.badge(probs, features, args.budget, labeled=labeled), 3)
        strategy = Badge(clf_embedding_flag_name="return_embeddings", random_state=0)
        t_ref, theirs = best_of(
            lambda: strategy.query(x, y, clf, fit_clf=False, batch_size=args.budget), 1)
        error = gains_match_materialised(probs, features, ours, gains)
        print(f"| {n:,} × ({CLASSES}, {FEATURES}), {labeled.sum():,} labeled | {t_ours:.3f} | {t_ref:.2f} | "
              f"{t_ref / t_ours:.0f}× | {ours[0] == theirs[0]} | {error:.1e} |", flush=True)


if __name__ == "__main__":
    main()
