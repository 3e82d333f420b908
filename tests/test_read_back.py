"""A checked document's bytes are read back straight into the model (msgspec) exactly as the careful path
reads them: Python's parser, then :meth:`Document.from_json`. Scoring reads every document this way, so a
difference here would score something other than what was checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docfactory import TEXT, valid_document
from fuzzkit import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from newsbench.jsonio import parse_json_carefully
from newsbench.model import Document, SystemInfo
from newsbench.scan import decode
from newsbench.validate import validate_data

ROOT = Path(__file__).resolve().parent.parent
CHECKED_FILES = sorted((ROOT / "corpus" / "documents").glob("*.json"))


def _careful(raw: bytes) -> Document:
    return Document.from_json(parse_json_carefully(raw, "f.json"))


def test_every_corpus_document_reads_back_as_the_careful_path_reads_it() -> None:
    assert CHECKED_FILES, "no corpus documents found"
    for path in CHECKED_FILES:
        raw = path.read_bytes()
        assert validate_data(parse_json_carefully(raw, path.name), path.name) == []
        assert decode(raw, path.name) == _careful(raw), path.name


def test_a_prediction_keeps_its_system_and_config() -> None:
    data = valid_document()
    data["system"] = {"name": "rules", "version": "2", "config": {"k": [1, 2.5, None, {"x": "é"}]}}
    raw = json.dumps(data).encode()
    doc = decode(raw, "p.json")
    assert doc.system == SystemInfo("rules", "2", {"k": [1, 2.5, None, {"x": "é"}]})
    assert doc == _careful(raw)


def test_a_byte_order_mark_goes_through_the_careful_parser_and_gives_the_same_document() -> None:
    raw = json.dumps(valid_document()).encode()
    assert decode(b"\xef\xbb\xbf" + raw, "bom.json") == decode(raw, "plain.json")


def test_absent_optional_fields_read_as_their_defaults() -> None:
    data: dict[str, Any] = {"id": "d", "text": "Hi."}
    doc = decode(json.dumps(data).encode(), "d.json")
    assert doc == Document(id="d", text="Hi.")
    assert (doc.language, doc.meta, doc.system, doc.mentions, doc.ignore) == ("en", {}, None, (), ())


TEXT_PIECES = st.sampled_from(
    ["e\u0301", " said ", "\u201cwe will\u201d", "\U0001f600", "\r\n", '"', "\\", "\t", "\u2028", "é"]
)
META_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text("abé", max_size=4), inner, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(prefix=st.lists(TEXT_PIECES, max_size=6), meta=META_VALUES, ascii_only=st.booleans())
def test_generated_documents_read_back_as_the_careful_path_reads_them(
    prefix: list[str], meta: Any, ascii_only: bool
) -> None:
    """Curly quotes, emoji, combining marks, CRLF and escapes in the text move every offset; meta holds any
    JSON a checked document may hold; the file is written with and without escaping non-ASCII."""
    data = valid_document(text="".join(prefix) + TEXT)  # its spans are found in the text it is given
    data["meta"] = {"source_meta": meta}
    raw = json.dumps(data, ensure_ascii=ascii_only).encode()
    assert validate_data(parse_json_carefully(raw, "g.json"), "g.json") == []
    assert decode(raw, "g.json") == _careful(raw)
