"""Error analysis: confusion matrices, one errors.jsonl record per error, per-type and per-document tables,
and the report page's error browser, each against hand-counted expectations."""

from __future__ import annotations

import json
import re

import pytest
from docfactory import valid_document
from evalfactory import prediction
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from scoring_helpers import event, find, gold_doc, mention, pred_doc, quote

from newsbench.eval import score
from newsbench.eval.metrics.confusion import Cell, Confusion, _group_cells, span_confusion
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.browser import document_quota, embedded_errors
from newsbench.eval.report.errors import (
    LAYERS,
    REASONS,
    corpus_errors,
    document_errors,
    errors_jsonl,
    sentence_around,
)
from newsbench.eval.report.html import report_html
from newsbench.eval.report.markdown import report_markdown
from newsbench.model import Document
from newsbench.ontology import schema_json
from newsbench.problems import NewsbenchError

TEXT = "Ann Lee met Bob Stone in Paris. Acme Corp sued Zed Inc on Monday. Then Ann flew to Rome."
ANN, BOB, PARIS = find(TEXT, "Ann Lee"), find(TEXT, "Bob Stone"), find(TEXT, "Paris")
ACME, ZED, ROME = find(TEXT, "Acme Corp"), find(TEXT, "Zed Inc"), find(TEXT, "Rome")

GOLD = gold_doc(
    TEXT,
    mentions=(
        mention(TEXT, "g1", ANN, "PER"),
        mention(TEXT, "g2", BOB, "PER"),
        mention(TEXT, "g3", PARIS, "GPE"),
        mention(TEXT, "g4", ACME, "ORG"),
        mention(TEXT, "g5", ZED, "ORG"),
    ),
)
# Ann Lee: right span, wrong type (ORG); Bob Stone: right; Paris: missed; Acme Corp: "Acme" only, right type;
# Zed Inc: right span, wrong type (PER); Rome: spurious LOC.
PRED = pred_doc(
    GOLD,
    mentions=(
        mention(TEXT, "p1", ANN, "ORG"),
        mention(TEXT, "p2", BOB, "PER"),
        mention(TEXT, "p4", find(TEXT, "Acme"), "ORG"),
        mention(TEXT, "p5", ZED, "PER"),
        mention(TEXT, "p6", ROME, "LOC"),
    ),
)


def test_span_confusion_pairs_same_labels_first_within_one_span() -> None:
    gold = [((0, 3), "PER"), ((0, 3), "ORG"), ((5, 8), "GPE")]
    assert span_confusion(gold, [((0, 3), "ORG"), ((0, 3), "LOC")]) == {
        ("ORG", "ORG"): 1,
        ("PER", "LOC"): 1,
        ("GPE", None): 1,
    }


def test_span_confusions_of_two_documents_share_their_cells() -> None:
    one = span_confusion([((0, 3), "PER")], [((0, 3), "ORG")])
    two = span_confusion([((4, 9), "PER")], [((4, 9), "ORG")])
    (cell,) = one
    (other,) = two
    assert cell == other == ("PER", "ORG") and cell is other


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from("ABC")), max_size=10),
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from("ABC")), max_size=10),
)
def test_span_confusion_counts_each_span_as_its_group_of_items_would(
    gold: list[tuple[int, str]], pred: list[tuple[int, str]]
) -> None:
    groups: dict[int, tuple[list[str], list[str]]] = {}
    for side, items in enumerate((gold, pred)):
        for where, label in items:
            groups.setdefault(where, ([], []))[side].append(label)
    expected: dict[Cell, int] = {}
    for golds, preds in groups.values():
        for cell in _group_cells(golds, preds):
            expected[cell] = expected.get(cell, 0) + 1
    assert list(span_confusion(gold, pred).items()) == list(expected.items())


