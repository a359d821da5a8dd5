"""KNN and LOF on 1,000,000 × 64 float32 rows finish in bounded memory: the neighbour lists
(n × k distances + indices) plus the handle's workspace limit (1 GiB), never n × n (which would be
4 TB here). Prints wall time and the resident-set growth against that bound:

    python benchmarks/compare/outlier_memory.py [--rows 1000000] [--detector LOF|KNN]

(About 10 minutes per detector on 2 cores: the kNN graph is ~128 TFLOP of GEMM at this size.)
"""
import argparse
import resource
import time

import numpy as np

import tamis.outlier as od

MIB = 1 << 20


def rss_mib():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--detector", choices=["LOF", "KNN"], default="LOF")
    args = ap.parse_args()
    n, d = args.rows, 64
    x = np.random.default_rng(0).standard_normal((n, d), dtype=np.float32)
    det = od.LOF() if args.detector == "LOF" else od.KNN()
    k = det.n_neighbors
    before = rss_mib()
    start = time.perf_counter()
    det.fit(x)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lists = n * k * (4 + 8) / MIB
    outputs = 4 * n * 4 / MIB  # scores (+ k-distance and lrd for LOF) and the labels' temporaries
    bound = lists + outputs + 1024
    print(f"{args.detector} fit on {n} x {d} float32, k={k}: {elapsed:.1f} s")
    print(f"input {x.nbytes / MIB:.0f} MiB (resident before fit); n x n distances would be {n * n * 4 / MIB / 1024**2:.1f} TiB")
    print(f"peak RSS {peak:.0f} MiB; growth during fit {peak - before:.0f} MiB <= neighbour lists {lists:.0f} + outputs "
          f"{outputs:.0f} + workspace 1024 = {bound:.0f} MiB: {'yes' if peak - before <= bound else 'NO'}")


if __name__ == "__main__":
    main()
