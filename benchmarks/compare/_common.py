"""Shared by the comparison scripts: timing, thread pinning and the ceiling to report against."""
import importlib
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np


def ensure(module, *pip_args):
    """Imports `module`, pip-installing `pip_args` first when it is missing (benchmark-only dependencies)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *pip_args], check=True)
        return importlib.import_module(module)


def set_threads(n):
    """Same thread count for every library in the run."""
    import faiss
    from threadpoolctl import threadpool_limits

    faiss.omp_set_num_threads(n)
    threadpool_limits(n)
    os.environ["OMP_NUM_THREADS"] = str(n)


def peak_rss_mib():
    """The process's peak resident set so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def random_labeled(rng, n, share):
    """A mask of n rows with max(1, ⌊n · share⌋) of them labeled, drawn with `rng`."""
    labeled = np.zeros(n, dtype=bool)
    labeled[rng.choice(n, max(1, int(n * share)), replace=False)] = True
    return labeled


def best_of(fn, repeats):
    """Best wall time of `repeats` calls (the result of the last call is returned too)."""
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def machine():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return f"{cpu}, {os.cpu_count()} cores, {platform.python_version()}, commit {commit or '?'}"


def numpy_gemm_gflops(threads):
    """Float32 GEMM rate NumPy's BLAS reaches here: a second ceiling, next to Eigen's in the C++ benchmarks."""
    a = np.random.default_rng(0).standard_normal((2048, 128), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((8192, 128), dtype=np.float32)
    t, _ = best_of(lambda: a @ b.T, 5)
    return 2 * 2048 * 8192 * 128 / t / 1e9


def precomputed_classifier(probs, features=None):
    """A scikit-activeml classifier whose X is a column of row numbers: predict_proba returns the
    given probabilities (and, with return_embeddings=True, the given features), so the anchor's query
    strategy is timed without any model."""
    from skactiveml.base import SkactivemlClassifier

    class Precomputed(SkactivemlClassifier):
        def fit(self, X, y, sample_weight=None):
            return self

        def predict_proba(self, X, return_embeddings=False):
            rows = X[:, 0].astype(np.int64)
            return (probs[rows], features[rows]) if return_embeddings else probs[rows]

    return Precomputed(classes=np.arange(probs.shape[1]))
