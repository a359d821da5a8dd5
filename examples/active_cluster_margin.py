"""Uncertain and diverse: Cluster-Margin batches on the digits, next to plain margin (top-b) and random batches.

The digits' 64 pixels (scaled to [0, 1]) are clustered once by average-linkage HAC into 100 clusters
(tamis.cluster.average_linkage, exact: 1,347 training rows). From 20 random labeled digits, 4 rounds of
40 picks each: a logistic regression is refitted on the labeled rows, and its class probabilities pick
the next batch. Cluster-Margin draws round-robin over the HAC clusters of the 400 most uncertain rows
(k_m = 10 × budget); top-b margin takes the 40 most uncertain rows, which tend to bunch in the same
confusable region. Prints, per round, the held-out accuracy of each strategy and how many distinct
HAC clusters its last batch touched.
    python examples/active_cluster_margin.py
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import tamis.active as active
import tamis.cluster


def main():
    digits = load_digits()
    x, x_test, y, y_test = train_test_split(digits.data / 16, digits.target, test_size=450, random_state=0)
    clusters = tamis.cluster.average_linkage(x, n_clusters=100)
    rng = np.random.default_rng(0)
    start = rng.choice(len(y), size=20, replace=False)
    budget = 40

    def pick(strategy, labeled, probs, round_no):
        if strategy == "cluster-margin":
            return active.cluster_margin(probs, clusters, budget, labeled=labeled, seed=round_no)[0]
        if strategy == "top-b margin":
            return active.top_b(active.margin(probs), budget, labeled=labeled)[0]
        pool = np.setdiff1d(np.arange(len(y)), labeled)
        return rng.choice(pool, size=budget, replace=False)

    strategies = ("cluster-margin", "top-b margin", "random")
    labeled = {s: start.copy() for s in strategies}
    print(f"{len(y)} pool digits in {clusters.max() + 1} HAC clusters, {len(y_test)} held out; 20 labeled to start")
    for round_no in range(1, 5):
        line = []
        for s in strategies:
            model = LogisticRegression(max_iter=2000).fit(x[labeled[s]], y[labeled[s]])
            probs = np.ascontiguousarray(model.predict_proba(x))
            if probs.shape[1] < 10:  # a class not labeled yet: pad to a distribution over all 10 digits
                full = np.zeros((len(y), 10))
                full[:, model.classes_] = probs
                probs = full
            batch = pick(s, labeled[s], probs, round_no)
            labeled[s] = np.concatenate([labeled[s], batch])
            acc = LogisticRegression(max_iter=2000).fit(x[labeled[s]], y[labeled[s]]).score(x_test, y_test)
            line.append(f"{s} {acc:.3f} ({len(set(clusters[batch]))} clusters)")
        print(f"round {round_no}, {len(labeled['random'])} labeled: " + "; ".join(line))


if __name__ == "__main__":
    main()
