"""Span arithmetic: half-open ranges, so touching spans share nothing."""

from __future__ import annotations

import pytest

from newsbench.spans import Span, offsets, shared, size


def s(start: int, end: int) -> Span:
    return Span(start, end, "x" * (end - start))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((5, 10), (10, 15), False), ((5, 10), (9, 15), True), ((0, 3), (1, 2), True), ((4, 5), (0, 4), False)],
)
def test_overlap_is_half_open(a: tuple[int, int], b: tuple[int, int], expected: bool) -> None:
    assert s(*a).overlaps(s(*b)) is expected
    assert s(*b).overlaps(s(*a)) is expected


@pytest.mark.parametrize(
    ("a", "b", "common"),
    [
        ([(0, 10)], [(5, 15)], 5),
        ([(0, 3), (6, 9)], [(2, 7)], 2),
        ([(0, 3), (6, 9)], [(0, 3), (6, 9)], 6),
        ([(0, 5)], [(5, 9)], 0),
    ],
)
def test_shared_counts_code_points_of_discontinuous_spans_both_have(
    a: list[tuple[int, int]], b: list[tuple[int, int]], common: int
) -> None:
    assert shared(offsets([s(*x) for x in a]), offsets([s(*y) for y in b])) == common


def test_size_of_a_discontinuous_span_counts_only_its_parts() -> None:
    assert size(offsets([s(2, 4), s(8, 11)])) == 5


def test_span_of_takes_text_by_code_point() -> None:
    text = "😀 Iraq"
    assert Span.of(text, 2, 6).text == "Iraq"
