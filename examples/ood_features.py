"""Which inputs does the model not recognise? OOD scores on a classifier's penultimate features.

Trains a small MLP on digits 0-4 (scikit-learn's bundled digits), takes its hidden (ReLU) layer as
the features and its output layer as the head, fits ReAct, ASH, Mahalanobis, ViM and KNN on the
training features, and prints each scorer's AUROC for held-out 0-4 (in distribution) against the
never-seen 5-9 (OOD = positive class; 0.5 = chance). Then saves and reloads one scorer.
    python examples/ood_features.py
"""
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier

from tamis.outlier import ood


def main():
    digits = load_digits()
    x, y = (digits.data / 16.0).astype(np.float32), digits.target
    seen = y < 5
    train, held_out = np.flatnonzero(seen)[::2], np.flatnonzero(seen)[1::2]
    mlp = MLPClassifier(hidden_layer_sizes=(64,), max_iter=500, random_state=0).fit(x[train], y[train])

    def features(rows):  # the penultimate layer
        return np.maximum(x[rows] @ mlp.coefs_[0] + mlp.intercepts_[0], 0).astype(np.float32)

    weight = np.ascontiguousarray(mlp.coefs_[1].T, dtype=np.float32)  # (classes, features)
    bias = mlp.intercepts_[1].astype(np.float32)
    z_train = features(train)
    test = np.concatenate([held_out, np.flatnonzero(~seen)])
    z_test, is_ood = features(test), ~seen[test]

    scorers = {
        "energy (logits only)": lambda z: ood.energy(z @ weight.T + bias),
        "ReAct": ood.ReAct(weight, bias, percentile=90).fit(z_train),
        "ASH-s": ood.ASH(weight, bias, percentile=65, variant="s"),
        "Mahalanobis": ood.MahalanobisOOD().fit(z_train, y[train]),
        "ViM": ood.ViM(weight, bias, dim=16).fit(z_train),
        "KNN": ood.KNNOOD(k=10).fit(z_train),
    }
    print(f"{len(held_out)} held-out digits 0-4 vs {is_ood.sum()} unseen digits 5-9")
    for name, scorer in scorers.items():
        print(f"  {name:<21} AUROC {roc_auc_score(is_ood, scorer(z_test)):.3f}")

    with tempfile.TemporaryDirectory() as tmp:
        path = scorers["ViM"].save(os.path.join(tmp, "vim"))
        again = ood.load(path)
        same = np.array_equal(again(z_test), scorers["ViM"](z_test))
        print(f"ViM saved to {os.path.basename(path)} ({os.path.getsize(path)} bytes), reloaded: identical scores = {same}")


if __name__ == "__main__":
    main()
