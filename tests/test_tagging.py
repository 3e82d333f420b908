"""The one tagging module: each overlap rule keeps what its use needs, and every scheme round-trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsbench.tagging import decode, encode, select

NESTED = [(0, 5, "ORG", "m1"), (0, 1, "ORG", "m2"), (3, 5, "GPE", "m3")]


@pytest.mark.parametrize(
    ("rule", "kept"),
    [
        ("outermost", [(0, 5, "ORG")]),
        ("longest", [(0, 5, "ORG")]),
        ("innermost", [(0, 1, "ORG"), (3, 5, "GPE")]),
    ],
)
def test_each_overlap_rule_keeps_its_own_layer(rule: str, kept: list[tuple[int, int, str]]) -> None:
    assert select(NESTED, rule) == kept  # type: ignore[arg-type]


def test_longest_breaks_ties_by_position_then_type_then_key() -> None:
    tied = [(2, 4, "PER", "b"), (1, 3, "ORG", "z"), (1, 3, "GPE", "a")]
    assert select(tied, "longest") == [(1, 3, "GPE")]


def test_outermost_keeps_the_first_given_of_two_equal_spans() -> None:
    assert select([(0, 2, "PER", ""), (0, 2, "ORG", "")], "outermost") == [(0, 2, "PER")]


@st.composite
def flat_chunks(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, str]]]:
    cuts = sorted(draw(st.sets(st.integers(0, 30), max_size=12)))
    chunks = [
        (a, b, draw(st.sampled_from(["PER", "ORG"])))
        for a, b in zip(cuts[::2], cuts[1::2], strict=False)
        if draw(st.booleans())
    ]
    return 31, chunks


@pytest.mark.parametrize("scheme", ["IOB1", "IOB2", "IOBES"])
@given(case=flat_chunks())
def test_every_scheme_decodes_what_it_encodes(
    scheme: str, case: tuple[int, list[tuple[int, int, str]]]
) -> None:
    size, chunks = case
    assert decode(encode(size, chunks, scheme), scheme) == chunks
