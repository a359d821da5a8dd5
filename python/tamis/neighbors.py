"""Nearest neighbours: exact brute-force kNN, the kNN graph, and a FAISS-backed index.

Exact kNN streams GEMM tiles through per-row top-k heaps, so no queries × database matrix is ever
materialised. Distances are in the input dtype, indices are int64; rows come nearest first
(``inner_product``: largest first), ties broken by the lower database index.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from . import _core
from ._arrays import as_matrix, check_bool, check_int, check_same_dtype

__all__ = ["METRICS", "knn", "knn_graph", "has_faiss"]

#: Supported metrics. ``sqeuclidean`` = ‖x−y‖², ``euclidean`` = ‖x−y‖, ``inner_product`` = x·y
#: (a similarity: largest first), ``cosine`` = 1 − x·y/(‖x‖‖y‖) (a zero row has similarity 0).
METRICS = ("sqeuclidean", "euclidean", "inner_product", "cosine")

#: Whether this build has the FAISS-backed :class:`FaissIndex`.
has_faiss = bool(_core.has_faiss)


def _check_metric(metric: Any) -> str:
    if not isinstance(metric, str) or metric not in METRICS:
        raise ValueError(f"metric: must be one of {', '.join(METRICS)}; got {metric!r}")
    return metric


def knn(
    database: Any,
    queries: Any = None,
    k: int = 10,
    metric: str = "sqeuclidean",
    exclude_self: Optional[bool] = None,
) -> Tuple[Any, Any]:
    """The ``k`` nearest database rows of each query.

    Parameters
    ----------
    database : (n, d) float32/float64 array (NumPy, or any DLPack host tensor)
    queries : (m, d) array of the same dtype, or None for the database against itself
    k : int in [1, n] (n − 1 when self is excluded)
    metric : one of :data:`METRICS`
    exclude_self : bool, default True when ``queries`` is None, else False. Query i is database
        row i and never its own neighbour (queries must then have the database's shape).

    Returns
    -------
    distances : (m, k) array in the input dtype, nearest first
    indices : (m, k) int64 array of database rows

    Results come back in the array family of ``queries`` (``database`` when queries is None).
    """
    db, restore = as_matrix(database, "database")
    if queries is None:
        q = db
        exclude_self = True if exclude_self is None else check_bool(exclude_self, "exclude_self")
    else:
        q, restore = as_matrix(queries, "queries")
        exclude_self = False if exclude_self is None else check_bool(exclude_self, "exclude_self")
        check_same_dtype(db, "database", q, "queries")
        if q.shape[1] != db.shape[1]:
            raise ValueError(
                f"queries: have {q.shape[1]} features but the database has {db.shape[1]} "
                f"(shapes {q.shape} and {db.shape})"
            )
        if exclude_self and q.shape != db.shape:
            raise ValueError(
                f"exclude_self: query i must be database row i, but queries have shape {q.shape} "
                f"and the database {db.shape}"
            )
    metric = _check_metric(metric)
    n = db.shape[0]
    available = n - 1 if exclude_self else n
    if available < 1:
        raise ValueError("k: the database has a single row, so with self excluded there is no neighbour")
    k = check_int(
        k, "k", 1, available,
        f"{n} database rows" + (", self excluded" if exclude_self else ""),
    )
    distances, indices = _core.neighbors.knn(db, q, k, metric, exclude_self)
    return restore(distances), restore(indices)


def knn_graph(data: Any, k: int = 10, metric: str = "sqeuclidean") -> Tuple[Any, Any]:
    """The kNN graph of ``data`` against itself, self excluded: ``(distances, indices)``, each (n, k).

    ``k`` must be in [1, n − 1]. Same conventions as :func:`knn`.
    """
    x, restore = as_matrix(data, "data")
    metric = _check_metric(metric)
    n = x.shape[0]
    if n < 2:
        raise ValueError("k: data has a single row, so with self excluded there is no neighbour")
    k = check_int(k, "k", 1, n - 1, f"{n} rows, self excluded")
    distances, indices = _core.neighbors.knn_graph(x, k, metric)
    return restore(distances), restore(indices)


if has_faiss:
    __all__.append("FaissIndex")

    class FaissIndex:
        """Approximate (or exact) search through a FAISS index built from a factory string.

        ``factory`` is any ``faiss.index_factory`` string: "Flat", "IVF256,Flat", "IVF256,PQ16",
        "HNSW32", ... ``metric`` is one of :data:`METRICS`; cosine is searched as the inner product
        of L2-normalised rows, euclidean as the root of L2. Inputs must be float32 (FAISS works in
        float32), C-contiguous and finite. Distances follow :func:`knn`'s conventions.
        """

        def __init__(self, dim: int, factory: str = "Flat", metric: str = "sqeuclidean"):
            dim = check_int(dim, "dim", 1, 2**31 - 1)
            if not isinstance(factory, str) or not factory:
                raise ValueError(f"factory: must be a non-empty FAISS factory string, got {factory!r}")
            metric = _check_metric(metric)
            self._index = _core.neighbors.FaissIndex(dim, factory, metric)

        def _rows(self, x: Any, name: str):
            arr, restore = as_matrix(x, name, dtypes=(np.float32,))
            if arr.shape[1] != self.dim:
                raise ValueError(f"{name}: has {arr.shape[1]} features, the index has dim={self.dim}")
            return arr, restore

        def train(self, x: Any) -> "FaissIndex":
            """Trains the index (a no-op for indexes that need no training). Returns self."""
            arr, _ = self._rows(x, "x")
            self._index.train(arr)
            return self

        def add(self, x: Any) -> "FaissIndex":
            """Appends rows; their indices continue from :attr:`ntotal`. Returns self."""
            arr, _ = self._rows(x, "x")
            if not self._index.is_trained:
                raise ValueError("add: the index must be trained first (call train)")
            self._index.add(arr)
            return self

        def search(self, queries: Any, k: int) -> Tuple[Any, Any]:
            """``(distances, indices)``, each (m, k); slots a partial index cannot fill hold −1."""
            q, restore = self._rows(queries, "queries")
            ntotal = self.ntotal
            if ntotal == 0:
                raise ValueError("search: the index is empty (call add)")
            k = check_int(k, "k", 1, ntotal, f"{ntotal} indexed rows")
            distances, indices = self._index.search(q, k)
            return restore(distances), restore(indices)

        def set_search_parameter(self, name: str, value: float) -> None:
            """Sets a FAISS search parameter by name, e.g. ("nprobe", 16) or ("efSearch", 128)."""
            if not isinstance(name, str) or not name:
                raise ValueError(f"name: must be a parameter name, got {name!r}")
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ValueError(f"value: must be a number, got {value!r}")
            self._index.set_search_parameter(name, float(value))

        @property
        def ntotal(self) -> int:
            """Number of indexed rows."""
            return int(self._index.ntotal)

        @property
        def dim(self) -> int:
            return int(self._index.dim)

        @property
        def metric(self) -> str:
            return self._index.metric

        @property
        def factory(self) -> str:
            return self._index.factory

        @property
        def is_trained(self) -> bool:
            return bool(self._index.is_trained)

        def __len__(self) -> int:
            return self.ntotal

        def __repr__(self) -> str:
            return (
                f"FaissIndex(dim={self.dim}, factory={self.factory!r}, metric={self.metric!r}, "
                f"ntotal={self.ntotal})"
            )

else:

    def __getattr__(name: str) -> Any:
        if name == "FaissIndex":
            raise AttributeError(
                "tamis.neighbors.FaissIndex is unavailable: this build of tamis has no FAISS "
                "(rebuild with a faiss CMake package installed, e.g. Debian's libfaiss-dev)"
            )
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
