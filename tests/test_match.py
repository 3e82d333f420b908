"""Candidate pairs by overlap, and optimal one-to-one matching, against hand-worked cases and brute force."""

from __future__ import annotations

from itertools import permutations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbench.eval.metrics import match
from newsbench.eval.metrics.match import (
    _solve_dense,
    _solve_sparse,
    exact_pairs,
    keyed_pairs,
    merged_pairs,
    optimal_matching,
    overlapping_pairs,
    sweep_events,
    swept_pairs,
)
from newsbench.eval.metrics.scope import IgnoreRegions
from newsbench.spans import Offsets, Span, dice, shared, size


@pytest.mark.parametrize(
    ("a", "b", "common"),
    [
        (((5, 10),), ((10, 15),), 0),  # touching spans share nothing
        (((5, 10),), ((9, 15),), 1),
        (((0, 10),), ((2, 4),), 2),  # nested
        (((0, 3), (10, 13)), ((3, 10),), 0),  # the gap of a discontinuous item is not covered
        (((0, 3), (10, 13)), ((2, 11),), 2),
        (((0, 3), (10, 13)), ((0, 3), (10, 13)), 6),
        (((0, 3), (10, 13)), ((1, 2), (5, 6), (12, 20)), 2),
    ],
)
def test_shared_counts_code_points_covered_by_both(a: Offsets, b: Offsets, common: int) -> None:
    assert shared(a, b) == common
    assert shared(b, a) == common


def test_dice_is_character_overlap_f1() -> None:
    assert dice(((0, 10),), ((0, 5),)) == pytest.approx(2 * 5 / 15)
    assert dice(((0, 10),), ((10, 20),)) == 0.0


@pytest.mark.parametrize(
    ("gold", "pred", "min_fraction", "expected"),
    [
        ([((5, 10),)], [((10, 15),)], 0.0, set()),
        ([((0, 10),), ((20, 30),)], [((5, 25),)], 0.0, {(0, 0, 5), (1, 0, 5)}),
        ([((0, 10),)], [((8, 12),)], 0.5, set()),  # 2 of 10 gold code points < 50%
        ([((0, 10),)], [((5, 12),)], 0.5, {(0, 0, 5)}),
        ([((0, 3), (10, 13))], [((4, 9),), ((12, 14),)], 0.0, {(0, 1, 1)}),
        ([((0, 10),), ((2, 4),)], [((3, 5),)], 0.0, {(0, 0, 2), (1, 0, 1)}),  # nested gold spans
    ],
)
def test_overlapping_pairs_finds_pairs_that_share_text(
    gold: list[Offsets], pred: list[Offsets], min_fraction: float, expected: set[tuple[int, int, int]]
) -> None:
    assert set(overlapping_pairs(gold, pred, min_fraction)) == expected


def _items(max_items: int = 8) -> st.SearchStrategy[list[Offsets]]:
    span = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1]))
    item = st.lists(span, min_size=1, max_size=3).map(_disjoint)
    return st.lists(item, max_size=max_items)


