"""Validation reports every problem with file, document id and JSON path; bad input never raises a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docfactory import TEXT, span, valid_document

from newsbench.cli import main
from newsbench.formats.output import safe_doc_id
from newsbench.validate import validate_data

Doc = dict[str, Any]


def test_the_factory_document_is_valid() -> None:
    assert validate_data(valid_document(), "f.json") == []


def _offset_past_end(d: Doc) -> None:
    d["mentions"][0]["spans"][0]["end"] = len(TEXT) + 5


def _text_mismatch(d: Doc) -> None:
    d["mentions"][2]["spans"][0]["text"] = "Acne"


def _dangling_entity_member(d: Doc) -> None:
    d["entities"][1]["mentions"].append("m99")


def _dangling_speaker(d: Doc) -> None:
    d["quotes"][0]["speaker"] = "e1"


def _wrong_role(d: Doc) -> None:
    d["events"][0]["arguments"][0]["role"] = "Victim"


def _path_like_id(d: Doc) -> None:
    d["id"] = "../etc/passwd"


def _unknown_type(d: Doc) -> None:
    d["mentions"][1]["type"] = "DATE"


def _duplicate_id(d: Doc) -> None:
    d["mentions"][1]["id"] = "m1"


def _mixed_entity_types(d: Doc) -> None:
    d["entities"][0]["mentions"].append("m3")


def _direct_quote_without_marks(d: Doc) -> None:
    d["quotes"][0]["type"] = "direct"


def _indirect_quote_inside_marks(d: Doc) -> None:
    d["quotes"][1]["type"] = "indirect"


def _span_crosses_ignore(d: Doc) -> None:
    d["mentions"][3]["spans"] = [span(TEXT, "said.\r\nCLICK")]


def _discontinuous_out_of_order(d: Doc) -> None:
    d["mentions"][0]["spans"] = [span(TEXT, "Li"), span(TEXT, "Zoe\u0301")]


def _missing_required(d: Doc) -> None:
    del d["events"][0]["trigger"]


@pytest.mark.parametrize(
    ("breaker", "path", "words"),
    [
        (_offset_past_end, "$.mentions[0].spans[0]", "not inside the text"),
        (_text_mismatch, "$.mentions[2].spans[0].text", "differs from the text"),
        (_dangling_entity_member, "$.entities[1].mentions[1]", "no such id"),
        (_dangling_speaker, "$.quotes[0].speaker", "must be the id of an item in mentions"),
        (_wrong_role, "$.events[0].arguments[0].role", "not allowed for Conflict.Attack"),
        (_path_like_id, "$.id", "safe as a file name"),
        (_unknown_type, "$.mentions[1].type", "expected one of: PER"),
        (_duplicate_id, "$.mentions[1].id", "more than once"),
        (_mixed_entity_types, "$.entities[0].mentions[3]", "has type ORG"),
        (_direct_quote_without_marks, "$.quotes[0].content[0]", "opening quotation mark"),
        (_indirect_quote_inside_marks, "$.quotes[1].content[0]", "enclosed in quotation marks"),
        (_span_crosses_ignore, "$.mentions[3].spans[0]", "crosses the ignore region"),
        (_discontinuous_out_of_order, "$.mentions[0].spans[1]", "text order"),
        (_missing_required, "$.events[0]", "'trigger' is a required property"),
    ],
)
def test_each_broken_document_is_reported_at_its_json_path(
    breaker: Callable[[Doc], None], path: str, words: str
) -> None:
    doc = valid_document()
    breaker(doc)
    problems = validate_data(doc, "broken.json")
    assert any(p.path == path and words in p.message for p in problems), problems
    assert all(p.file == "broken.json" for p in problems)
    assert all(p.doc_id == doc["id"] for p in problems)


def test_every_problem_is_reported_at_once() -> None:
    doc = valid_document()
    for breaker in (_offset_past_end, _wrong_role, _dangling_speaker):
        breaker(doc)
    paths = {p.path for p in validate_data(doc, "f.json")}
    assert {"$.mentions[0].spans[0]", "$.events[0].arguments[0].role", "$.quotes[0].speaker"} <= paths


def test_a_quote_running_over_paragraphs_may_end_at_the_paragraph_end() -> None:
    text = "“First paragraph\n“Second one.”"
    doc: Doc = {"schema_version": "1.0", "id": "q", "text": text}
    doc["quotes"] = [
        {
            "id": "q1",
            "type": "direct",
            "content": [span(text, "First paragraph"), span(text, "Second one.")],
            "speaker": None,
        }
    ]
    assert validate_data(doc, "f.json") == []


def _one_quote(text: str, content: str, kind: str = "direct") -> Doc:
    return {
        "schema_version": "1.0",
        "id": "q",
        "text": text,
        "quotes": [{"id": "q1", "type": kind, "content": [span(text, content)], "speaker": None}],
    }


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # a statement set off as its own paragraph after "said:" (guideline 8.3)
        ("The minister said:\n\nThe attack was a horrific act.", "The attack was a horrific act."),
        # a transcript turn after the speaker's label
        ("SECRETARY KERRY: We obviously talked.", "We obviously talked."),
        # Penn Treebank quotation marks kept by tokenised sources
        ("He said ``we are ready.''", "we are ready."),
        # white space just inside the marks stays outside the content
        ('He said " We love it. "', "We love it."),
    ],
)
def test_direct_quotes_without_curly_marks_that_the_guidelines_allow_are_valid(
    text: str, content: str
) -> None:
    assert validate_data(_one_quote(text, content), "f.json") == []


def test_a_block_quotation_must_be_direct() -> None:
    doc = _one_quote("The minister said:\n\nThe attack was horrific.", "The attack was horrific.", "mixed")
    assert any("opening quotation mark" in p.message for p in validate_data(doc, "f.json"))


def _write(tmp: Path, name: str, content: bytes) -> Path:
    path = tmp / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b'{"id": ', "malformed JSON"),
        (b"\xff\xfe\x00{", "not UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_unreadable_files_exit_1_with_a_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: str
) -> None:
    path = _write(tmp_path, "bad.json", content)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert words in err
    assert str(path) in err
    assert "Traceback" not in err


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsbench import jsonio

    path = _write(tmp_path, "big.json", json.dumps(valid_document()).encode())
    original = jsonio.MAX_FILE_BYTES
    try:
        jsonio.read_json_bytes.__defaults__ = (100,)
        assert main(["validate", str(path)]) == 1
    finally:
        jsonio.read_json_bytes.__defaults__ = (original,)
    assert "over the limit" in capsys.readouterr().err


def test_validate_names_file_document_and_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = valid_document("broken-doc")
    _wrong_role(doc)
    path = _write(tmp_path, "d.json", json.dumps(doc, ensure_ascii=False).encode())
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: document broken-doc: $.events[0].arguments[0].role:" in err


def test_validate_accepts_a_valid_folder(tmp_path: Path) -> None:
    _write(tmp_path, "a.json", json.dumps(valid_document("a")).encode())
    _write(tmp_path, "b.json", json.dumps(valid_document("b")).encode())
    assert main(["validate", str(tmp_path)]) == 0


def test_validate_refuses_two_documents_with_one_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "a.json", json.dumps(valid_document("same")).encode())
    _write(tmp_path, "b.json", json.dumps(valid_document("same")).encode())
    assert main(["validate", str(tmp_path)]) == 1
    assert "same id is also used" in capsys.readouterr().err


@pytest.mark.parametrize("doc_id", ["CON", "nul", "LPT1", "COM1", "CON.txt", "d1."])
def test_ids_a_file_system_cannot_hold_are_refused_as_add_refuses_them(doc_id: str) -> None:
    doc = valid_document()
    doc["id"] = doc_id
    problems = validate_data(doc, "f.json")
    assert [(p.path, p.doc_id) for p in problems] == [("$.id", doc_id)]
    assert "names a file" in problems[0].message


def test_an_imported_id_made_from_a_file_name_is_one_validate_accepts() -> None:
    made = {name: safe_doc_id(name) for name in ("CON", "nul.txt", "report 3.", "a..", "...", "LPT1.tsv")}
    assert made == {
        "CON": "doc-CON",
        "nul.txt": "doc-nul.txt",
        "report 3.": "report_3",
        "a..": "a",
        "...": "document",
        "LPT1.tsv": "doc-LPT1.tsv",
    }
    for doc_id in made.values():
        doc = valid_document()
        doc["id"] = doc_id
        assert validate_data(doc, "f.json") == []
