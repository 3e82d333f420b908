"""Scoring builds error records only when asked, and a report finds them on first use with the same result."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from scoring_helpers import find, gold_doc, mention, pred_doc

from newsbench.eval import score
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.errors import sorted_errors
from newsbench.model import Document

TEXT = "“Ann Lee” met Bob 👋 in Paris.\r\n"


def _pair() -> tuple[Document, Document]:
    """Ann Lee predicted as Ann (boundaries differ), Bob predicted as ORG (type differs), Paris missed.

    Errors per mode with any overlap: strict 3 (Ann INC, Bob INC, Paris FN), exact 2 (Ann INC, Paris FN),
    type 2 (Bob INC, Paris FN), partial 2 (Ann PAR, Paris FN). With overlap 0.5 Ann (3 of 7 code points)
    no longer pairs with Ann Lee, which becomes an FN and Ann an FP in every mode: 4, 3, 4 and 3.
    """
    gold = gold_doc(
        TEXT,
        mentions=(
            mention(TEXT, "m1", find(TEXT, "Ann Lee")),
            mention(TEXT, "m2", find(TEXT, "Bob")),
            mention(TEXT, "m3", find(TEXT, "Paris"), "GPE"),
        ),
    )
    pred = pred_doc(
        gold,
        mentions=(mention(TEXT, "p1", find(TEXT, "Ann")), mention(TEXT, "p2", find(TEXT, "Bob"), "ORG")),
    )
    return gold, pred


CASES: list[tuple[dict[str, Any], dict[str, int]]] = [
    ({"tasks": ("entities",)}, {"strict": 3, "exact": 2, "type": 2, "partial": 2}),
    (
        {"tasks": ("entities",), "partial_credit": "graded", "overlap": 0.5},
        {"strict": 4, "exact": 3, "type": 4, "partial": 3},
    ),
]


@pytest.mark.parametrize(("options", "expected"), CASES)
def test_scoring_without_errors_gives_the_same_counts_and_no_records(
    options: dict[str, Any], expected: dict[str, int]
) -> None:
    gold, pred = _pair()
    with_errors = score_document(gold, pred, ScoreOptions(**options), collect_errors=True)
    without = score_document(gold, pred, ScoreOptions(**options), collect_errors=False)
    assert without.stats == with_errors.stats
    assert without.errors == []
    per_mode = {
        m: sum(e.metric == m for e in with_errors.errors) for m in ("strict", "exact", "type", "partial")
    }
    assert per_mode == expected


@pytest.mark.parametrize("up_front", [False, True])
@pytest.mark.parametrize(("options", "expected"), CASES)
def test_report_errors_are_the_same_found_on_first_use_or_up_front(
    options: dict[str, Any], expected: dict[str, int], up_front: bool
) -> None:
    gold, pred = _pair()
    report = score([gold], [pred], bootstrap=0, collect_errors=up_front, **options)
    assert sum(len(r.errors) for r in report.results) == (sum(expected.values()) if up_front else 0)
    eager = score_document(gold, pred, ScoreOptions(**{**options, "bootstrap": 0}), collect_errors=True)
    assert len(report.errors) == sum(expected.values())
    assert report.errors == sorted_errors([eager])
    assert report.errors is report.errors  # found once


def test_reports_that_differ_only_in_kept_pairs_are_equal_and_dump_the_same() -> None:
    gold, pred = _pair()
    kept = score([gold], [pred])
    dropped = replace(kept, pairs=None)
    assert kept == dropped
    assert kept.dumps() == dropped.dumps()
