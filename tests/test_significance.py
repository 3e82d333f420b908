"""Paired bootstrap and approximate randomisation over documents, and tie groups from them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from docfactory import valid_document
from evalfactory import prediction
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbench.eval import compare
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.report.markdown import paired_test_rows
from newsbench.eval.stats.bootstrap import FloatArray
from newsbench.eval.stats.significance import (
    approximate_randomization,
    bootstrap_p_value,
    observed_difference,
    p_value,
    paired_bootstrap,
    tie_groups,
)
from newsbench.model import Document


def _matrix(rows: list[tuple[float, int, int]]) -> FloatArray:
    """``(documents, 1 key, 3)`` counts."""
    return np.array([[row] for row in rows], dtype=float)


@pytest.mark.parametrize(
    ("stats", "observed", "expected"),
    [
        ([0.1, 0.2, 0.3], 0.2, 3 / 4),  # 0.2 and 0.3 are at least 0.2: (2 + 1) / (3 + 1)
        ([0.1, 0.2, 0.3], 0.35, 1 / 4),  # none: (0 + 1) / 4
        ([0.0, 0.0, 0.0, 0.0], 0.0, 1.0),  # ties count, so identical systems get p = 1
        ([0.5], 0.1, 1.0),
    ],
)
def test_p_value_is_c_plus_one_over_n_plus_one(stats: list[float], observed: float, expected: float) -> None:
    got = p_value(np.array(stats).reshape(-1, 1), np.array([observed]))
    assert got[0] == pytest.approx(expected)


def test_observed_difference_is_the_absolute_f1_difference() -> None:
    base = _matrix([(1, 2, 2), (0, 2, 2)])  # F1 1/4
    system = _matrix([(2, 2, 2), (1, 2, 2)])  # F1 3/4
    assert observed_difference(base, system)[0] == pytest.approx(0.5)
    assert observed_difference(system, base)[0] == pytest.approx(0.5)


def test_identical_systems_are_never_significantly_different() -> None:
    rng = np.random.default_rng(0)
    rows = [(float(t), 5, 5) for t in rng.integers(0, 6, size=50)]
    same = _matrix(rows)
    assert paired_bootstrap(same, same.copy(), 1000, 12345)[0] == 1.0
    assert approximate_randomization(same, same.copy(), 2000, 12345)[0] == 1.0


def test_one_differing_document_gives_randomisation_p_one() -> None:
    # Swapping the only differing document just exchanges the two pseudo-systems, so every trial's statistic
    # equals the observed one and every trial counts: p = (n + 1) / (n + 1).
    base = _matrix([(1, 2, 2), (2, 2, 2), (2, 2, 2)])
    system = _matrix([(2, 2, 2), (2, 2, 2), (2, 2, 2)])
    assert approximate_randomization(base, system, 500, 7)[0] == 1.0


def _synthetic(n_docs: int, better_by: float, seed: int) -> tuple[FloatArray, FloatArray]:
    rng = np.random.default_rng(seed)
    base_tp = rng.binomial(10, 0.6, size=n_docs)
    sys_tp = np.minimum(10, base_tp + rng.binomial(3, better_by, size=n_docs))
    return _matrix([(t, 10, 10) for t in base_tp]), _matrix([(t, 10, 10) for t in sys_tp])


def test_a_clearly_better_system_is_significant_on_200_documents() -> None:
    base, system = _synthetic(200, 0.5, seed=1)
    assert paired_bootstrap(base, system, 1000, 12345)[0] < 0.05
    assert approximate_randomization(base, system, 10000, 12345)[0] < 0.05


def test_a_tiny_difference_on_few_documents_is_not_significant() -> None:
    base = _matrix([(5, 10, 10), (6, 10, 10), (4, 10, 10), (5, 10, 10)])
    system = _matrix([(6, 10, 10), (6, 10, 10), (4, 10, 10), (5, 10, 10)])
    assert approximate_randomization(base, system, 2000, 12345)[0] > 0.05


def test_paired_bootstrap_equals_the_definition_on_the_same_draws() -> None:
    base, system = _synthetic(12, 0.3, seed=5)
    draws = np.random.default_rng(99).integers(0, 12, size=(300, 12))

    def f1(matrix: FloatArray, idx: np.ndarray) -> float:
        tp, pos, act = matrix[idx, 0].sum(axis=0)
        return Counts(tp=tp, pos=int(pos), act=int(act)).f1

    diffs = np.array([abs(f1(system, d) - f1(base, d)) for d in draws])
    observed = abs(f1(system, np.arange(12)) - f1(base, np.arange(12)))
    expected = (np.sum(diffs - diffs.mean() >= observed - 1e-12) + 1) / 301
    assert paired_bootstrap(base, system, 300, 99)[0] == pytest.approx(expected)


def test_randomisation_equals_the_definition_on_the_same_swaps() -> None:
    base, system = _synthetic(10, 0.4, seed=6)
    swaps = np.random.default_rng(3).integers(0, 2, size=(400, 10)).astype(bool)

    def f1(matrix: FloatArray) -> float:
        tp, pos, act = matrix.sum(axis=0)
        return Counts(tp=tp, pos=int(pos), act=int(act)).f1

    stats = []
    for swap in swaps:
        first = np.where(swap[:, None], base[:, 0], system[:, 0])
        second = np.where(swap[:, None], system[:, 0], base[:, 0])
        stats.append(abs(f1(first) - f1(second)))
    observed = abs(f1(system[:, 0]) - f1(base[:, 0]))
    expected = (np.sum(np.array(stats) >= observed - 1e-12) + 1) / 401
    assert approximate_randomization(base, system, 400, 3)[0] == pytest.approx(expected)


@pytest.mark.parametrize("test", [paired_bootstrap, approximate_randomization])
def test_p_values_do_not_depend_on_how_the_draws_are_chunked(
    monkeypatch: pytest.MonkeyPatch, test: Callable[[FloatArray, FloatArray, int, int], FloatArray]
) -> None:
    # Chunks of draws share one buffer and are drawn a row at a time; a chunk of 3 rows (of 7 documents)
    # must give the draws, and so the p-values, of one block.
    import newsbench.eval.stats.bootstrap as bootstrap

    base, system = _synthetic(7, 0.4, seed=2)
    whole = test(base, system, 100, 5)
    monkeypatch.setattr(bootstrap, "CELLS_PER_CHUNK", 21)
    assert (test(base, system, 100, 5) == whole).all()


def test_tests_are_symmetric_in_the_two_systems() -> None:
    base, system = _synthetic(40, 0.3, seed=8)
    assert paired_bootstrap(base, system, 500, 1)[0] == paired_bootstrap(system, base, 500, 1)[0]
    assert (
        approximate_randomization(base, system, 500, 1)[0]
        == approximate_randomization(system, base, 500, 1)[0]
    )


@pytest.mark.parametrize(
    ("different_pairs", "groups"),
    [
        (set(), [["a", "b", "c", "d"]]),
        ({"ac", "ad", "bd"}, [["a", "b"], ["c", "d"]]),
        ({"ab", "ac", "ad", "bc", "bd", "cd"}, [["a"], ["b"], ["c"], ["d"]]),
        ({"ab", "ac", "ad"}, [["a"], ["b", "c", "d"]]),
    ],
)
def test_tie_groups_open_a_group_at_the_first_system_unlike_its_leader(
    different_pairs: set[str], groups: list[list[str]]
) -> None:
    def different(x: str, y: str) -> bool:
        return "".join(sorted(x + y)) in different_pairs

    assert tie_groups(["a", "b", "c", "d"], different) == groups


def test_compare_identical_systems_share_one_group_with_p_one() -> None:
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(6)]
    pred = [Document.from_json(prediction(valid_document(f"doc-{i}"), frozenset({"m4"}))) for i in range(6)]
    comparison = compare(gold, [("a", pred), ("b", list(pred))], trials=500, bootstrap=200)
    assert {t.p_randomization for t in comparison.tests} == {1.0}
    assert {t.p_bootstrap for t in comparison.tests} == {1.0}
    assert all(groups == [["a", "b"]] for groups in comparison.groups.values())


def test_compare_tests_every_pair_with_the_first_as_baseline() -> None:
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(4)]
    systems = [
        (name, [Document.from_json(prediction(valid_document(f"doc-{i}"), drop)) for i in range(4)])
        for name, drop in (("base", frozenset()), ("x", frozenset({"m4"})), ("y", frozenset({"m1", "m5"})))
    ]
    comparison = compare(gold, systems, trials=200, bootstrap=100)
    pairs = {(t.baseline, t.system) for t in comparison.tests}
    assert pairs == {("base", "x"), ("base", "y"), ("x", "y")}
    data = json.loads(comparison.dumps())
    assert data["baseline"] == "base"
    assert data["ranking"]["entities"]["strict"][0][0] == "base"
    assert data["scores"]["entities"]["strict"]["base"]["f1"] == 1


def test_comparison_json_is_byte_identical_on_rerun(tmp_path: Path) -> None:
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(3)]
    pred = [Document.from_json(prediction(valid_document(f"doc-{i}"), frozenset({"m4"}))) for i in range(3)]
    first = compare(gold, [("a", gold), ("b", pred)], trials=300, bootstrap=100).dumps()
    again = compare(
        list(reversed(gold)), [("a", gold), ("b", list(reversed(pred)))], trials=300, bootstrap=100
    )
    assert first == again.dumps()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)),
        min_size=1,
        max_size=12,
    )
)
def test_p_values_are_proper_and_symmetric(rows: list[tuple[int, int, int, int]]) -> None:
    base = _matrix([(min(a, b), b, b) for a, b, _, _ in rows])
    system = _matrix([(min(c, d), d, d) for _, _, c, d in rows])
    undefined = base[:, 0, 1:].sum() == 0 or system[:, 0, 1:].sum() == 0
    for test in (paired_bootstrap, approximate_randomization):
        p = test(base, system, 200, 1)[0]
        if undefined:  # either F1 is undefined: no difference to test
            assert np.isnan(p)
            continue
        assert 1 / 201 <= p <= 1
        assert test(system, base, 200, 1)[0] == p


def test_p_value_leaves_out_undefined_statistics() -> None:
    stats = np.array([0.1, np.nan, 0.3, np.nan]).reshape(-1, 1)
    # Two defined statistics, one of them at least 0.2: (1 + 1) / (2 + 1).
    assert p_value(stats, np.array([0.2]))[0] == pytest.approx(2 / 3)
    assert np.isnan(p_value(stats, np.array([np.nan]))[0])
    assert np.isnan(p_value(np.full((3, 1), np.nan), np.array([0.1]))[0])


def test_bootstrap_centres_and_counts_only_the_resamples_where_both_are_defined() -> None:
    base_f1 = np.array([1.0, np.nan, 0.5, 1.0]).reshape(-1, 1)
    sys_f1 = np.array([0.0, 0.5, 0.5, 0.5]).reshape(-1, 1)
    # |differences| of the defined resamples: 1, 0, 0.5; mean 0.5, centred 0.5, -0.5, 0.
    assert bootstrap_p_value(base_f1, sys_f1, np.array([0.6]))[0] == pytest.approx(1 / 4)
    assert bootstrap_p_value(base_f1, sys_f1, np.array([0.4]))[0] == pytest.approx(2 / 4)


def test_a_difference_with_an_undefined_side_is_undefined() -> None:
    base = _matrix([(1, 2, 2), (0, 2, 2)])
    nothing = _matrix([(0, 0, 0), (0, 0, 0)])  # no item on either side: F1 undefined
    assert np.isnan(observed_difference(base, nothing)[0])
    assert np.isnan(paired_bootstrap(base, nothing, 100, 1)[0])
    assert np.isnan(approximate_randomization(base, nothing, 100, 1)[0])


def test_randomisation_leaves_out_trials_where_a_pseudo_system_is_undefined() -> None:
    # The baseline has items only in document 0 (F1 1), the system only in document 1 (F1 0): a trial
    # swapping just one of them gives one pseudo-system both empty documents, whose F1 is undefined.
    base = _matrix([(1, 1, 1), (0, 0, 0)])
    system = _matrix([(0, 0, 0), (0, 1, 1)])
    swaps = np.random.default_rng(5).integers(0, 2, size=(300, 2)).astype(bool)

    def f1(matrix: FloatArray) -> float | None:
        tp, pos, act = matrix.sum(axis=0)
        return Counts(tp=tp, pos=int(pos), act=int(act)).f1

    stats = []
    for swap in swaps:
        first = f1(np.where(swap[:, None], base[:, 0], system[:, 0]))
        second = f1(np.where(swap[:, None], system[:, 0], base[:, 0]))
        if first is not None and second is not None:
            stats.append(abs(first - second))
    expected = (np.sum(np.array(stats) >= 1.0 - 1e-12) + 1) / (len(stats) + 1)
    assert 0 < len(stats) < 300
    assert expected == 1.0  # every defined trial is at least the observed difference, 1
    assert approximate_randomization(base, system, 300, 5)[0] == pytest.approx(expected)


def test_compare_paired_tests_do_not_apply_where_a_system_has_no_value() -> None:
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(6)]
    full = [Document.from_json(prediction(valid_document(f"doc-{i}"))) for i in range(6)]
    no_quotes = [Document.from_json(prediction(valid_document(f"doc-{i}"), quotes=False)) for i in range(6)]
    comparison = compare(gold, [("a", full), ("b", no_quotes)], trials=200, bootstrap=100)
    tests = {t.metric: t for t in comparison.tests}
    speaker = tests[("quotes", "speaker")]  # an accuracy over matched quotes: b matches none
    assert (speaker.delta_f1, speaker.p_bootstrap, speaker.p_randomization) == (None, None, None)
    assert speaker.significant(0.05) is None
    assert speaker.note == "n/a: b has no F1 here (nothing on either side)"
    assert comparison.groups[("quotes", "speaker")] == [["a"]]
    entities = tests[("entities", "strict")]  # defined for both: tested as before
    assert (entities.delta_f1, entities.p_randomization) == (0.0, 1.0)
    pair = next(
        p
        for p in json.loads(comparison.dumps())["pairs"]
        if (p["task"], p["metric"]) == ("quotes", "speaker")
    )
    assert (pair["delta_f1"], pair["p_bootstrap"], pair["p_randomization"], pair["significant"]) == (
        None,
        None,
        None,
        None,
    )
    row = next(r for r in paired_test_rows(comparison) if tuple(r[:2]) == ("quotes", "speaker"))
    assert row[4:8] == ["n/a"] * 4
