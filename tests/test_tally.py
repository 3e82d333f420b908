"""The score sheet of one document: rows counted under one key add up field by field, each row counts under
its label and the overall label, and a closed sheet adds to what the document already holds."""

from __future__ import annotations

import pickle
from dataclasses import astuple

from newsbench.eval.metrics import counts
from newsbench.eval.metrics.counts import Counts, shared_counts
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.shared import BOUND, shared
from newsbench.eval.metrics.tally import Sheet, add_judgement, declare


def test_rows_counted_twice_under_one_label_add_up_in_every_field() -> None:
    result = DocResult("d")
    sheet = Sheet(result, "entities")
    sheet.count_row("m", "PER", 0.5, 1, 2, cor=3, inc=4, par=5, mis=6, spu=7)
    sheet.count_row("m", "PER", 0.25, 10, 20, cor=30, inc=40, par=50, mis=60, spu=70)
    sheet.count_row("m", "ORG", 1.0, 1, 1, cor=1)
    sheet.close()
    assert astuple(result.stats[("entities", "m", "PER")]) == (0.75, 11, 22, 33, 44, 55, 66, 77)
    assert astuple(result.stats[("entities", "m", "")]) == (1.75, 12, 23, 34, 44, 55, 66, 77)


def test_a_row_counts_zero_in_every_field_it_does_not_name() -> None:
    result = DocResult("d")
    sheet = Sheet(result, "entities")
    sheet.count_row("m", "PER", 0.5, 1, 1, par=1)
    sheet.count_row("m", None, 1.0, 1, 1)
    sheet.close()
    assert result.stats[("entities", "m", "PER")] == Counts(0.5, 1, 1, par=1)
    assert result.stats[("entities", "m", "")] == Counts(1.5, 2, 2, par=1)


def test_labelled_rows_sum_once_into_the_overall_label() -> None:
    result = DocResult("d")
    sheet = Sheet(result, "events")
    sheet.count_labels("m", [("A", 1, 2, 3, 4, 5, 6, 7), ("B", 10, 20, 30, 40, 50, 60, 70)])
    sheet.close()
    assert result.stats[("events", "m", "A")] == Counts(1, 2, 3, 4, 5, 0, 6, 7)
    assert result.stats[("events", "m", "")] == Counts(11, 22, 33, 44, 55, 0, 66, 77)


def test_a_closed_sheet_adds_to_the_documents_counts_and_declared_keys_start_at_zero() -> None:
    result = DocResult("d")
    declare(result, "quotes", ["m", "unused"])
    for _ in range(2):
        sheet = Sheet(result, "quotes")
        rows: dict[str, list[int]] = {}
        for label, correct in [("x", True), ("x", False), ("y", True)]:
            add_judgement(rows, label, correct)
        sheet.count_rows("m", rows)
        sheet.close()
    assert result.stats[("quotes", "unused", "")] == Counts()
    assert result.stats[("quotes", "m", "x")] == Counts(2, 4, 4)
    assert result.stats[("quotes", "m", "")] == Counts(4, 6, 6)


def test_unmatched_items_are_returned_only_when_the_sheet_keeps_error_records() -> None:
    for errors_on, expected in ((True, ([1], [1])), (False, ([], []))):
        result = DocResult("d")
        sheet = Sheet(result, "entities", errors_on=errors_on)
        assert sheet.count_matching("m", [(0, 0)], ["PER", "ORG"], ["PER", "GPE"]) == expected
        sheet.close()
        assert result.stats[("entities", "m", "")] == Counts(1, 2, 2)
        assert result.stats[("entities", "m", "ORG")] == Counts(0, 1, 0)
        assert result.stats[("entities", "m", "GPE")] == Counts(0, 0, 1)


def test_the_table_of_shared_counts_stays_within_its_bound() -> None:
    saved = dict(counts.SHARED)
    counts.SHARED.clear()
    try:
        for n in range(BOUND + 1):
            assert shared_counts((float(n), 1, 1, 0, 0, 0, 0, 0)) == Counts(float(n), 1, 1)
            assert len(counts.SHARED) <= BOUND
        assert len(counts.SHARED) == 1  # emptied when full, then the new value kept
    finally:
        counts.SHARED.clear()
        counts.SHARED.update(saved)


def test_counts_read_back_from_a_pickle_are_the_shared_instance_of_their_value() -> None:
    value = Counts(2.5, 3, 4, cor=2, par=1, mis=1, spu=2)
    back = pickle.loads(pickle.dumps(value))
    assert back == value and astuple(back) == astuple(value)
    assert back is shared_counts(astuple(value))
    assert pickle.loads(pickle.dumps([back, back]))[1] is back


def test_documents_scored_apart_share_their_keys_and_counts() -> None:
    one, two = DocResult("a"), DocResult("b")
    for result in (one, two):
        declare(result, "entities", ["m"])
        sheet = Sheet(result, "entities")
        sheet.count_row("m", "PER", 1.0, 1, 1, cor=1)
        sheet.close()
    for key, value in one.stats.items():
        (same,) = [k for k in two.stats if k == key]
        assert same is key and two.stats[key] is value


def test_a_table_of_shared_values_stays_within_its_bound() -> None:
    table: dict[tuple[int], tuple[int]] = {}
    first = (0,)
    assert shared(table, first) is first and shared(table, (0,)) is first
    for n in range(1, BOUND + 1):
        shared(table, (n,))
        assert len(table) <= BOUND
    assert len(table) == 1  # emptied when full, then the new value kept
