"""Peak memory of exact kNN on a 1,000,000 x 64 float32 database stays within inputs + outputs +
the workspace limit (1 GiB by default). Run it under /usr/bin/time -v as well:
    /usr/bin/time -v python benchmarks/compare/knn_memory.py
Prints the resident-set growth measured inside the process against that bound.
"""
import resource
import time

import numpy as np

import tamis

MIB = 1 << 20


def rss_mib():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024


def main():
    n, n_q, d, k = 1_000_000, 10_000, 64, 10
    rng = np.random.default_rng(0)
    db = rng.standard_normal((n, d), dtype=np.float32)
    q = rng.standard_normal((n_q, d), dtype=np.float32)
    inputs = (db.nbytes + q.nbytes) / MIB
    outputs = n_q * k * (4 + 8) / MIB
    before = rss_mib()
    start = time.perf_counter()
    tamis.neighbors.knn(db, q, k=k)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    growth = peak - before
    bound = outputs + 1024
    print(f"knn {n_q} queries x {n} x {d}, k={k}: {elapsed:.2f} s")
    print(f"inputs {inputs:.0f} MiB (resident before the call), outputs {outputs:.1f} MiB, workspace limit 1024 MiB")
    print(f"peak RSS {peak:.0f} MiB; growth during knn {growth:.1f} MiB <= outputs + workspace {bound:.0f} MiB: "
          f"{'yes' if growth <= bound else 'NO'}")


if __name__ == "__main__":
    main()
