"""Which rows cover the pool best? Core-set selection by greedy k-center on the digits pixels.

Starts from 20 random labeled digits (scikit-learn's bundled digits, the 64 pixels scaled to [0, 1])
and runs 3 rounds of 30 farthest-first picks on one KCenterState, each round continuing from the
last. After each round prints the covering radius (the farthest any digit is from a labeled or
picked one) next to that of as many random rows, and the classes and 50 k-means modes each hits.
The core-set covers the pool more tightly (radius 2.11 vs 2.57 after 90) and reaches more modes
(43 vs 39); classes are no better than random here, as farthest-first also favours odd-looking digits.
    python examples/active_coreset.py
"""
import numpy as np
from sklearn.datasets import load_digits

import tamis
import tamis.active as active


def main():
    digits = load_digits()
    x, y = digits.data / 16, digits.target
    rng = np.random.default_rng(0)
    labeled = rng.choice(len(y), size=20, replace=False)
    modes = tamis.cluster.KMeans(n_clusters=50, seed=0).fit_predict(x)
    state = active.KCenterState(x, labeled=labeled)
    random_rows = rng.permutation(np.setdiff1d(np.arange(len(y)), labeled))
    print(f"{len(y)} digits, 20 labeled: covering radius {state.radius:.2f}")
    picks = np.empty(0, np.int64)
    for round_no in range(1, 4):
        idx, _ = state.select(30)
        picks = np.concatenate([picks, idx])
        rand = random_rows[:len(picks)]
        rand_radius = active.KCenterState(x, labeled=np.concatenate([labeled, rand])).radius
        print(f"round {round_no}, {len(picks)} picks: radius {state.radius:.2f} (random rows {rand_radius:.2f}); "
              f"classes {len(set(y[picks]))} vs {len(set(y[rand]))}, "
              f"modes {len(set(modes[picks]))} vs {len(set(modes[rand]))} of 50")


if __name__ == "__main__":
    main()