def test_entity_confusion_matrix_by_hand() -> None:
    report = score([GOLD], [PRED], bootstrap=0, tasks=("entities",))
    matrix = report.to_json()["confusion"]["entities"]
    assert matrix["cells"] == {"ORG": {"PER": 1}, "PER": {"ORG": 1, "PER": 1}}
    # Paris is missed; Acme Corp vs "Acme" is a boundary error: missed plus spurious, not a confusion.
    assert matrix["missed"] == {"GPE": 1, "ORG": 1}
    assert matrix["spurious"] == {"LOC": 1, "ORG": 1}
    assert (matrix["gold_labels"], matrix["predicted_labels"]) == (
        ["GPE", "ORG", "PER"],
        ["LOC", "ORG", "PER"],
    )
    strict = report.to_json()["tasks"]["entities"]["strict"]["per_type"]
    for label, row in strict.items():
        in_row = sum(matrix["cells"].get(label, {}).values()) + matrix["missed"].get(label, 0)
        assert in_row == row["gold"], label
        assert matrix["cells"].get(label, {}).get(label, 0) == row["cor"], label


def test_trigger_confusion_matrix_by_hand() -> None:
    text = "Acme attacked Springfield and later hit Shelbyville."
    gold = gold_doc(
        text,
        events=(
            event(text, "e1", "Conflict.Attack", find(text, "attacked")),
            event(text, "e2", "Conflict.Attack", find(text, "hit")),
        ),
    )
    pred = pred_doc(gold, events=(event(text, "p1", "Life.Die", find(text, "attacked")),))
    matrix = score([gold], [pred], bootstrap=0, tasks=("events",)).to_json()["confusion"]["events"]
    assert matrix["cells"] == {"Conflict.Attack": {"Life.Die": 1}}
    assert (matrix["missed"], matrix["spurious"]) == ({"Conflict.Attack": 1}, {})


def test_confusion_rows_put_missed_last_and_spurious_below() -> None:
    header, rows = Confusion.of([("A", "A"), ("A", "B"), ("A", None), (None, "B")]).rows()
    assert header == ["A", "B", "missed"]
    assert rows == [["A", 1, 1, 1], ["B", 0, 0, 0], ["spurious", 0, 1, 0]]


def _records() -> list[dict[str, object]]:
    result = score_document(GOLD, PRED, ScoreOptions(tasks=("entities",)), collect_errors=True)
    return document_errors(result, TEXT)


def test_each_error_is_one_record_listing_the_metrics_it_affects() -> None:
    found = {(r["reason"], (r["gold"] or r["pred"])["text"]): r for r in _records()}  # type: ignore[index]
    assert sorted(found) == [
        ("missed", "Paris"),
        ("span", "Acme Corp"),
        ("spurious", "Rome"),
        ("type", "Ann Lee"),
        ("type", "Zed Inc"),
    ]
    assert found["missed", "Paris"]["metrics"] == ["strict", "exact", "type", "partial"]
    assert found["spurious", "Rome"]["metrics"] == ["strict", "exact", "type", "partial"]
    assert found["type", "Ann Lee"]["metrics"] == ["strict", "type"]
    span = found["span", "Acme Corp"]
    assert span["metrics"] == ["strict", "exact", "partial"] and span["credit"] == 0.5
    assert span["pred"]["text"] == "Acme"  # type: ignore[index]
    assert found["type", "Ann Lee"]["context"] == {
        "start": 0,
        "end": 31,
        "text": "Ann Lee met Bob Stone in Paris.",
    }
    assert found["spurious", "Rome"]["type"] == "LOC" and found["missed", "Paris"]["type"] == "GPE"
    # The scorer saw 4 + 4 + 2 + 2 + 3 per-metric errors; the file lists 5.
    result = score_document(GOLD, PRED, ScoreOptions(tasks=("entities",)), collect_errors=True)
    assert len(result.errors) == 15


def test_argument_errors_carry_role_and_event_and_count_once() -> None:
    text = "Acme attacked Springfield on Monday."
    mentions = (
        mention(text, "acme", find(text, "Acme"), "ORG"),
        mention(text, "spr", find(text, "Springfield"), "GPE"),
    )
    gold = gold_doc(
        text,
        mentions=mentions,
        events=(
            event(
                text,
                "e1",
                "Conflict.Attack",
                find(text, "attacked"),
                [("Attacker", "acme"), ("Target", "spr")],
            ),
        ),
    )
    pred = pred_doc(
        gold,
        mentions=mentions,
        events=(
            event(
                text, "p1", "Conflict.Attack", find(text, "attacked"), [("Target", "acme"), ("Target", "spr")]
            ),
        ),
    )
    records = document_errors(score_document(gold, pred, ScoreOptions(tasks=("events",)), True), text)
    [role] = [r for r in records if r["layer"] == "arguments"]
    assert role["reason"] == "role" and role["type"] == "Attacker"
    assert role["metrics"] == ["argument_classification", "argument_classification_attached"]
    assert role["gold"]["role"] == "Attacker" and role["pred"]["role"] == "Target"  # type: ignore[index]
    assert role["gold"]["event"]["text"] == "attacked"  # type: ignore[index]
    assert role["gold"]["event"]["type"] == "Conflict.Attack"  # type: ignore[index]


