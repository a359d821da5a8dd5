"""Exact kNN, tamis vs faiss-cpu (IndexFlatL2) and scikit-learn, same data, same threads, one run.

Shapes from the foundation issue: 2,000 queries against 200,000 x 128 (k = 10), and the kNN graph
of 50,000 x 128 (k = 10, self excluded). Prints times, throughput ratios and agreement.
    python benchmarks/compare/knn_vs_faiss.py [--threads 2] [--quick]
"""
import argparse

import faiss
import numpy as np

import tamis
from _common import best_of, machine, set_threads


def agreement(a, b):
    return float(np.mean([len(set(x) & set(y)) / len(x) for x, y in zip(a, b)]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="smaller shapes, for a smoke run")
    args = parser.parse_args()
    set_threads(args.threads)
    rng = np.random.default_rng(0)
    n_db, n_q, n_graph, d, k = (20000, 200, 5000, 128, 10) if args.quick else (200000, 2000, 50000, 128, 10)
    db = rng.standard_normal((n_db, d), dtype=np.float32)
    q = rng.standard_normal((n_q, d), dtype=np.float32)
    print(f"# exact kNN, float32, {args.threads} threads — {machine()}")

    index = faiss.IndexFlatL2(d)
    index.add(db)
    t_faiss, (_, i_faiss) = best_of(lambda: index.search(q, k), 3)
    t_tamis, (_, i_tamis) = best_of(lambda: tamis.neighbors.knn(db, q, k=k), 3)
    flops = 2.0 * n_db * n_q * d
    print(f"| knn {n_q} x {n_db} x {d}, k={k} | tamis {t_tamis:.3f} s ({flops / t_tamis / 1e9:.0f} GFLOP/s) "
          f"| faiss {t_faiss:.3f} s | tamis/faiss throughput {t_faiss / t_tamis:.2f}x "
          f"| recall vs faiss {agreement(i_tamis, i_faiss):.4f} |")

    x = db[:n_graph]
    graph_index = faiss.IndexFlatL2(d)
    graph_index.add(x)
    t_faiss_g, (_, i_faiss_g) = best_of(lambda: graph_index.search(x, k + 1), 1)
    t_tamis_g, (_, i_tamis_g) = best_of(lambda: tamis.neighbors.knn_graph(x, k=k), 1)
    i_faiss_g = np.array([[j for j in row if j != r][:k] for r, row in enumerate(i_faiss_g)])
    flops = 2.0 * n_graph * n_graph * d
    print(f"| knn graph {n_graph} x {d}, k={k} | tamis {t_tamis_g:.3f} s ({flops / t_tamis_g / 1e9:.0f} GFLOP/s) "
          f"| faiss {t_faiss_g:.3f} s | tamis/faiss throughput {t_faiss_g / t_tamis_g:.2f}x "
          f"| recall vs faiss {agreement(i_tamis_g, i_faiss_g):.4f} |")


if __name__ == "__main__":
    main()
