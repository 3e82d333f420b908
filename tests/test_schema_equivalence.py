"""The compiled schema validator accepts exactly the documents the reference jsonschema validator accepts.

The compiled one only decides valid or not (fast); the reference one words the problems. If they disagreed,
a document could be accepted or refused depending on which ran, so every fixture and many generated
variants of a valid document are run through three validators: the compiled one, the reference one on the
inlined schema newsbench words problems with, and the reference one on the schema exactly as published
(its ``$ref``s resolved through a registry). Patterns are read as JSON Schema reads them (ECMA-262, where
``$`` ends the string), which is the one way the reference validator is extended.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from docfactory import valid_document
from fuzzkit import FUZZ, json_mutations, json_paths, mutated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from newsbench.jsonio import parse_json
from newsbench.ontology import schema_json
from newsbench.problems import NewsbenchError
from newsbench.validate import (
    SCHEMA_FILES,
    compiled_validator,
    document_validator,
    ecma_anchored_validator,
    validate_data,
)

ROOT = Path(__file__).resolve().parents[1]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["PER", "NAM", "direct", "Attacker", "m1", "d1\n", "en", "1.0", "2024-01-01"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@cache
def _published_validator() -> Any:
    """The reference validator on the schema files exactly as published, references resolved by a registry."""
    registry: Registry[Any] = Registry()
    for name in SCHEMA_FILES:
        registry = registry.with_resource(name, Resource.from_contents(schema_json(name)))
    return ecma_anchored_validator()(schema_json("document.schema.json"), registry=registry)


def _verdicts(data: Any) -> tuple[bool, bool, bool]:
    """Whether the compiled, the inlined reference and the published reference validator accept ``data``."""
    compiled = compiled_validator().is_valid(data)
    inlined = next(iter(document_validator().iter_errors(data)), None) is None
    published = next(iter(_published_validator().iter_errors(data)), None) is None
    return compiled, inlined, published


def _agree(data: Any) -> bool:
    return len(set(_verdicts(data))) == 1


def _fixture_documents() -> list[Path]:
    files = sorted((ROOT / "corpus" / "documents").glob("*.json"))
    files += sorted((ROOT / "tests" / "fixtures").rglob("*.json"))
    return files


def test_the_validators_agree_on_every_fixture() -> None:
    checked, accepted = 0, 0
    for file in _fixture_documents():
        data = json.loads(file.read_text(encoding="utf-8"))
        verdicts = _verdicts(data)
        assert len(set(verdicts)) == 1, (file, verdicts)
        checked += 1
        accepted += verdicts[0]
    assert checked > 100
    assert 0 < accepted < checked  # the fixtures hold documents each way, so agreement means something


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return doc


BASE = valid_document()
PATHS = json_paths(BASE)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values, st.booleans())
def test_the_validators_agree_on_mutated_documents(path: tuple[Any, ...], value: Any, drop: bool) -> None:
    doc = copy.deepcopy(BASE)
    if drop and path:
        target = doc
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]
    else:
        doc = _replace(doc, path, value)
    assert _agree(doc)
    validate_data(doc, "fuzzed.json")  # never raises, whatever the input


def test_an_id_ending_in_a_newline_is_refused_by_both() -> None:
    doc = copy.deepcopy(BASE)
    doc["id"] = "d1\n"
    assert not compiled_validator().is_valid(doc)
    assert [p.path for p in validate_data(doc, "f.json")] == ["$.id"]


@FUZZ
@given(json_mutations(BASE))
def test_the_validators_agree_on_fuzzed_documents_as_read_from_a_file(
    mutations: list[tuple[tuple[Any, ...], Any]],
) -> None:
    """A document with several values changed (NaN, huge integers, lone surrogates among them), written as a
    file would hold it and read back as ``newsbench`` reads files: whatever the reader lets through, the
    three validators judge alike."""
    raw = json.dumps(mutated(BASE, mutations), ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        data = parse_json(raw, "fuzzed.json")
    except NewsbenchError:
        return  # refused by the reader, before any validator: tests/test_fast_json.py covers that step
    assert _agree(data), _verdicts(data)
    validate_data(data, "fuzzed.json")  # never raises, whatever the input
