"""The structure screen lets a document skip the careful checks only when they would find nothing in it.

:func:`newsbench.consistency.semantic_problems` answers from the screen for sound documents and from
:func:`newsbench.consistency.careful_problems` otherwise; both must give the same problems, in the same
order, on every fixture and on documents changed in the ways that break structure rules (offsets moved,
ids repeated, references pointed elsewhere, spans reordered, values of the wrong type).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from docfactory import valid_document
from fuzzkit import json_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbench.consistency import careful_problems, semantic_problems
from newsbench.structure_screen import sound_ids

ROOT = Path(__file__).resolve().parents[1]
BASE = valid_document()


PATHS = [p for p in json_paths(BASE) if p and p[0] != "text"]
IDS = sorted(
    {item["id"] for key in ("mentions", "entities", "events", "quotes") for item in BASE.get(key, [])}
)
VALUES = st.one_of(
    st.integers(min_value=-2, max_value=len(BASE["text"]) + 2),
    st.sampled_from([*IDS, "nope", None, 3.0, True, [], {}, "", BASE["text"][:5]]),
    st.builds(
        lambda start, width: {
            "start": start,
            "end": start + width,
            "text": BASE["text"][start : start + width],
        },
        st.integers(0, len(BASE["text"]) - 1),
        st.integers(1, 6),
    ),
)


def _same(doc: Any) -> None:
    assert list(semantic_problems(doc)) == list(careful_problems(doc))
    if sound_ids(doc) is not None:
        assert all(rule != "structure" for _, _, rule in careful_problems(doc))


def test_every_fixture_gets_the_same_problems_both_ways() -> None:
    files = sorted((ROOT / "corpus" / "documents").glob("*.json")) + sorted(
        (ROOT / "tests" / "fixtures").rglob("*.json")
    )
    sound = 0
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            _same(data)
            sound += sound_ids(data) is not None
    assert sound > 100, "the corpus documents are sound and pass the screen"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3), st.booleans())
def test_changed_documents_get_the_same_problems_both_ways(
    changes: list[tuple[tuple[Any, ...], Any]], drop: bool
) -> None:
    doc = copy.deepcopy(BASE)
    for path, value in changes:
        target = doc
        try:
            for part in path[:-1]:
                target = target[part]
            if drop:
                del target[path[-1]]
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path
    _same(doc)