def _disjoint(spans: list[tuple[int, int]]) -> Offsets:
    """Spans sorted and merged, as a discontinuous item's spans are."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


@settings(max_examples=200, deadline=None)
@given(_items(), _items(), st.sampled_from([0.0, 0.3, 1.0]))
def test_overlapping_pairs_equals_all_pairs_check(
    gold: list[Offsets], pred: list[Offsets], fraction: float
) -> None:
    brute = {
        (g, p, shared(a, b))
        for g, a in enumerate(gold)
        for p, b in enumerate(pred)
        if shared(a, b) and shared(a, b) >= fraction * size(a)
    }
    assert set(overlapping_pairs(gold, pred, fraction)) == brute


@st.composite
def _side_apart(draw: st.DrawFn, max_items: int = 8) -> list[Offsets]:
    """Items no two of which overlap (touching allowed, empty spans too), in any order."""
    items: list[Offsets] = []
    at = draw(st.integers(0, 5))
    for _ in range(draw(st.integers(0, max_items))):
        spans = []
        for _ in range(draw(st.integers(1, 3))):
            start = at + draw(st.integers(0, 4))
            at = start + draw(st.integers(0, 6))
            spans.append((start, at))
        items.append(_disjoint(spans))
        at += draw(st.integers(0, 3))
    return draw(st.permutations(items))


@settings(max_examples=300, deadline=None)
@given(_side_apart(), _side_apart(), st.sampled_from([0.0, 0.3, 1.0]))
def test_merging_sides_apart_finds_the_pairs_of_the_general_sweep(
    gold: list[Offsets], pred: list[Offsets], fraction: float
) -> None:
    events = sweep_events(gold, pred)
    merged = merged_pairs(events, gold, pred, fraction)
    assert merged is not None
    assert merged == swept_pairs(events, gold, pred, fraction)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_items(), _side_apart()), st.one_of(_items(), _side_apart()), st.sampled_from([0.0, 0.5]))
def test_overlapping_pairs_are_the_general_sweeps_pairs_in_its_order(
    gold: list[Offsets], pred: list[Offsets], fraction: float
) -> None:
    events = sweep_events(gold, pred)
    assert overlapping_pairs(gold, pred, fraction) == swept_pairs(events, gold, pred, fraction)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=8), st.lists(st.integers(0, 5), max_size=8))
def test_exact_pairs_is_keyed_pairs_with_one_key_each(gold: list[int], pred: list[int]) -> None:
    assert exact_pairs(gold, pred) == keyed_pairs([[k] for k in gold], [[k] for k in pred])


def test_matching_weighs_only_pairs_in_competition() -> None:
    asked: list[tuple[int, int]] = []

    def weight(pair: tuple[int, int]) -> tuple[float, float]:
        asked.append(pair)
        return 1.0, 0.0

    assert optimal_matching([(0, 0), (1, 1), (1, 2)], weight) == [(0, 0), (1, 1)]
    assert sorted(asked) == [(1, 1), (1, 2)]


def test_keyed_pairs_joins_on_any_shared_key() -> None:
    assert keyed_pairs([["a"], ["b", "c"], []], [["c"], ["a", "b"], ["z"]]) == {(1, 0), (0, 1), (1, 1)}


def test_matching_is_not_greedy() -> None:
    # gold 0 can take either prediction, gold 1 only prediction 0: greedy on list order matches one pair only.
    weights = {(0, 0): (1.0, 0.0), (0, 1): (1.0, 0.0), (1, 0): (1.0, 0.0)}
    assert optimal_matching(weights, weights.__getitem__) == [(0, 1), (1, 0)]


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        # credit first: one pair worth 1 beats two pairs worth 0 each
        ({(0, 0): (1.0, 0.0), (0, 1): (0.0, 1.0), (1, 0): (0.0, 1.0)}, [(0, 0)]),
        # then the number of pairs: two pairs of credit 0 beat one
        ({(0, 0): (0.0, 1.0), (0, 1): (0.0, 0.0), (1, 0): (0.0, 0.0)}, [(0, 1), (1, 0)]),
        # then the tiebreak
        ({(0, 0): (1.0, 0.1), (0, 1): (1.0, 0.9)}, [(0, 1)]),
        # four pairs of low tiebreak beat three of high tiebreak: the tiebreaks of a whole matching never
        # add up to one more pair (a chain g0-p0, g0-p1, g1-p1, g1-p2, ...: the straight matching has four
        # pairs, the shifted one three)
        (
            {
                **{(i, i): (0.0, 0.05) for i in range(4)},
                **{(i, i + 1): (0.0, 0.95) for i in range(3)},
            },
            [(0, 0), (1, 1), (2, 2), (3, 3)],
        ),
        # half credits add up: 0.5 + 0.5 beats a lone 0.9
        ({(0, 0): (0.9, 1.0), (0, 1): (0.5, 0.0), (1, 0): (0.5, 0.0)}, [(0, 1), (1, 0)]),
        # graded credits 2e-6 apart (more than the documented 1e-6 per pair) still outrank an extra pair
        ({(0, 0): (0.500002, 0.0), (0, 1): (0.25, 1.0), (1, 0): (0.25, 1.0)}, [(0, 0)]),
    ],
)
def test_matching_order_of_preference(
    weights: dict[tuple[int, int], tuple[float, float]], expected: list[tuple[int, int]]
) -> None:
    assert optimal_matching(weights, weights.__getitem__) == expected


def _objective(
    pairs: list[tuple[int, int]], weights: dict[tuple[int, int], tuple[float, float]]
) -> tuple[float, int, float]:
    return (
        round(sum(weights[p][0] for p in pairs), 9),
        len(pairs),
        round(sum(weights[p][1] for p in pairs), 9),
    )


def _brute_force(
    n_gold: int, n_pred: int, weights: dict[tuple[int, int], tuple[float, float]]
) -> tuple[float, int, float]:
    best = (0.0, 0, 0.0)
    columns = list(range(n_pred)) + [-1] * n_gold
    for assignment in set(permutations(columns, n_gold)):
        pairs = [(g, p) for g, p in enumerate(assignment) if (g, p) in weights]
        best = max(best, _objective(pairs, weights))
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.data(),
)
def test_matching_reaches_the_brute_force_optimum(n_gold: int, n_pred: int, data: st.DataObject) -> None:
    pairs = data.draw(st.sets(st.tuples(st.integers(0, n_gold - 1), st.integers(0, n_pred - 1))))
    credit = st.sampled_from([0.0, 0.5, 1.0])
    tiebreak = st.sampled_from([0.0, 0.05, 0.25, 0.5, 0.95, 1.0])
    weights = {pair: (data.draw(credit), data.draw(tiebreak)) for pair in sorted(pairs)}
    matching = optimal_matching(weights, weights.__getitem__)
    assert len({g for g, _ in matching}) == len({p for _, p in matching}) == len(matching)
    assert _objective(matching, weights) == _brute_force(n_gold, n_pred, weights)


@pytest.mark.parametrize(
    ("item", "covered"),
    [
        (((0, 4),), False),
        (((4, 5),), False),  # touches the region [5, 10) only
        (((5, 6),), True),
        (((8, 12),), True),  # straddles the region's end
        (((3, 30),), True),  # spans both regions
        (((10, 20),), False),  # between the regions
        (((0, 2), (22, 24)), True),  # discontinuous, second part in [20, 25)
    ],
)
def test_ignore_regions_cover_any_item_sharing_text_with_them(item: Offsets, covered: bool) -> None:
    text = "x" * 40
    regions = IgnoreRegions([Span.of(text, 20, 25), Span.of(text, 5, 10), Span.of(text, 6, 8)])
    assert regions.covers(item) is covered


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(2, 40), st.data())
def test_sparse_and_dense_solvers_reach_the_same_optimum(
    n_rows: int, n_cols: int, data: st.DataObject
) -> None:
    cells = data.draw(
        st.sets(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)), min_size=1, max_size=120)
    )
    weight = st.sampled_from([1.0, 1.25, 1.5, 500.0, 500.5, 1000.0])
    edges = [(i, j, data.draw(weight)) for i, j in sorted(cells)]
    dense = _solve_dense(n_rows, n_cols, edges)
    sparse = _solve_sparse(n_rows, n_cols, edges)
    value = {(i, j): w for i, j, w in edges}
    assert sum(value[p] for p in sparse) == pytest.approx(sum(value[p] for p in dense))
    assert len({i for i, _ in sparse}) == len({j for _, j in sparse}) == len(sparse)


def test_a_long_chain_of_shifted_spans_is_matched_whole() -> None:
    # Every prediction straddles two gold items: one component of 6000 items, solved sparsely.
    n = 3000
    gold = [((10 * i, 10 * i + 10),) for i in range(n)]
    pred = [((10 * i + 5, 10 * i + 15),) for i in range(n)]
    candidates = overlapping_pairs(gold, pred)
    assert len(candidates) == 2 * n - 1
    weights = {(g, p): (0.5, dice(gold[g], pred[p], c)) for g, p, c in candidates}
    matching = optimal_matching(weights, weights.__getitem__)
    assert matching == [(i, i) for i in range(n)]


@pytest.mark.parametrize(
    ("n_gold", "n_pred", "solver"),
    [(32, 32, "dense"), (25, 41, "sparse"), (2, 3000, "sparse"), (3000, 2, "sparse")],
)
def test_only_components_of_at_most_1024_cells_get_a_dense_matrix(
    monkeypatch: pytest.MonkeyPatch, n_gold: int, n_pred: int, solver: str
) -> None:
    # A dense matrix costs gold × predicted cells of memory: a long or lopsided component (one gold item
    # against thousands of predictions) must go to the sparse solver however few edges it has.
    used: list[str] = []
    for name in ("dense", "sparse"):
        real = getattr(match, f"_solve_{name}")

        def record(*args: Any, _name: str = name, _real: Any = real) -> Any:
            used.append(_name)
            return _real(*args)

        monkeypatch.setattr(match, f"_solve_{name}", record)
    # Every gold item competes for every prediction: one component of n_gold × n_pred cells.
    weights = {(g, p): (1.0 if g == p else 0.0, 0.0) for g in range(n_gold) for p in range(n_pred)}
    if n_gold * n_pred > 100_000:  # keep the lopsided cases small in edges: a star, still one component
        weights = {(g, p): (1.0 if g == p else 0.0, 0.0) for g, p in _star(n_gold, n_pred)}
    matching = optimal_matching(weights, weights.__getitem__)
    assert used == [solver]
    assert len(matching) == min(n_gold, n_pred)


def _star(n_gold: int, n_pred: int) -> list[tuple[int, int]]:
    """Gold 0 against every prediction and every gold item against prediction 0: one connected component."""
    return sorted({(0, p) for p in range(n_pred)} | {(g, 0) for g in range(n_gold)} | {(1, 1)})
