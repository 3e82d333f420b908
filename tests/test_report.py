"""report.json, report.md, report.html and errors.jsonl: stable bytes, schema, notes, escaping."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docfactory import span, valid_document
from evalfactory import prediction
from jsonschema import Draft202012Validator

from newsbench.eval import Report, compare, score
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.report.errors import errors_jsonl, sorted_errors
from newsbench.eval.report.html import report_html
from newsbench.eval.report.markdown import report_markdown
from newsbench.eval.report.report import number
from newsbench.eval.report.write import write_comparison, write_report
from newsbench.model import Document
from newsbench.ontology import schema_json

SCRIPT_TEXT = 'Officials said <script>alert("x")</script> was posted by Acme & Sons on Monday.'


def _corpus(n: int) -> tuple[list[Document], list[Document]]:
    golds = [valid_document(f"doc-{i}") for i in range(n)]
    drops = [frozenset({"m4"}) if i % 2 else frozenset() for i in range(n)]
    return (
        [Document.from_json(g) for g in golds],
        [
            Document.from_json(prediction(g, d, quotes=i % 3 != 0))
            for i, (g, d) in enumerate(zip(golds, drops, strict=True))
        ],
    )


def _script_doc(with_mentions: bool) -> Document:
    doc: dict[str, Any] = {"schema_version": "1.0", "id": "script", "text": SCRIPT_TEXT}
    if with_mentions:
        doc["mentions"] = [
            {
                "id": "m1",
                "spans": [span(SCRIPT_TEXT, '<script>alert("x")</script>')],
                "type": "ORG",
                "kind": "NAM",
            },
            {"id": "m2", "spans": [span(SCRIPT_TEXT, "Acme & Sons")], "type": "ORG", "kind": "NAM"},
        ]
    else:
        doc["system"] = {"name": "<b>sys</b>", "version": "1", "config": {}}
    return Document.from_json(doc)


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema_json("report.schema.json"))


def test_report_schema_passes_the_metaschema() -> None:
    Draft202012Validator.check_schema(schema_json("report.schema.json"))


@pytest.mark.parametrize("n_docs", [1, 2, 5])
def test_reports_validate_against_the_schema(n_docs: int) -> None:
    gold, pred = _corpus(n_docs)
    _validator().validate(score(gold, pred, bootstrap=100).to_json())


def test_report_with_suite_and_options_validates() -> None:
    gold, pred = _corpus(3)
    report = score(gold, pred, suite_hash="f" * 64, mention_kinds=("NAM", "PRO"), overlap=0.5, bootstrap=0)
    _validator().validate(report.to_json())
    assert report.signature.endswith("|suite:sha256=" + "f" * 64)


def test_rescoring_gives_byte_identical_reports_whatever_the_input_order(tmp_path: Path) -> None:
    gold, pred = _corpus(6)
    first = score(gold, pred)
    shuffled_gold, shuffled_pred = gold[:], pred[:]
    random.Random(4).shuffle(shuffled_gold)
    random.Random(5).shuffle(shuffled_pred)
    again = score(shuffled_gold, shuffled_pred)
    write_report(first, tmp_path / "a")
    write_report(again, tmp_path / "b")
    for name in ("report.json", "report.md", "report.html", "errors.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_fixed_key_paths_are_present() -> None:
    gold, pred = _corpus(3)
    tasks = score(gold, pred, bootstrap=100).to_json()["tasks"]
    for mode in ("strict", "exact", "type", "partial"):
        entry = tasks["entities"][mode]
        assert set(entry["micro"]) >= {
            "precision",
            "recall",
            "f1",
            "tp",
            "fp",
            "fn",
            "cor",
            "inc",
            "par",
            "mis",
            "spu",
        }
        assert set(entry["macro"]) == {"precision", "recall", "f1", "labels"}
        assert len(entry["ci95"]["f1"]) == 2
        assert entry["per_type"]["PER"]["ci95"]["f1"] is not None
    assert "f1" in tasks["entities"]["conll"]["micro"]
    for metric in (
        "trigger_identification",
        "trigger_classification",
        "argument_identification",
        "argument_classification",
    ):
        assert "f1" in tasks["events"][metric]["micro"]
    for metric in ("content_exact", "content_overlap", "cue", "speaker", "end_to_end"):
        assert "f1" in tasks["quotes"][metric]["micro"]
    assert "Attacker" in tasks["events"]["argument_classification"]["per_role"]


def test_hand_counted_entity_scores() -> None:
    # 3 documents with 5 named mentions each; doc-1 misses Springfield (m4): tp 14, gold 15, predicted 14.
    gold, pred = _corpus(3)
    micro = score(gold, pred, bootstrap=0).to_json()["tasks"]["entities"]["strict"]["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"], micro["gold"], micro["predicted"]) == (14, 0, 1, 15, 14)
    assert (micro["precision"], micro["recall"], micro["f1"]) == (1, number(14 / 15), number(28 / 29))
    assert (micro["cor"], micro["mis"], micro["spu"]) == (14, 1, 0)


def test_one_gold_document_gives_a_degenerate_note_and_no_intervals() -> None:
    gold, pred = _corpus(1)
    report = score(gold, pred)
    data = report.to_json()
    assert data["degenerate"] is not None and "one gold document" in data["degenerate"]
    assert data["tasks"]["entities"]["strict"]["ci95"]["f1"] is None
    assert data["tasks"]["entities"]["strict"]["per_type"]["PER"]["ci95"]["f1"] is None
    assert "No confidence intervals" in report_markdown(report)


def test_two_documents_give_intervals_and_no_note() -> None:
    gold, pred = _corpus(2)
    data = score(gold, pred, bootstrap=100).to_json()
    assert data["degenerate"] is None
    assert data["tasks"]["entities"]["strict"]["ci95"]["f1"] is not None


def test_zero_divisions_are_null_not_zero_and_listed() -> None:
    gold, pred = _corpus(1)  # doc-0's prediction has no quotes (i % 3 == 0)
    data = score(gold, pred, bootstrap=0).to_json()
    assert data["tasks"]["quotes"]["content_exact"]["micro"]["precision"] is None
    assert data["tasks"]["quotes"]["content_exact"]["micro"]["recall"] == 0
    assert "quotes.content_exact.micro.precision" in data["zero_division"]
    assert "quotes.content_exact.micro.recall" not in data["zero_division"]
    assert "NaN" not in json.dumps(data)


def test_missing_predictions_count_as_empty_and_are_listed() -> None:
    gold, pred = _corpus(3)
    data = score(gold, pred[:2], bootstrap=0).to_json()
    assert data["documents"] == {"gold": 3, "predicted": 2, "missing_predictions": ["doc-2"]}
    assert data["tasks"]["entities"]["strict"]["micro"]["fn"] == 1 + 5


@pytest.mark.parametrize(
    ("value", "expected"), [(-0.0, 0), (1.0, 1), (0.1234567, 0.123457), (2 / 3, 0.666667), (3.5, 3.5)]
)
def test_numbers_are_rounded_to_six_decimals_and_whole_numbers_are_integers(
    value: float, expected: float
) -> None:
    got = number(value)
    assert got == expected and type(got) is type(expected)


def _script_report() -> Report:
    return score([_script_doc(True)], [_script_doc(False)], bootstrap=0)


def test_html_escapes_document_text_and_names() -> None:
    report = _script_report()
    html = report_html(report)
    # Two scripts, both the page's own: the error data (JSON) and the error browser. The document's text
    # reaches neither as markup: tojson writes "<" as \u003c, so nothing can close the data block.
    assert html.lower().count("<script") == 2
    assert '<script type="application/json" id="error-data">' in html
    assert "<script>alert" not in html and "\\u003cscript\\u003ealert" in html
    data = html.split('id="error-data">', 1)[1].split("</script>", 1)[0]
    texts = {e["g"]["t"] for e in json.loads(data)}
    assert texts == {'<script>alert("x")</script>', "Acme & Sons"}


def test_errors_are_sorted_stably_and_list_the_misses() -> None:
    report = _script_report()
    lines = [json.loads(line) for line in errors_jsonl(report.errors).splitlines()]
    strict = [e for e in lines if e["metric"] == "strict"]
    assert [e["gold"]["text"] for e in strict] == ['<script>alert("x")</script>', "Acme & Sons"]
    assert {e["kind"] for e in strict} == {"FN"}
    shuffled = report.errors[:]
    random.Random(1).shuffle(shuffled)
    assert sorted_errors([DocResult("script", errors=shuffled)]) == report.errors


def test_markdown_has_the_signature_and_the_score_table() -> None:
    gold, pred = _corpus(3)
    report = score(gold, pred, bootstrap=100)
    md = report_markdown(report)
    assert f"Signature: `{report.signature}`" in md
    assert "| entities | strict | 100.00 | 93.33 | 96.55 |" in md
    assert "## entities by type: strict (%)" in md


def _browser_dom(page: Path) -> str:
    """The page's DOM after a headless Chromium loaded it; fails on a crash or any console message."""
    run = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "CONSOLE" not in run.stderr, run.stderr
    return run.stdout


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)"
)
def test_report_and_comparison_pages_render_in_a_headless_browser(tmp_path: Path) -> None:
    report = _script_report()
    write_report(report, tmp_path)
    dom = _browser_dom(tmp_path / "report.html")
    assert "newsbench score report" in dom and "<svg" in dom
    assert dom.lower().count("<script") == 2 and "<script>alert" not in dom
    assert "&lt;script&gt;" in dom
    # The error browser ran: it lists both missed mentions, the document's text shown as text.
    assert "2 of 2 errors match" in dom
    assert '<span class="g">&lt;script&gt;alert("x")&lt;/script&gt;</span>' in dom
    # A filter narrows the list: choose one document (a script run after the page's own).
    gold, pred = _corpus(2)
    two = score(gold, pred, bootstrap=0)
    write_report(two, tmp_path / "two")
    page = (tmp_path / "two" / "report.html").read_text(encoding="utf-8")
    choose = (
        '<script>var s = document.querySelector("select[data-key=d]"); s.value = "doc-1"; '
        's.dispatchEvent(new Event("change"));</script></body>'
    )
    (tmp_path / "filtered.html").write_text(page.replace("</body>", choose), encoding="utf-8")
    dom = _browser_dom(tmp_path / "filtered.html")
    in_doc = sum(r["doc_id"] == "doc-1" for r in two.error_records)
    assert 0 < in_doc < len(two.error_records)
    assert f"{in_doc} of {len(two.error_records)} errors match" in dom
    gold, pred = _corpus(4)
    write_comparison(
        compare(gold, [("<b>base</b>", gold), ("other", pred)], trials=200, bootstrap=50), tmp_path
    )
    dom = _browser_dom(tmp_path / "comparison.html")
    assert "newsbench comparison" in dom and "<svg" in dom
    assert "<b>base</b>" not in dom and "&lt;b&gt;base&lt;/b&gt;" in dom
