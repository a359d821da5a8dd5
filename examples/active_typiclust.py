"""Which few digits to label first? TypiClust on the digits pixels, the low-budget regime it is made for.

Splits scikit-learn's bundled digits (the 64 pixels scaled to [0, 1]) into a pool and a held-out
quarter. Starting with no label, grows the labeled set in rounds of 10 TypiClust picks (each round
clusters the pool into |L| + 10 clusters and takes the most typical digit of the uncovered ones), and
after each round trains a 1-nearest-neighbour classifier on the picks. Prints its held-out accuracy
and the classes covered, next to the mean over 20 random draws of as many rows. TypiClust's picks
reach 0.70 with 10 labels (9 classes) where random rows reach 0.47 (6.4 classes), and 0.90 vs 0.78
with 40.
    python examples/active_typiclust.py
"""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

import tamis.active as active


def accuracy(x, y, rows, x_test, y_test):
    return KNeighborsClassifier(n_neighbors=1).fit(x[rows], y[rows]).score(x_test, y_test)


def main():
    digits = load_digits()
    x, x_test, y, y_test = train_test_split(digits.data / 16, digits.target, test_size=0.25, random_state=0)
    x = np.ascontiguousarray(x)
    rng = np.random.default_rng(0)
    print(f"pool of {len(y)} digits, {len(y_test)} held out; 1-NN accuracy with all labels "
          f"{accuracy(x, y, np.arange(len(y)), x_test, y_test):.3f}")
    picks = np.empty(0, np.int64)
    for _ in range(4):
        idx, typicality = active.typiclust(x, 10, labeled=picks, seed=0)
        picks = np.concatenate([picks, idx])
        draws = [rng.choice(len(y), size=len(picks), replace=False) for _ in range(20)]
        random_acc = np.mean([accuracy(x, y, rows, x_test, y_test) for rows in draws])
        random_classes = np.mean([len(set(y[rows])) for rows in draws])
        print(f"{len(picks)} labels: TypiClust accuracy {accuracy(x, y, picks, x_test, y_test):.3f}, "
              f"{len(set(y[picks]))} classes (random rows: {random_acc:.3f}, {random_classes:.1f} classes); "
              f"typicality of the round's picks {typicality.min():.2f}..{typicality.max():.2f}")


if __name__ == "__main__":
    main()
