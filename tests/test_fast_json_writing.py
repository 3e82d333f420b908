"""JSON is written by orjson only where it gives exactly the characters :mod:`json` gives.

Reports, manifests, documents and every hashed value go through ``dumps_canonical``, ``dumps_document`` and
``canonical_json``; a changed character would change a file's bytes or a hash. So each is compared with the
:mod:`json` call it stands for, on generated data (floats of every magnitude, non-ASCII and control
characters, nesting) and on the values orjson writes differently or not at all.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbench.jsonio import _dumps_fast, canonical_json, dumps_canonical, dumps_document


def _reference(data: Any) -> tuple[str, str, str]:
    return (
        json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
        json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False),
        json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n",
    )


def _ours(data: Any) -> tuple[str, str, str]:
    return dumps_canonical(data), canonical_json(data), dumps_document(data)


_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.text()
)
_DATA = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(_DATA)
def test_generated_data_is_written_as_json_writes_it(data: Any) -> None:
    assert _ours(data) == _reference(data)


@pytest.mark.parametrize(
    "value",
    [1e-4, -1e-4, 9.99e-5, 1e-5, 1.234e-05, 5e-324, -0.0, 0.0, 1e15, 1e16, 1.5e16, 1.7976931348623157e308],
)
def test_floats_near_where_the_two_writers_differ_are_written_as_json_writes_them(value: float) -> None:
    assert _ours({"x": [value]}) == _reference({"x": [value]})


def test_text_with_control_non_ascii_and_emoji_characters_is_written_alike() -> None:
    text = "".join(chr(i) for i in range(0x250)) + "\u2028\u2029\ufeff “quoted” Zoe\u0301 😀 \r\n"
    data = {"text": text, "é": 1, "Z": 2, "😀": 3, "a": {"b": [], "c": {}}, "f": [0.5, 1e-4, -0.0]}
    assert _dumps_fast(data, 0) is not None  # plain data: orjson writes it
    assert _ours(data) == _reference(data)


@pytest.mark.parametrize(
    "data",
    [
        {"x": 1e-5},  # orjson writes 0.00001
        {1: "integer key"},  # json turns the key into "1"
        Counter(a=1),  # a dict subclass
        {"x": 2**64},  # beyond 64 bits
        {"x": "\ud800"},  # a lone surrogate
        {"x": (1, 2)},  # fine: a tuple is a list to both
    ],
)
def test_values_orjson_would_write_differently_go_to_json(data: Any) -> None:
    fast = _dumps_fast(data, 0)
    assert (fast is None) == (data != {"x": (1, 2)})
    assert dumps_canonical(data) == _reference(data)[0]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_nan_or_infinity_is_still_refused_rather_than_written_as_null(bad: float) -> None:
    for write in (dumps_canonical, canonical_json, dumps_document):
        with pytest.raises(ValueError, match="Out of range float values"):
            write({"x": [bad]})
