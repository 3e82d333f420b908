"""Not applicable is not zero, and small samples are said plainly, in every output of score and compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import make_doc, mention
from docfactory import valid_document
from evalfactory import prediction
from jsonschema import Draft202012Validator

from newsbench.eval import compare, score
from newsbench.eval.metrics.catalog import display_key, metric_descriptions
from newsbench.eval.report.html import comparison_html, report_html
from newsbench.eval.report.markdown import caveats, comparison_caveats, comparison_markdown, report_markdown
from newsbench.eval.stats.sample import (
    MIN_RELIABLE_DOCUMENTS,
    disagreement_note,
    randomization_floor,
    small_sample_note,
)
from newsbench.model import Document, SystemInfo

SCHEMA = json.loads((Path(__file__).parents[1] / "schema" / "report.schema.json").read_text(encoding="utf-8"))


def _gold(n: int, quotes: bool = True) -> list[Document]:
    docs = []
    for i in range(n):
        data: dict[str, Any] = valid_document(f"doc-{i}")
        if not quotes:
            data.pop("quotes", None)
        docs.append(Document.from_json(data))
    return docs


def _oracle(gold: list[Document]) -> list[Document]:
    return [Document.from_json(prediction(g.to_json(), frozenset())) for g in gold]


def _empty(gold: list[Document]) -> list[Document]:
    return [g.blank() for g in gold]


def test_a_task_the_gold_does_not_annotate_is_not_scored_and_says_why() -> None:
    gold = _gold(3, quotes=False)
    report = score(gold, _oracle(gold), bootstrap=0)
    data = report.to_json()
    Draft202012Validator(SCHEMA).validate(data)
    assert data["tasks"]["quotes"] == {}
    assert data["not_scored"] == {"quotes": "the gold has no quotes annotations in its 3 documents"}
    assert all(task != "quotes" for task, _ in report.metrics())
    markdown = report_markdown(report)
    assert "**Not scored: quotes:** the gold has no quotes annotations" in markdown
    assert "| quotes |" not in markdown
    assert "Not scored: quotes" in report_html(report)


def test_an_unscored_task_is_not_ranked_and_oracle_is_not_tied_with_empty_on_enough_documents() -> None:
    gold = _gold(MIN_RELIABLE_DOCUMENTS + 2, quotes=False)
    comparison = compare(
        gold, [("empty", _empty(gold)), ("oracle", _oracle(gold))], bootstrap=200, trials=500
    )
    data = comparison.to_json()
    assert "quotes" not in data["ranking"] and "quotes" not in data["scores"]
    assert data["small_sample"] is None and data["tests"]["groups_by"] == "approximate_randomization"
    assert comparison.groups[("entities", "strict")] == [["oracle"], ["empty"]]


def test_with_few_documents_every_output_flags_intervals_and_ranks_follow_point_scores() -> None:
    gold = _gold(4)
    comparison = compare(
        gold, [("empty", _empty(gold)), ("oracle", _oracle(gold))], bootstrap=200, trials=500
    )
    report = comparison.reports["oracle"]
    assert report.to_json()["small_sample"] == small_sample_note(4)
    assert comparison.to_json()["tests"]["groups_by"] == "point_f1"
    # Randomisation over 4 documents cannot go below p = 1/8, so it would tie oracle and empty.
    assert comparison.groups[("entities", "strict")] == [["oracle"], ["empty"]]
    for text in (report_markdown(report), comparison_markdown(comparison)):
        assert "Small sample:** only 4 gold documents, fewer than 10" in text
        assert "]†" in text
    assert "Small sample:</b> only 4 gold documents" in report_html(report)
    assert "Small sample:</b> only 4 gold documents" in comparison_html(comparison)
    assert "ranks by point F1, ties only where it is equal" in comparison_markdown(comparison)
    assert "ranks by point F1, ties only where it is equal" in comparison_html(comparison)


def test_a_perfect_score_has_a_perfect_interval_even_when_some_documents_have_no_items() -> None:
    gold = _gold(3)
    # Documents 1 and 2 lose their quotes: resamples drawing only those have no quote F1 at all.
    gold = [gold[0]] + [Document.from_json({**g.to_json(), "quotes": []}) for g in gold[1:]]
    report = score(gold, _oracle(gold), bootstrap=500)
    assert report.to_json()["tasks"]["quotes"]["content_exact"]["ci95"]["f1"] == [1, 1]


@pytest.mark.parametrize(("documents", "floor"), [(1, 1.0), (2, 0.5), (5, 0.0625), (10, 2**-9)])
def test_randomization_cannot_go_below_its_floor(documents: int, floor: float) -> None:
    assert randomization_floor(documents) == floor


def test_small_sample_note_starts_below_the_threshold() -> None:
    assert small_sample_note(MIN_RELIABLE_DOCUMENTS) is None
    assert small_sample_note(MIN_RELIABLE_DOCUMENTS - 1) is not None


def test_disagreeing_tests_are_explained_and_agreeing_ones_are_not() -> None:
    assert disagreement_note(2, 0.3, 0.6, 0.05) is None
    note = disagreement_note(2, 0.001, 0.5, 0.05)
    assert note is not None and "cannot give p below 0.5000" in note and "point scores" in note
    note = disagreement_note(30, 0.01, 0.2, 0.05)
    assert note is not None and "ranks follow randomisation" in note


def test_a_system_with_nothing_to_score_on_a_metric_is_left_out_of_its_ranking() -> None:
    # Event attributes are judged on matched triggers: the empty system matches none, so they are n/a.
    gold = _gold(MIN_RELIABLE_DOCUMENTS)
    comparison = compare(gold, [("empty", _empty(gold)), ("oracle", _oracle(gold))], bootstrap=0, trials=200)
    assert comparison.reports["empty"].totals[("events", "attribute_polarity")].micro.f1 is None
    assert comparison.groups[("events", "attribute_polarity")] == [["oracle"]]


@pytest.mark.parametrize(
    ("metric", "partial_credit", "credit", "said"),
    [
        ("strict", "half", 0.0, "same span and same type"),
        ("exact", "half", 0.0, "same span"),
        ("type", "half", 1.0, "any overlap earns full credit"),
        ("partial", "half", 0.5, "a partial overlap half credit"),
        ("partial", "graded", 2 * 10 / (14 + 10), "character-overlap F1 with --partial graded"),
    ],
)
def test_entity_mode_descriptions_match_what_the_code_credits(
    metric: str, partial_credit: str, credit: float, said: str
) -> None:
    # Worked example: gold ORG "United Nations" [4, 18), predicted ORG "Nations" [8, 18) (10 of 14 characters).
    text = "The United Nations met in Paris today."
    gold = make_doc(text, mentions=(mention(text, "m1", 4, 18, "ORG"),))
    pred = make_doc(text, mentions=(mention(text, "p1", 8, 18, "ORG"),), system=SystemInfo("s", "1", {}))
    report = score([gold], [pred], bootstrap=0, tasks=("entities",), partial_credit=partial_credit)
    assert report.totals[("entities", metric)].micro.tp == pytest.approx(credit)
    assert said in metric_descriptions()["entities"][metric]


def test_conll_description_matches_the_code_on_nested_mentions() -> None:
    # Worked example: "Bank of England" (ORG) holds "England" (GPE); IOB2 keeps the longer one only.
    text = "The Bank of England raised rates."
    nested = (mention(text, "m1", 4, 19, "ORG"), mention(text, "m2", 12, 19, "GPE"))
    gold = make_doc(text, mentions=nested)
    pred = make_doc(text, mentions=nested, system=SystemInfo("s", "1", {}))
    report = score([gold], [pred], bootstrap=0, tasks=("entities",))
    conll = report.totals[("entities", "conll")]
    assert (conll.micro.pos, conll.micro.act, list(conll.per_label)) == (1, 1, ["ORG"])
    assert report.totals[("entities", "strict")].micro.pos == 2
    dropped = report.to_json()["left_out"]["entities.conll"]
    assert (dropped["gold"], dropped["predicted"], dropped["per_document"]) == (
        1,
        1,
        {"d1": {"gold": 1, "predicted": 1}},
    )
    (note,) = [text for title, text in caveats(report) if title == "Left out of entities.conll"]
    assert note.endswith("by document (gold/predicted): d1 1/1")
    assert (
        "only the longest is kept and the others are left out" in metric_descriptions()["entities"]["conll"]
    )


def test_metrics_are_listed_in_task_then_catalog_order_and_unknown_ones_last() -> None:
    keys = [("quotes", "cue"), ("entities", "conll"), ("events", "trigger_identification")]
    keys += [("entities", "strict"), ("entities", "zz-new"), ("other", "a")]
    assert sorted(keys, key=lambda k: display_key(*k)) == [
        ("entities", "strict"),
        ("entities", "conll"),
        ("entities", "zz-new"),
        ("events", "trigger_identification"),
        ("quotes", "cue"),
        ("other", "a"),
    ]


def test_a_comparison_names_whose_predictions_the_conll_view_left_out() -> None:
    text = "The Bank of England raised rates."
    nested = (mention(text, "m1", 4, 19, "ORG"), mention(text, "m2", 12, 19, "GPE"))
    gold = make_doc(text, mentions=nested)
    both = make_doc(text, mentions=nested, system=SystemInfo("both", "1", {}))
    outer = make_doc(text, mentions=nested[:1], system=SystemInfo("outer", "1", {}))
    comparison = compare([gold], [("both", [both]), ("outer", [outer])], bootstrap=0, tasks=("entities",))
    found = dict(comparison_caveats(comparison))
    assert found["Left out of entities.conll (both)"].startswith("1 of 2 gold and 1 of 2 predicted")
    assert found["Left out of entities.conll (outer)"].startswith("1 of 2 gold and 0 of 1 predicted")
    assert "Left out of entities.conll" not in found
