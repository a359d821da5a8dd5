"""Which inputs is the model not sure belong to its world? Post-hoc OOD scores on logits.

Trains a classifier on digits 0-4 (scikit-learn's bundled digits), then scores held-out 0-4
(in distribution) and all 5-9 (never seen) with tamis's four logit scores and prints the AUROC of
each (OOD = positive class; 0.5 = chance).
    python examples/ood_scores.py
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from tamis.outlier import ood


def main():
    digits = load_digits()
    x, y = (digits.data / 16.0).astype(np.float32), digits.target
    seen = y < 5
    train, held_out = np.flatnonzero(seen)[::2], np.flatnonzero(seen)[1::2]
    model = LogisticRegression(max_iter=2000).fit(x[train], y[train])
    test = np.concatenate([held_out, np.flatnonzero(~seen)])
    is_ood = ~seen[test]
    logits = model.decision_function(x[test]).astype(np.float32)

    print(f"{len(held_out)} held-out digits 0-4 vs {is_ood.sum()} unseen digits 5-9")
    for kind in ood.KINDS:
        score = ood.logit_scores(logits, kind)
        print(f"  {kind:<10} AUROC {roc_auc_score(is_ood, score):.3f}")
    worst = test[np.argsort(-ood.energy(logits))[:5]]
    print("highest-energy inputs:", ", ".join(f"#{i} (digit {y[i]})" for i in worst))


if __name__ == "__main__":
    main()
