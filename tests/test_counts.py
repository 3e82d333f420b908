"""Counts add up field by field, and their ratios say 0 (never NaN) where a division by zero happens."""

from __future__ import annotations

from dataclasses import astuple

import pytest

from newsbench.eval.metrics.counts import Counts


def test_addition_sums_every_field() -> None:
    a = Counts(1.5, 3, 4, 1, 0, 1, 1, 2)
    b = Counts(2.0, 5, 2, 2, 1, 0, 2, 0)
    assert astuple(a + b) == (3.5, 8, 6, 3, 1, 1, 3, 2)
    assert Counts.total([a, b, Counts()]) == a + b


@pytest.mark.parametrize(
    ("counts", "p", "r", "f", "undefined"),
    [
        (Counts(tp=2, pos=4, act=2), 1.0, 0.5, 2 / 3, ()),
        (Counts(tp=0, pos=3, act=0), None, 0.0, 0.0, ("precision",)),
        (Counts(tp=0, pos=0, act=2), 0.0, None, 0.0, ("recall",)),
        (Counts(), None, None, None, ("precision", "recall", "f1")),
        (Counts(tp=2.5, pos=4, act=6), 2.5 / 6, 2.5 / 4, 0.5, ()),
        # as many predictions as gold items: f1 is defined (a difference of the two would read as zero)
        (Counts(tp=1, pos=3, act=3), 1 / 3, 1 / 3, 1 / 3, ()),
    ],
)
def test_ratios_are_hand_computed_and_zero_divisions_are_not_applicable(
    counts: Counts, p: float | None, r: float | None, f: float | None, undefined: tuple[str, ...]
) -> None:
    for got, want in ((counts.precision, p), (counts.recall, r), (counts.f1, f)):
        assert got is None if want is None else got == pytest.approx(want)
    assert counts.undefined == undefined
    assert counts.fp == counts.act - counts.tp
    assert counts.fn == counts.pos - counts.tp
