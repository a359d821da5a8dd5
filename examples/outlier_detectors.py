"""Novelty detection on a stream of frames with tamis's PyOD-style detectors.

The "fleet" logs digits 0-8 (scikit-learn's bundled digits, z-scored); the detectors are fitted on a
first day of logs, updated with a second day through partial_fit where the statistics merge exactly,
then score a new batch in which digit 9 appears for the first time. Prints each detector's ROC-AUC
at flagging the unseen digit, its threshold-based recall at contamination 5 %, and shows that the
inductive ECOD score of a frame does not depend on the batch it arrives in (PyOD's does).
    python examples/outlier_detectors.py
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import roc_auc_score

import tamis.outlier as od


def main():
    digits = load_digits()
    x = digits.data.astype(np.float64)
    x = np.ascontiguousarray((x - x.mean(0)) / np.where(x.std(0) == 0, 1, x.std(0)))
    y = digits.target
    rng = np.random.default_rng(0)
    seen = rng.permutation(np.flatnonzero(y != 9))
    day1, day2, held_out = seen[:600], seen[600:1200], seen[1200:]
    batch = np.concatenate([held_out, np.flatnonzero(y == 9)])
    novel = y[batch] == 9
    print(f"fit on {len(day1)} + {len(day2)} frames of digits 0-8; new batch: {len(held_out)} known, "
          f"{novel.sum()} never-seen 9s\n")

    detectors = {
        "KNN": od.KNN(contamination=0.05),
        "LOF": od.LOF(contamination=0.05),
        "IsolationForest": od.IsolationForest(contamination=0.05, seed=0),
        "PCA": od.PCA(contamination=0.05),
        "Mahalanobis": od.Mahalanobis(contamination=0.05),
        "ECOD": od.ECOD(contamination=0.05),
        "HBOS": od.HBOS(contamination=0.05),
    }
    print(f"{'detector':<16}{'update':<14}{'ROC-AUC':>8}{'recall@thr':>12}")
    for name, det in detectors.items():
        det.fit(x[day1])
        if hasattr(det, "partial_fit"):
            det.partial_fit(x[day2])  # exact: equals fit on both days
            update = "partial_fit"
        else:
            det.fit(x[np.concatenate([day1, day2])])
            update = "refit"
        scores = det.decision_function(x[batch])
        recall = det.predict(x[batch])[novel].mean()
        print(f"{name:<16}{update:<14}{roc_auc_score(novel, scores):>8.3f}{recall:>12.2f}")

    ecod = detectors["ECOD"]
    frame = x[batch[-1:]]
    alone = ecod.decision_function(frame)[0]
    in_batch = ecod.decision_function(x[batch])[-1]
    transductive = od.ECOD(mode="transductive").fit(x[np.concatenate([day1, day2])])
    t_alone, t_batch = transductive.decision_function(frame)[0], transductive.decision_function(x[batch])[-1]
    print(f"\nECOD score of one frame, alone vs inside the batch: inductive {alone:.3f} vs {in_batch:.3f}; "
          f"transductive (PyOD) {t_alone:.3f} vs {t_batch:.3f}")


if __name__ == "__main__":
    main()
