"""Which unlabeled rows would a labeler look at first? Active-learning scores on a committee.

Fits a random forest on 60 labeled digits (scikit-learn's bundled digits) and treats its 50 trees as
a committee: each tree's class probabilities on the unlabeled pool form an (n, K, C) array. Scores
every pool row with one model's uncertainty (the forest's mean probabilities) and with the
committee's disagreement, and prints, for the 100 top-scored rows of each score, how often the
forest's prediction is wrong there, next to the pool's error rate: informative rows are the ones
the model gets wrong.
    python examples/active_scores.py
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier

import tamis.active as active


def main():
    digits = load_digits()
    x, y = digits.data, digits.target
    order = np.random.default_rng(0).permutation(len(y))
    labeled, pool = order[:60], order[60:]
    forest = RandomForestClassifier(n_estimators=50, random_state=0).fit(x[labeled], y[labeled])

    mean_probs = forest.predict_proba(x[pool])                                        # (n, C)
    committee = np.stack([tree.predict_proba(x[pool]) for tree in forest.estimators_], axis=1)  # (n, K, C)
    wrong = forest.classes_[mean_probs.argmax(axis=1)] != y[pool]

    scores = {kind: active.uncertainty(mean_probs, kind) for kind in ("least_confidence", "margin", "ratio", "entropy")}
    scores.update({kind: active.ensemble(committee, kind)
                   for kind in ("bald", "vote_entropy", "kl_max", "variation_ratio", "mean_std")})
    print(f"pool of {len(pool)} rows, forest error rate {wrong.mean():.1%}; error rate among each score's top 100:")
    for kind, s in scores.items():
        top = np.argsort(-s, kind="stable")[:100]  # highest first, lowest index on ties
        print(f"  {kind:>18}: {wrong[top].mean():6.1%}")


if __name__ == "__main__":
    main()
