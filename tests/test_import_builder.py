"""The checks every importer shares live in the builder: document ids and the spans a source gives by
offsets are checked once, the same way for every format, so each format only parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbench.formats import brat_read, labelstudio
from newsbench.formats.builder import document_id, source_spans
from newsbench.formats.contract import ImportOptions
from newsbench.formats.offsets import OffsetError
from newsbench.problems import NewsbenchError
from newsbench.spans import Span

TEXT = "Ana met Bob Smith."


def test_a_stored_id_wins_over_the_name_and_the_name_is_made_schema_safe() -> None:
    assert document_id("101 Apple, Inc", None, "") == "101_Apple_Inc"
    assert document_id("file", None, "doc-7") == "doc-7"
    assert document_id("file", 12) == "12"


def test_spans_inside_the_text_over_their_stored_text_are_returned_in_source_order() -> None:
    assert source_spans(TEXT, [(8, 11), (12, 17)], "Bob Smith") == (Span(8, 11, "Bob"), Span(12, 17, "Smith"))


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (12, 40)])
def test_a_span_outside_the_text_or_empty_is_refused(start: int, end: int) -> None:
    with pytest.raises(OffsetError, match=rf"span \[{start}, {end}\) is outside the text \(18 code points\)"):
        source_spans(TEXT, [(start, end)])


def test_stored_text_must_match_exactly_unless_the_format_normalises_whitespace() -> None:
    with pytest.raises(
        OffsetError, match="the stored text 'Bob  Smith' differs from the text at its offsets"
    ):
        source_spans(TEXT, [(8, 17)], "Bob  Smith")
    assert source_spans(TEXT, [(8, 17)], "Bob  Smith", exact=False) == (Span(8, 17, "Bob Smith"),)


def test_brat_and_label_studio_refuse_an_offset_past_the_text_with_the_same_words(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tPER 8 40\tBob\n", encoding="utf-8")
    task = {
        "data": {"text": TEXT},
        "annotations": [
            {
                "result": [
                    {
                        "id": "r1",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 8, "end": 40, "labels": ["PER"]},
                    }
                ]
            }
        ],
    }
    (tmp_path / "tasks.json").write_text(json.dumps([task]), encoding="utf-8")
    expected = r"span \[8, 40\) is outside the text \(18 code points\)"
    with pytest.raises(NewsbenchError, match=expected):
        brat_read.import_files([tmp_path / "d.ann"], ImportOptions())
    with pytest.raises(NewsbenchError, match=expected):
        labelstudio.import_files([tmp_path / "tasks.json"], ImportOptions(utf16=False))
