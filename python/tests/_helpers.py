"""Plain helpers shared by the Python tests (fixtures live in conftest.py)."""
import numpy as np


def as_mask(labeled, n):
    """A boolean mask of the labeled rows from None, a mask or row indices."""
    mask = np.zeros(n, bool)
    if labeled is not None:
        labeled = np.asarray(labeled)
        mask[np.flatnonzero(labeled) if labeled.dtype == bool else labeled] = True
    return mask


def philox4x32(counter, key):
    """Philox4x32-10 (Salmon et al., SC 2011) on four 32-bit counter words and two key words."""
    c, (k0, k1) = list(counter), key
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k0, p1 & 0xFFFFFFFF, (p0 >> 32) ^ c[3] ^ k1, p0 & 0xFFFFFFFF]
        k0, k1 = (k0 + 0x9E3779B9) & 0xFFFFFFFF, (k1 + 0xBB67AE85) & 0xFFFFFFFF
    return c


def sq_dist(x, row):
    """Squared L2 distance of every row of x to row `row`."""
    return ((x - x[row]) ** 2).sum(axis=1)


def assert_frequencies(counts, probs, trials, what):
    """Observed counts within 5 binomial sd of trials · probs."""
    sd = np.sqrt(trials * probs * (1 - probs))
    bad = np.abs(counts - trials * probs) > 5 * sd + 1e-9
    assert not bad.any(), f"{what}: counts {counts} vs expected {trials * probs}"


def with_nan(x, at=(3, 1)):
    """A copy of x with a NaN at index `at`."""
    q = x.copy()
    q[at] = np.nan
    return q
