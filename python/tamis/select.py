"""Row-wise top-k and the merge of per-shard top-k lists.

Ranks are total: ties break by the lower index, ±Inf are ranked, NaN is rejected (ValueError).
"""

from __future__ import annotations

from typing import Any, Sequence, Tuple

import numpy as np

from . import _core
from ._arrays import as_matrix, check_bool, check_int, check_same_dtype

__all__ = ["select_k", "merge_topk"]


def select_k(values: Any, k: int, select_min: bool = True) -> Tuple[Any, Any]:
    """The ``k`` smallest (``select_min``) or largest entries of each row of ``values`` (n, m).

    Returns ``(values, indices)``, each (n, k): best first, ties by the lower column index (the
    order of a stable ``np.argsort``), values in the input dtype, indices int64.
    """
    v, restore = as_matrix(values, "values", finite="nan")
    select_min = check_bool(select_min, "select_min")
    m = v.shape[1]
    k = check_int(k, "k", 1, m, f"{m} columns")
    out_vals, out_idx = _core.select.select_k(v, k, select_min)
    return restore(out_vals), restore(out_idx)


def merge_topk(
    values: Sequence[Any], indices: Sequence[Any], k: int, select_min: bool = True
) -> Tuple[Any, Any]:
    """Merges per-shard top-k lists into the best ``k`` overall.

    ``values[p]`` and ``indices[p]`` are (n, k_p) with global int64 indices; index −1 marks
    padding and is ignored. Rows with fewer than ``k`` real candidates end in index −1.
    """
    values, indices = list(values), list(indices)
    if not values:
        raise ValueError("values: needs at least one part")
    if len(values) != len(indices):
        raise ValueError(f"indices: {len(indices)} parts but values has {len(values)}")
    select_min = check_bool(select_min, "select_min")
    vals, idx = [], []
    restore = None
    for p, (v, i) in enumerate(zip(values, indices)):
        va, r = as_matrix(v, f"values[{p}]", finite="nan")
        ia, _ = as_matrix(i, f"indices[{p}]", dtypes=(np.int64,), finite=None)
        restore = restore or r
        if vals:
            check_same_dtype(vals[0], "values[0]", va, f"values[{p}]")
            if va.shape[0] != vals[0].shape[0]:
                raise ValueError(f"values[{p}]: has {va.shape[0]} rows, values[0] has {vals[0].shape[0]}")
        if ia.shape != va.shape:
            raise ValueError(f"indices[{p}]: shape {ia.shape} differs from values[{p}]'s {va.shape}")
        vals.append(va)
        idx.append(ia)
    available = sum(v.shape[1] for v in vals)
    k = check_int(k, "k", 1, available, f"{available} candidates per row")
    out_vals, out_idx = _core.select.merge_topk(vals, idx, k, select_min)
    return restore(out_vals), restore(out_idx)