def test_a_wrong_speaker_is_one_error_of_speaker_and_end_to_end() -> None:
    text = "Ann said: “We will win,” and Bob nodded."
    ann, bob = mention(text, "ann", find(text, "Ann")), mention(text, "bob", find(text, "Bob"))
    content = find(text, "We will win,")
    gold = gold_doc(text, mentions=(ann, bob), quotes=(quote(text, "q1", content, speaker="ann"),))
    pred = pred_doc(gold, mentions=(ann, bob), quotes=(quote(text, "q1", content, speaker="bob"),))
    records = document_errors(score_document(gold, pred, ScoreOptions(tasks=("quotes",)), True), text)
    assert [(r["reason"], r["metrics"]) for r in records] == [("speaker", ["speaker", "end_to_end"])]


def test_corpus_errors_are_the_documents_records_in_order() -> None:
    options = ScoreOptions(tasks=("entities",))
    results = [score_document(GOLD, PRED, options, True), score_document(GOLD, GOLD, options, True)]
    assert corpus_errors(results, [TEXT, TEXT]) == document_errors(results[0], TEXT)
    report = score([GOLD], [PRED], bootstrap=0, tasks=("entities",))
    assert report.error_records == document_errors(results[0], TEXT)


def test_sentence_context_skips_abbreviations() -> None:
    text = "Pentagon spokesman Maj. Gen. Pat Ryder said the U.S. struck. Next one."
    start, end = find(text, "Ryder")
    begin, finish = sentence_around(text, start, end)
    assert text[begin:finish] == "Pentagon spokesman Maj. Gen. Pat Ryder said the U.S. struck."


def test_per_document_figures_by_hand() -> None:
    data = score([GOLD, gold_doc(TEXT, doc_id="d2")], [PRED], bootstrap=0, tasks=("entities",)).to_json()
    assert data["per_document"]["metrics"] == {"entities": "strict"}
    # strict: Bob Stone only: tp 1 of 5 gold and 5 predicted.
    assert data["per_document"]["documents"]["d1"]["entities"] == {
        "precision": 0.2,
        "recall": 0.2,
        "f1": 0.2,
        "gold": 5,
        "predicted": 5,
    }
    empty = data["per_document"]["documents"]["d2"]["entities"]
    assert empty == {"precision": None, "recall": None, "f1": None, "gold": 0, "predicted": 0}


def test_markdown_has_one_per_type_table_per_task_the_confusion_and_the_documents() -> None:
    md = report_markdown(score([GOLD], [PRED], bootstrap=0, tasks=("entities",)))
    assert md.count("## entities by type: strict (%)") == 1
    assert (
        "| type | P (%) | R (%) | F1 (%) | F1 95% CI (%) | gold | counted | exact F1 (%) | type F1 (%) | partial F1 (%) | conll F1 (%) |"
        in md
    )
    assert "| gold | GPE | LOC | ORG | PER | missed |" in md
    assert "| spurious | 0 | 1 | 1 | 0 | 0 |" in md
    assert "## Per document (%)" in md and "| d1 | 20.00 | 5 | 5 |" in md


def test_document_quota_is_fair_and_bounded() -> None:
    assert document_quota([3, 4], 10) is None
    assert document_quota([100, 2, 5], 20) == 13  # 13 + 2 + 5 = 20
    records = [
        {
            "doc_id": d,
            "layer": "entities",
            "reason": "missed",
            "type": "PER",
            "metrics": [],
            "detail": "",
            "gold": None,
            "pred": None,
        }
        for d in ["a"] * 30 + ["b"] * 3
    ]
    embedded = embedded_errors(records, limit=10)
    assert (len(embedded.records), embedded.total, embedded.per_document) == (10, 33, 7)


