"""Reading documents never ends in a traceback, and offsets are whole numbers everywhere.

Each hostile input gives exit status 1 and one line naming the file, the document id (where there is one)
and the JSON path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from docfactory import valid_document

from newsbench.cli import main
from newsbench.jsonio import read_json_lines_at
from newsbench.model import Document
from newsbench.problems import NewsbenchError
from newsbench.spans import is_offset
from newsbench.validate import validate_data


def _run_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error:")]


def _document_text(**change: Any) -> str:
    return json.dumps(valid_document() | change, ensure_ascii=False)


def test_is_offset_accepts_ints_only() -> None:
    assert is_offset(0) and is_offset(99)
    assert not is_offset(0.0) and not is_offset(99.0) and not is_offset(True) and not is_offset("1")


@pytest.mark.parametrize("value", [0.0, 4.0, 3.5])
def test_float_offsets_are_refused_in_gold_and_predictions(value: float) -> None:
    for prediction in (False, True):
        doc = valid_document()
        doc["mentions"][0]["spans"][0]["start"] = value
        problems = validate_data(doc, "f.json", prediction=prediction)
        paths = [p.path for p in problems]
        assert "$.mentions[0].spans[0].start" in paths, problems
        assert any("not an integer" in p.message for p in problems)


def test_boolean_offsets_are_refused() -> None:
    doc = valid_document()
    doc["events"][0]["trigger"]["end"] = True
    assert any(p.path.startswith("$.events[0].trigger") for p in validate_data(doc, "f.json"))


def test_the_model_never_coerces_a_float_offset() -> None:
    doc = valid_document()
    doc["mentions"][0]["spans"][0]["end"] = 4.0
    with pytest.raises(
        ValueError, match=r"Expected `int`, got `float` - at `\$\.mentions\[0\]\.spans\[0\]\.end`"
    ):
        Document.from_json(doc)


@pytest.mark.parametrize(
    ("raw", "path", "words"),
    [
        (_document_text(meta={"x": float("nan")}).replace("NaN", "NaN"), "$.meta.x", "NaN"),
        (_document_text(meta={"x": 1}).replace('"x": 1', '"x": 1e400'), "$.meta.x", "too large"),
        (_document_text(meta={"x": 1}).replace('"x": 1', '"x": ' + "9" * 5000), "$.meta.x", "too large"),
        (_document_text(meta={"x": "a"}).replace('"x": "a"', '"x": "\\ud800"'), "$.meta.x", "surrogate"),
        (_document_text(meta={"x": 1}).replace('"x": 1', '"x": 1, "x": 2'), "$.meta.x", "more than once"),
    ],
)
def test_hostile_values_give_one_line_with_file_document_and_path(
    raw: str, path: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "doc.json"
    file.write_text(raw, encoding="utf-8")
    (line,) = _run_validate(file, capsys)
    assert f"{file}: document doc-1: {path}: " in line and words in line


def test_deep_nesting_in_json_lines_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "docs.jsonl"
    file.write_text(_document_text() + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    (line,) = _run_validate(file, capsys)
    assert f"{file}:2: " in line and "nested too deeply" in line


def test_an_oversized_json_lines_record_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    file = tmp_path / "docs.jsonl"
    file.write_bytes(b'{"a": "' + b"x" * 200 + b'"}\n')
    with pytest.raises(NewsbenchError, match="over the limit of 100 bytes"):
        list(read_json_lines_at(file, max_line_bytes=100))


def test_a_document_linked_from_outside_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(_document_text(), encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    os.symlink(outside, folder / "linked.json")
    (line,) = _run_validate(folder, capsys)
    assert "linked.json" in line and "outside" in line


@pytest.mark.parametrize(
    "change",
    [
        {"mentions": 5},
        {"id": {}},
        {
            "events": [
                {
                    "id": "ev1",
                    "type": "Conflict.Attack",
                    "trigger": {"start": 0, "end": 3.0, "text": "Zoé"},
                    "arguments": [{"role": [], "mention": "m1"}],
                }
            ]
        },
    ],
)
def test_wrong_types_are_problems_not_tracebacks(
    change: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "doc.json"
    file.write_text(_document_text(**change), encoding="utf-8")
    assert _run_validate(file, capsys)
