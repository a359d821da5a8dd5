"""tamis.active.harness: AUBC against a hand computation, the rounds' bookkeeping, repeatability with a seed,
every registered strategy picking only unlabeled rows, the summary table, the plot, and argument checks."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from tamis.active import harness  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    """Rounds call tamis on pools of ~100 rows: one thread, as the benchmark runs them, keeps a busy
    machine's OpenMP spin-waits out of the test time."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1):
        yield


def blobs(n=150, d=5, classes=3, seed=0):
    """Overlapping Gaussian classes: a pool where the strategies' picks differ."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    return rng.standard_normal((n, d)) + 1.5 * np.eye(classes, d)[y], y


def test_aubc_matches_a_hand_computation():
    # Trapezoids: (0.5 + 0.7) / 2 · 10 + (0.7 + 0.9) / 2 · 20 = 6 + 16 = 22, over the 30 labels spanned.
    assert harness.aubc([20, 30, 50], [0.5, 0.7, 0.9]) == pytest.approx(22 / 30)
    assert harness.aubc([50, 20, 30], [0.9, 0.5, 0.7]) == pytest.approx(22 / 30)  # any order
    assert harness.aubc([10, 40], [0.8, 0.8]) == pytest.approx(0.8)


@pytest.mark.parametrize("n, acc, match", [
    ([1, 2, 3], [0.5, 0.6], "one length"),
    ([[1, 2]], [[0.5, 0.6]], "1-D"),
    ([5], [0.5], "two distinct"),
    ([5, 5], [0.5, 0.6], "two distinct"),
])
def test_aubc_rejects_bad_curves(n, acc, match):
    with pytest.raises(ValueError, match=match):
        harness.aubc(n, acc)


def test_records_cover_every_strategy_seed_and_round():
    x, y = blobs()
    names = ["random", "margin", "kcenter_greedy"]
    records = harness.run(x, y, names, initial=10, batch=5, rounds=4, seeds=[3, 7])
    assert len(records) == len(names) * 2 * 5
    for r in records:
        assert r["n_labeled"] == 10 + 5 * r["round"]
        assert 0 <= r["accuracy"] <= 1
        assert (r["seconds"] == 0) == (r["round"] == 0)
    for seed in (3, 7):  # every strategy of a seed starts from one split and one initial set
        start = {r["accuracy"] for r in records if r["seed"] == seed and r["round"] == 0}
        assert len(start) == 1


def test_a_seed_repeats_its_curves():
    x, y = blobs()
    names = ["random", "power_bald", "badge"]
    run = lambda seeds: [(r["strategy"], r["seed"], r["round"], r["accuracy"])
                         for r in harness.run(x, y, names, initial=10, batch=5, rounds=4, seeds=seeds)]
    both, first = run([0, 1]), run([0])
    assert both == run([0, 1])
    assert first == both[:len(first)]  # a seed's curves do not depend on the others
    assert first != [(s, 0, r, a) for s, _, r, a in run([1])]  # another seed, other curves


@pytest.mark.parametrize("name", list(harness.STRATEGIES))
def test_every_strategy_picks_distinct_unlabeled_rows(name):
    x, y = blobs(n=80)
    rng = np.random.default_rng(1)
    labeled = np.zeros(len(y), bool)
    labeled[rng.choice(len(y), 30, replace=False)] = True
    probs = rng.dirichlet(np.ones(3), len(y))
    ctx = harness.Context(probs=probs, features=np.ascontiguousarray(x), labeled=labeled, budget=12, seed=5,
                          committee_factory=lambda: harness._forest_committee(x, y, labeled, 3, 8, 5))
    picks = np.asarray(harness.STRATEGIES[name](ctx))
    assert picks.shape == (12,)
    assert len(np.unique(picks)) == 12
    assert not labeled[picks].any()


def test_forest_committee_spreads_members_over_every_class():
    x, y = blobs(n=90)
    labeled = np.isin(y, [0, 2]) & (np.arange(90) < 40)  # class 1 not labeled yet
    members = harness._forest_committee(x, y, labeled, 3, 6, 0)
    assert members.shape == (90, 6, 3) and members.flags.c_contiguous
    np.testing.assert_allclose(members.sum(axis=2), 1)
    assert (members[:, :, 1] == 0).all()


def test_run_rejects_a_strategy_that_picks_labeled_rows(monkeypatch):
    monkeypatch.setitem(harness.STRATEGIES, "labeled", lambda ctx: np.flatnonzero(ctx.labeled)[:ctx.budget])
    x, y = blobs()
    with pytest.raises(RuntimeError, match="distinct unlabeled rows"):
        harness.run(x, y, ["labeled"], initial=10, batch=5, rounds=2, seeds=[0])


def test_summary_and_table_follow_the_records():
    x, y = blobs()
    names = ["random", "margin", "entropy"]
    records = harness.run(x, y, names, initial=10, batch=5, rounds=4, seeds=[0, 1, 2])
    rows = {r["strategy"]: r for r in harness.summary(records)}
    per_seed = {}
    trapezoid = lambda a, n: sum((a[i] + a[i + 1]) / 2 * (n[i + 1] - n[i]) for i in range(len(n) - 1))
    for name in names:  # an independent AUBC: trapezoids over each seed's curve
        curves = [[(r["n_labeled"], r["accuracy"]) for r in records if r["strategy"] == name and r["seed"] == s]
                  for s in range(3)]
        per_seed[name] = np.array([trapezoid([a for _, a in c], [n for n, _ in c]) / 20 for c in curves])
        assert rows[name]["aubc_mean"] == pytest.approx(per_seed[name].mean())
        assert rows[name]["aubc_sd"] == pytest.approx(per_seed[name].std(ddof=1))
        gain = per_seed[name] - per_seed["random"]
        assert rows[name]["gain_mean"] == pytest.approx(gain.mean())
    assert rows["random"]["gain_mean"] == 0 and rows["random"]["gain_sd"] == 0
    for fmt in ("markdown", "text"):
        text = harness.table(records, fmt)
        lines = text.splitlines()
        assert len(lines) == len(names) + (2 if fmt == "markdown" else 1)
        for name in names:
            assert any(line.lstrip("| ").startswith(name + " ") for line in lines)
            assert f"{rows[name]['aubc_mean']:.4f}" in text
    with pytest.raises(ValueError, match="fmt"):
        harness.table(records, "html")


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    x, y = blobs()
    records = harness.run(x, y, ["random", "margin"], initial=10, batch=5, rounds=3, seeds=[0, 1])
    path = tmp_path / "curves.png"
    harness.plot(records, str(path), title="blobs")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(strategies=["nope"]), ValueError, "unknown"),
    (dict(strategies=[]), ValueError, "at least one"),
    (dict(initial=50, batch=10, rounds=10), ValueError, "must fit the pool"),
    (dict(initial=1), ValueError, "initial >= 2"),
    (dict(test_size=1.5), ValueError, "test_size"),
])
def test_run_rejects_bad_arguments(kwargs, error, match):
    x, y = blobs()
    with pytest.raises(error, match=match):
        harness.run(x, y, **{**dict(strategies=["random"], initial=10, batch=5, rounds=2, seeds=[0]), **kwargs})


def test_run_rejects_bad_data():
    x, y = blobs()
    with pytest.raises(ValueError, match="one label per row"):
        harness.run(x, y[:-1], ["random"])
    with pytest.raises(ValueError, match="two classes"):
        harness.run(x, np.zeros(len(y)), ["random"])
    x[3, 1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        harness.run(x, y, ["random"])
