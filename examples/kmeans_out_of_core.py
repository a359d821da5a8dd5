"""k-means on a pool larger than you want in memory, and the same Lloyd step split over shards.

1. Fits a memory-mapped .npy: tamis reads it in batches of `batch_rows`, never as a whole.
2. Runs one Lloyd step as a distributed job would: each shard computes partial sums with
   kmeans_accumulate, the driver merges them and derives the new centres. The result equals one
   iteration of KMeans started from the same centres.
    python examples/kmeans_out_of_core.py [--rows 400000] [--dim 64]
"""
import argparse
import os
import tempfile

import numpy as np

import tamis


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--clusters", type=int, default=32)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pool.npy")
        pool = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(args.rows, args.dim))
        rng = np.random.default_rng(0)
        for start in range(0, args.rows, 100_000):  # written in chunks, as a real export would be
            stop = min(start + 100_000, args.rows)
            pool[start:stop] = rng.standard_normal((stop - start, args.dim), dtype=np.float32)
        pool.flush()
        del pool

        x = np.load(path, mmap_mode="r")
        km = tamis.cluster.KMeans(n_clusters=args.clusters, max_iter=20, seed=0, batch_rows=65536).fit(x)
        print(f"memory-mapped {x.shape}: inertia {km.inertia_:.4g} after {km.n_iter_} iterations")

        # One Lloyd step over four shards, merged on the driver.
        start = km.cluster_centers_
        shards = np.array_split(np.arange(args.rows), 4)
        stats = tamis.cluster.kmeans_merge(
            tamis.cluster.kmeans_accumulate(x[s[0]:s[-1] + 1], start) for s in shards)
        sharded = tamis.cluster.centers_from(stats, start)
        one_step = tamis.cluster.KMeans(n_clusters=args.clusters, max_iter=1, init=start).fit(x).cluster_centers_
        print(f"sharded Lloyd step vs one KMeans iteration: max |difference| = {np.abs(sharded - one_step).max():.2e}")


if __name__ == "__main__":
    main()
