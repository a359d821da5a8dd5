"""tamis.active.cluster_margin: picks against a NumPy reference with the same Philox draws, the structure of the
round-robin without the draws (picks among the k_m candidates, per-cluster counts, smallest clusters first,
repeatable by seed), a draw-free deterministic case, and argument checks."""

import numpy as np
import pytest

from tamis import active

from _helpers import as_mask, philox4x32

DTYPES = [np.float32, np.float64]


def uniform_index(seed, counter, n):
    """tamis's philox_stream(seed, 0).uniform_index(counter, n): the top 64 bits of (words 2, 3) · n."""
    w = philox4x32((counter & 0xFFFFFFFF, counter >> 32, 0, 0), (seed & 0xFFFFFFFF, seed >> 32))
    return ((w[2] << 32 | w[3]) * n) >> 64


def margin_score(probs):
    top2 = np.sort(probs.astype(np.float64), axis=1)[:, ::-1][:, :2]
    return 1.0 - (top2[:, 0] - top2[:, 1])


def candidates_of(probs, labeled, km):
    """The km unlabeled rows of highest margin score (ties to the lowest row), as tamis computes the scores."""
    scores = active.margin(probs).astype(np.float64)
    scores[as_mask(labeled, len(probs))] = -np.inf
    return np.sort(np.argsort(-scores, kind="stable")[:km])


def groups_of(cands, clusters):
    """{cluster id: its candidates in row order}, and the visiting order: by (size, id)."""
    groups = {}
    for r in cands:
        groups.setdefault(int(clusters[r]), []).append(int(r))
    return groups, sorted(groups, key=lambda c: (len(groups[c]), c))


def reference(probs, clusters, budget, km, labeled, seed):
    groups, order = groups_of(candidates_of(probs, labeled, km), clusters)
    picks = []
    while len(picks) < budget:
        for c in order:
            g = groups[c]
            if g and len(picks) < budget:
                at = uniform_index(seed, len(picks), len(g))
                picks.append(g[at])
                g[at] = g[-1]
                g.pop()
    return np.array(picks)


def expected_counts(sizes, budget):
    """Picks per group under the round-robin: water-filling, smallest groups exhausted first."""
    counts, left = [0] * len(sizes), budget
    while left:
        for i, s in enumerate(sizes):
            if counts[i] < s and left:
                counts[i] += 1
                left -= 1
    return counts


def pool(rng, n, classes, n_clusters, dtype):
    probs = rng.dirichlet(np.full(classes, 0.5), size=n).astype(dtype)
    clusters = (rng.integers(0, n_clusters, size=n) * rng.integers(0, n_clusters, size=n)) % n_clusters
    return probs, clusters


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n,budget,km,seed", [(300, 20, 100, 0), (500, 64, 64, 3), (400, 150, 330, 9)])
def test_picks_equal_reference(dtype, n, budget, km, seed):
    rng = np.random.default_rng(n + budget + km)
    probs, clusters = pool(rng, n, 4, 15, dtype)
    labeled = rng.choice(n, size=n // 10, replace=False)
    idx, gains = active.cluster_margin(probs, clusters, budget, candidates=km, labeled=labeled, seed=seed)
    np.testing.assert_array_equal(idx, reference(probs, clusters, budget, km, labeled, seed))
    assert gains.dtype == dtype
    np.testing.assert_allclose(gains, margin_score(probs)[idx], rtol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2, 17])
def test_round_robin_structure(seed):
    rng = np.random.default_rng(100 + seed)
    n, budget, km = 2000, 90, 400
    probs, clusters = pool(rng, n, 5, 30, np.float64)
    idx, _ = active.cluster_margin(probs, clusters, budget, candidates=km, seed=seed)
    cands = candidates_of(probs, None, km)
    assert set(idx.tolist()) <= set(cands.tolist()) and len(set(idx.tolist())) == budget
    groups, order = groups_of(cands, clusters)
    sizes = [len(groups[c]) for c in order]
    picked = [int(np.isin(groups[c], idx).sum()) for c in order]
    assert picked == expected_counts(sizes, budget)
    # The first visit takes one row of each group, smallest group first.
    first = [int(clusters[r]) for r in idx[: min(budget, len(order))]]
    assert first == order[: len(first)]


def test_repeatable_and_seed_dependent():
    rng = np.random.default_rng(5)
    probs, clusters = pool(rng, 1000, 3, 8, np.float32)
    a, _ = active.cluster_margin(probs, clusters, 50, seed=4)
    b, _ = active.cluster_margin(probs, clusters, 50, seed=4)
    c, _ = active.cluster_margin(probs, clusters, 50, seed=5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Default k_m = 10 · budget: every pick is among the 500 highest margin scores.
    assert set(a.tolist()) <= set(candidates_of(probs, None, 500).tolist())


def test_one_candidate_per_cluster_is_deterministic():
    # Every group has one candidate: the order is by cluster id, whatever the seed.
    probs = np.array([[0.5, 0.5], [0.9, 0.1], [0.6, 0.4], [0.7, 0.3], [0.99, 0.01], [0.55, 0.45]])
    clusters = np.array([4, 0, 2, 9, 1, 3])
    for seed in (0, 7, 123):
        idx, gains = active.cluster_margin(probs, clusters, 3, candidates=4, seed=seed)
        # candidates by margin score: rows 0, 5, 2, 3 in clusters 4, 3, 2, 9 -> visit 2, 3, 4
        np.testing.assert_array_equal(idx, [2, 5, 0])
        np.testing.assert_allclose(gains, margin_score(probs)[[2, 5, 0]])


def test_rejects_bad_input():
    rng = np.random.default_rng(0)
    probs, clusters = pool(rng, 50, 3, 4, np.float64)
    with pytest.raises(ValueError, match="candidates"):
        active.cluster_margin(probs, clusters, 10, candidates=5)
    with pytest.raises(ValueError, match="candidates"):
        active.cluster_margin(probs, clusters, 10, candidates=41, labeled=np.arange(10))
    with pytest.raises(ValueError, match="budget"):
        active.cluster_margin(probs, clusters, 51)
    with pytest.raises(ValueError, match="budget"):
        active.cluster_margin(probs, clusters, 0)
    with pytest.raises(ValueError, match="clusters"):
        active.cluster_margin(probs, clusters[:-1], 5)
    with pytest.raises(ValueError, match="clusters"):
        active.cluster_margin(probs, np.where(clusters == 0, -1, clusters), 5)
    with pytest.raises(TypeError, match="clusters"):
        active.cluster_margin(probs, clusters.astype(np.float64), 5)
    bad = probs.copy()
    bad[0] = [0.5, 0.6, 0.1]
    with pytest.raises(ValueError, match="probs"):
        active.cluster_margin(bad, clusters, 5)
    bad[0] = [np.nan, 0.5, 0.5]
    with pytest.raises(ValueError, match="probs"):
        active.cluster_margin(bad, clusters, 5)
    bad[0] = [-0.1, 0.6, 0.5]
    with pytest.raises(ValueError, match="probs"):
        active.cluster_margin(bad, clusters, 5)
    with pytest.raises(ValueError, match="budget"):
        active.cluster_margin(probs, clusters, 1, labeled=np.ones(50, bool))  # empty pool