def test_a_page_of_more_documents_with_errors_than_it_holds_shows_the_first_error_of_the_first_ones() -> None:
    records = [
        {
            "doc_id": f"d{n:02}",
            "layer": "entities",
            "reason": "missed",
            "type": "PER",
            "metrics": [],
            "detail": str(i),
            "gold": None,
            "pred": None,
        }
        for n in range(12)
        for i in range(3)
    ]
    embedded = embedded_errors(records, limit=10)
    assert [(r["d"], r["x"]) for r in embedded.records] == [(f"d{n:02}", "0") for n in range(10)]
    assert (embedded.total, embedded.per_document, embedded.documents) == (36, 1, 10)


def test_report_page_embeds_the_errors_as_json_with_filters() -> None:
    report = score([GOLD], [PRED], bootstrap=0, tasks=("entities",))
    page = report_html(report)
    found = re.search(r'<script type="application/json" id="error-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert len(data) == len(report.error_records) == 5
    assert {e["r"] for e in data} == {"missed", "spurious", "type", "span"}
    for key in ("d", "l", "r", "y", "m"):
        assert f'<select data-key="{key}">' in page
    assert "All 5 errors are here" in page
    assert page.count("<svg") == 1  # one chart per task


def test_every_errors_jsonl_line_follows_its_schema() -> None:
    golds = [valid_document(f"doc-{i}") for i in range(3)]
    preds = [
        prediction(g, frozenset({"m4"}) if i else frozenset(), quotes=i != 1) for i, g in enumerate(golds)
    ]
    report = score(
        [Document.from_json(g) for g in golds], [Document.from_json(p) for p in preds], bootstrap=0
    )
    records = report.error_records + _records()
    assert records
    schema = schema_json("errors.schema.json")
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for line in errors_jsonl(records).splitlines():
        validator.validate(json.loads(line))
    properties = schema["properties"]
    assert (tuple(properties["layer"]["enum"]), tuple(properties["reason"]["enum"])) == (LAYERS, REASONS)


def test_types_option_scores_only_those_types_on_both_sides() -> None:
    report = score([GOLD], [PRED], bootstrap=0, tasks=("entities",), types=("PER",))
    strict = report.to_json()["tasks"]["entities"]["strict"]["micro"]
    # Gold PER: Ann Lee, Bob Stone; predicted PER: Bob Stone, Zed Inc. Ann Lee's ORG prediction is not scored.
    assert (strict["tp"], strict["gold"], strict["predicted"]) == (1, 2, 2)
    assert "|kinds:NAM|types:PER|match:optimal|" in report.signature
    assert report.to_json()["options"]["types"] == ["PER"]
    assert "**Types scored:** only PER" in report_markdown(report)
    everything = score([GOLD], [PRED], bootstrap=0, tasks=("entities",), types=("direct",))
    assert everything.to_json()["tasks"]["entities"]["strict"]["micro"]["gold"] == 5  # names no entity type


def test_an_unknown_type_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(NewsbenchError, match=r"unknown type Person: types are entity types \(PER, ORG"):
        score([GOLD], [PRED], bootstrap=0, types=("Person",))


def test_a_confusion_table_has_a_missed_column_and_a_spurious_row_only_when_needed() -> None:
    header, rows = Confusion.of([("PER", "PER"), (None, "ORG")]).rows()
    assert header == ["ORG", "PER"]
    assert rows == [["ORG", 0, 0], ["PER", 0, 1], ["spurious", 1, 0]]
    header, rows = Confusion.of([("PER", "PER"), ("PER", None)]).rows()
    assert (header, rows) == (["PER", "missed"], [["PER", 1, 1]])


def test_nested_confusion_cells_are_sorted_by_gold_then_predicted_label() -> None:
    nested = Confusion.of([("B", "A"), ("A", "B"), ("A", "A"), ("B", None)]).nested()
    assert [(g, list(row)) for g, row in nested.items()] == [("A", ["A", "B"]), ("B", ["A"])]
