"""The orjson fast path of ``parse_json`` reads exactly what the careful parser reads, or steps aside.

orjson keeps the last of two equal keys and turns huge integers into floats without a word; the fast path
must never hand such a document on. These tests compare both parsers on hand-picked texts and on generated
JSON, duplicates and long numbers included.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbench.jsonio import _parse_fast, parse_json, parse_json_carefully
from newsbench.problems import NewsbenchError


def _outcome(parse: Any, raw: bytes) -> Any:
    try:
        return ("ok", parse(raw, "f.json"))
    except NewsbenchError as exc:
        return ("error", [str(p) for p in exc.problems])


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": {"b": ":", "b": 1}}',
        b'{"a": "x\\u003a", "a": 1}',
        b'{"a" : 1, "a" : 2}',
        b'{"a": 12345678901234567890}',
        b'{"a": 18446744073709551616}',
        b'{"a": -9223372036854775809}',
        b'{"a": 1e400}',
        b'{"a": NaN}',
        b'{"a": "\\ud800"}',
        b'\xef\xbb\xbf{"a": 1}',
        b"[" * 300 + b"]" * 300,
        b'{"t": "he said: \\"no:\\" then:", "n": [1, 2.5, -0]}',
    ],
)
def test_tricky_texts_give_the_careful_parsers_answer(raw: bytes) -> None:
    assert _outcome(parse_json, raw) == _outcome(parse_json_carefully, raw)


def test_a_duplicated_key_never_passes_the_fast_path() -> None:
    assert _parse_fast(b'{"id": "a", "text": "x: y", "id": "b"}') is None
    with pytest.raises(NewsbenchError, match="more than once"):
        parse_json(b'{"id": "a", "text": "x: y", "id": "b"}', "f.json")


def test_a_plain_document_is_read_by_the_fast_path() -> None:
    assert _parse_fast(b'{"id": "a", "text": "at 10:30: go", "spans": [{"start": 0, "end": 2}]}') == {
        "id": "a",
        "text": "at 10:30: go",
        "spans": [{"start": 0, "end": 2}],
    }


_KEYS = st.sampled_from(["a", "b", "id", "x:y", ":", "é", "\\u003a"])
_SCALARS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from(list('ab:"\\é\n 1')), max_size=8),
    st.booleans(),
    st.none(),
)


def _objects(children: Any) -> Any:
    """Objects written by hand from (key, value) pairs, so a key may occur twice."""

    def written(pairs: list[tuple[str, str]]) -> str:
        separators = [":", " :"] * len(pairs)  # some keys with white space before the colon
        return (
            "{"
            + ",".join(f"{json.dumps(k)}{sep}{v}" for (k, v), sep in zip(pairs, separators, strict=False))
            + "}"
        )

    return st.lists(st.tuples(_KEYS, children), max_size=4).map(written)


_VALUES = st.recursive(
    _SCALARS.map(json.dumps),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"), _objects(children)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_generated_json_reads_the_same_both_ways(text: str) -> None:
    raw = text.encode("utf-8")
    assert _outcome(parse_json, raw) == _outcome(parse_json_carefully, raw)
