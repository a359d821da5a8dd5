"""Logit OOD scores, tamis vs the NumPy/SciPy formulation (what OpenOOD's post-processors compute
with torch on the CPU), same data, one run: 100,000 x 1,000 float32 logits.
    python benchmarks/compare/ood_vs_scipy.py
"""
import numpy as np
from scipy.special import logsumexp, softmax

from tamis.outlier import ood
from _common import best_of, machine, set_threads

REFERENCE = {
    "msp": lambda f, t: -softmax(f / t, axis=1).max(axis=1),
    "max_logit": lambda f, t: -f.max(axis=1),
    "energy": lambda f, t: -t * logsumexp(f / t, axis=1),
    "entropy": lambda f, t: -(lambda p: (p * np.log(np.where(p > 0, p, 1))).sum(axis=1))(softmax(f / t, axis=1)),
}


def main():
    set_threads(2)
    logits = np.random.default_rng(0).standard_normal((100_000, 1000), dtype=np.float32) * 4
    print(f"# logit OOD scores, 100,000 x 1,000 float32, 2 threads — {machine()}")
    for kind, ref in REFERENCE.items():
        t_ours, ours = best_of(lambda: ood.logit_scores(logits, kind), 3)
        t_ref, theirs = best_of(lambda: ref(logits, 1.0), 3)
        err = float(np.max(np.abs(ours - theirs) / (1 + np.abs(theirs))))
        print(f"| {kind} | tamis {t_ours * 1e3:.1f} ms ({logits.nbytes / t_ours / 1e9:.1f} GB/s) "
              f"| NumPy/SciPy {t_ref * 1e3:.1f} ms | {t_ref / t_ours:.1f}x | max rel. diff {err:.1e} |")


if __name__ == "__main__":
    main()
