"""Plain helpers shared by the Python tests (fixtures live in conftest.py)."""
import numpy as np


def as_mask(labeled, n):
    """A boolean mask of the labeled rows from None, a mask or row indices."""
    mask = np.zeros(n, bool)
    if labeled is not None:
        labeled = np.asarray(labeled)
        mask[np.flatnonzero(labeled) if labeled.dtype == bool else labeled] = True
    return mask
