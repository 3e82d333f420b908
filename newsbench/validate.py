"""Validation of documents: the JSON Schema first, then what a schema cannot say (:mod:`newsbench.consistency`).

Every problem is reported at once. Gold documents keep every rule; predictions are refused only for what
makes them unscorable, and their other mistakes are counted (:data:`TOLERATED_IN_PREDICTIONS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from newsbench.consistency import semantic_problems
from newsbench.ontology import schema_json
from newsbench.problems import Problem

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

# The reference validator (jsonschema, with referencing) is imported where it is first used: it only words
# the problems of documents the compiled validator rejects, and importing it was a fifth of every command's
# start-up.

SCHEMA_FILES = ("document.schema.json", "ontology.schema.json")


def _inline(node: Any, resolve: Any) -> Any:
    """``node`` with every ``$ref`` replaced by its target, and ``oneOf`` lists of constants turned into ``enum``.

    The published schema keeps its ``$ref``s and its described constants for readers; validating through
    that form costs a reference lookup per field and a trial of every constant, which made schema checks
    most of a benchmark run. The inlined form accepts exactly the same documents.
    """
    if isinstance(node, list):
        return [_inline(item, resolve) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(resolve(node["$ref"]), resolve)
    out = {key: _inline(value, resolve) for key, value in node.items() if key not in ("$defs", "$id")}
    options = out.get("oneOf")
    if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
        del out["oneOf"]
        out["enum"] = [o["const"] for o in options]
    return out


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``pattern`` as JSON Schema means it (ECMA-262), where ``$`` matches only at the very end of the string.

    Python's ``$`` also matches before a final newline, which let an id such as ``"d1\\n"`` through; the
    compiled validator already follows ECMA-262, and both must accept the same documents.
    """
    from jsonschema.exceptions import ValidationError

    if not isinstance(instance, str):
        return
    if _anchored(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _anchored(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@cache
def ecma_anchored_validator() -> Any:
    """The reference validator class (Draft 2020-12) with ``pattern`` read as ECMA-262 reads it."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@cache
def inlined_schema() -> dict[str, Any]:
    """The document schema with its references (to itself and to the ontology) resolved once."""
    files = {name: schema_json(name) for name in SCHEMA_FILES}
    document = files["document.schema.json"]

    def resolve(ref: str) -> Any:
        name, _, pointer = ref.partition("#")
        target: Any = files[name] if name else document
        for part in pointer.strip("/").split("/") if pointer else []:
            target = target[part]
        return target

    inlined: dict[str, Any] = _inline(document, resolve)
    return inlined


@cache
def document_validator() -> Any:
    """The reference validator of the document schema (:func:`inlined_schema`)."""
    return ecma_anchored_validator()(inlined_schema())


@cache
def compiled_validator() -> Any:
    """The same schema compiled by jsonschema-rs: tells valid from invalid some hundred times faster.

    The reference validator (:func:`document_validator`) runs only on documents this one rejects, to word
    every problem; tests run both on every fixture and on generated documents to show they accept exactly
    the same documents.
    """
    try:
        return jsonschema_rs.Draft202012Validator(inlined_schema())
    except (ValueError, jsonschema_rs.ValidationError):
        return None  # a pattern the compiled dialect cannot read: the reference validator decides alone


def json_path(parts: Any) -> str:
    """``$.mentions[3].spans[0].end`` from a sequence of keys and indexes."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def describe(error: ValidationError) -> str:
    """A plain sentence for a schema error, naming the allowed values where the schema lists them."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "oneOf":
        consts = [opt.get("const") for opt in schema.get("oneOf", []) if isinstance(opt, dict)]
        if consts and all(c is not None for c in consts):
            return f"{error.instance!r} is not allowed here; expected one of: {', '.join(map(str, consts))}"
        if error.context:
            return str(min(error.context, key=lambda e: len(e.message)).message)
    if error.validator == "pattern" and "description" in schema:
        return f"{error.instance!r} is not valid: {schema['description']}"
    if error.validator == "enum":
        return f"{error.instance!r} is not allowed here; expected one of: {', '.join(map(str, error.validator_value))}"
    return str(error.message)


def schema_problems(data: Any, file: str) -> list[Problem]:
    try:
        compiled = compiled_validator()
        if compiled is not None and compiled.is_valid(data):
            return []
    except (ValueError, OverflowError, RecursionError):
        pass  # a value the compiled validator cannot take: the reference validator words the problem
    doc_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    return [
        Problem(file, doc_id, json_path(err.absolute_path), describe(err))
        for err in sorted(
            document_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))
        )
    ]


SHARED_SCHEMAS = ("typemap.schema.json",)
"""Schemas other configuration schemas refer to (a track file's type maps are the type-map format)."""


@cache
def _file_validator(schema_name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = [Resource.from_contents(schema_json(name)) for name in SHARED_SCHEMAS]
    registry: Registry[Any] = Registry().with_resources((str(r.id()), r) for r in resources)
    return Draft202012Validator(schema_json(schema_name), registry=registry)


def file_problems(data: Any, schema_name: str, file: Path) -> list[Problem]:
    """What the JSON Schema ``schema_name`` (in ``schema/``) says is wrong with a configuration file's
    ``data``, each at the key it concerns: an unknown or a missing key at that key, not at its table."""
    problems = []
    errors = _file_validator(schema_name).iter_errors(data)
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        path = json_path(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - set(allowed)):
                message = f"unknown key; allowed: {', '.join(allowed)}"
                problems.append(Problem(str(file), None, f"{path}.{key}", message))
        elif error.validator == "required" and isinstance(error.instance, dict):
            for key in error.validator_value:
                if key not in error.instance:
                    problems.append(Problem(str(file), None, f"{path}.{key}", "is required"))
        else:
            problems.append(Problem(str(file), None, path, describe(error)))
    return problems


TOLERATED_IN_PREDICTIONS = frozenset({"role", "member type", "quote marks"})
"""Rules a gold document must keep but a prediction may break and still be scored: an unallowed role is a wrong
argument, a cluster mixing types is scored as given, a quote type that disagrees with the marks is a wrong type.
Everything else (structure, offsets, stored text, ids, references) makes a prediction unscorable."""


@dataclass(frozen=True)
class Checked:
    """What is wrong with one document: ``problems`` refuse it; ``tolerated`` are a prediction's mistakes,
    scored as given and counted by rule."""

    problems: list[Problem]
    tolerated: list[tuple[str, Problem]]


def check_document(data: Any, file: str, *, prediction: bool | None = None) -> Checked:
    """Every problem in one document's JSON, with gold rules or prediction rules.

    ``prediction`` None decides by the document itself: one naming its ``system`` is a prediction.
    """
    if not isinstance(data, dict):
        return Checked(
            [Problem(file, None, "$", f"a document must be a JSON object, not {type(data).__name__}")], []
        )
    if prediction is None:
        prediction = "system" in data
    try:
        problems = schema_problems(data, file)
        doc_id = data.get("id") if isinstance(data.get("id"), str) else None
        semantic = list(semantic_problems(data))
    except RecursionError:
        return Checked([Problem(file, None, "$", "JSON nested too deeply")], [])
    tolerated: list[tuple[str, Problem]] = []
    for path, msg, rule in semantic:
        problem = Problem(file, doc_id, path, msg)
        if prediction and rule in TOLERATED_IN_PREDICTIONS:
            tolerated.append((rule, problem))
        else:
            problems.append(problem)
    return Checked(sorted(set(problems), key=lambda p: (p.path, p.message)), tolerated)


def validate_data(data: Any, file: str, *, prediction: bool | None = None) -> list[Problem]:
    """Every problem that refuses one document's JSON: schema problems and the checks a schema cannot express."""
    return check_document(data, file, prediction=prediction).problems
