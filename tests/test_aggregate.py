"""Corpus totals: sums per key, per-label counts against the overall counts, and macro averages."""

from __future__ import annotations

import pytest

from newsbench.eval.metrics.aggregate import Macro, macro_average, metric_totals
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.stat_arrays import StatArrays


def _result(doc_id: str, stats: dict[tuple[str, str, str], Counts]) -> DocResult:
    return DocResult(doc_id, dict(stats))


def test_sums_add_each_key_over_documents() -> None:
    a = _result("a", {("entities", "strict", ""): Counts(tp=1, pos=2, act=1, cor=1, mis=1)})
    b = _result("b", {("entities", "strict", ""): Counts(tp=2, pos=2, act=3, cor=2, spu=1)})
    c = _result("c", {("quotes", "cue", ""): Counts(tp=0.5, pos=1, act=1)})
    totals = StatArrays.of([a, b, c]).sums()
    assert totals[("entities", "strict", "")] == Counts(tp=3, pos=4, act=4, cor=3, mis=1, spu=1)
    assert totals[("quotes", "cue", "")] == Counts(tp=0.5, pos=1, act=1)


def test_sums_add_every_field_including_partial_and_incorrect_matches() -> None:
    a = _result("a", {("entities", "partial", ""): Counts(0.5, 2, 1, inc=1, par=1, mis=1)})
    b = _result("b", {("entities", "partial", ""): Counts(1.5, 3, 3, cor=1, inc=2, par=1, mis=1, spu=1)})
    assert StatArrays.of([a, b]).sums()[("entities", "partial", "")] == Counts(2.0, 5, 4, 1, 3, 2, 2, 1)


def test_sums_of_no_documents_are_empty() -> None:
    assert StatArrays.of([]).sums() == {}


@pytest.mark.parametrize(
    ("per_label", "expected"),
    [
        # PER: P 1, R 1/2, F1 2/3; ORG: nothing right, P 0, R n/a (no gold: left out of the mean), F1 0; LOC unseen
        (
            {"PER": Counts(tp=1, pos=2, act=1), "ORG": Counts(act=1), "LOC": Counts()},
            Macro(precision=0.5, recall=0.5, f1=1 / 3, labels=2),
        ),
        ({"PER": Counts(tp=2, pos=2, act=2)}, Macro(1.0, 1.0, 1.0, 1)),
        ({}, Macro(None, None, None, 0)),
        ({"LOC": Counts()}, Macro(None, None, None, 0)),
    ],
)
def test_macro_average_is_the_mean_over_labels_seen(per_label: dict[str, Counts], expected: Macro) -> None:
    got = macro_average(per_label)
    assert got.labels == expected.labels
    assert got.precision == pytest.approx(expected.precision)
    assert got.recall == pytest.approx(expected.recall)
    assert got.f1 == pytest.approx(expected.f1)


def test_macro_differs_from_micro_when_labels_differ_in_size() -> None:
    # PER: 9 of 10 right; ORG: 0 of 1. Micro F1 = 2*9/22; macro F1 = (0.9 + 0) / 2.
    per_label = {"PER": Counts(tp=9, pos=10, act=10), "ORG": Counts(tp=0, pos=1, act=1)}
    totals = metric_totals(
        {("entities", "strict", ""): Counts(tp=9, pos=11, act=11)}
        | {("entities", "strict", label): c for label, c in per_label.items()}
    )
    strict = totals[("entities", "strict")]
    assert strict.micro.f1 == pytest.approx(18 / 22)
    assert strict.macro.f1 == pytest.approx(0.45)


def test_metric_totals_groups_labels_under_their_metric_sorted() -> None:
    totals = metric_totals(
        {
            ("events", "trigger_classification", ""): Counts(tp=2, pos=3, act=2),
            ("events", "trigger_classification", "Life.Die"): Counts(tp=1, pos=1, act=1),
            ("events", "trigger_classification", "Conflict.Attack"): Counts(tp=1, pos=2, act=1),
            ("quotes", "speaker", ""): Counts(tp=1, pos=1, act=1),
        }
    )
    assert list(totals) == [("events", "trigger_classification"), ("quotes", "speaker")]
    trig = totals[("events", "trigger_classification")]
    assert list(trig.per_label) == ["Conflict.Attack", "Life.Die"]
    assert Counts.total(trig.per_label.values()) == trig.micro
    assert totals[("quotes", "speaker")].per_label == {}


def test_sums_have_every_key_any_document_reported() -> None:
    a = _result("a", {("quotes", "cue", ""): Counts(), ("entities", "strict", "PER"): Counts()})
    b = _result("b", {("entities", "strict", ""): Counts(), ("quotes", "cue", ""): Counts()})
    assert sorted(StatArrays.of([a, b]).sums()) == [
        ("entities", "strict", ""),
        ("entities", "strict", "PER"),
        ("quotes", "cue", ""),
    ]
