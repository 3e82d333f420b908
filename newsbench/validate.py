"""Validation of documents: the JSON Schema first, then what a schema cannot say.

Checks beyond the schema: spans lie inside the text and equal their stored text, ids are unique, references
resolve, roles are allowed for the event type, entity members share the entity's type, quote types agree
with the quotation marks around their content, and no span crosses an ignore region. Every problem is
reported at once; the checks work on raw JSON and skip parts the schema already rejected, so one bad field
does not hide the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterator
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from newsbench.ontology import ontology, schema_json
from newsbench.problems import Problem

# "`" opens Penn-Treebank-style ``quotes'' that tokenised sources such as MEANTIME keep.
OPENING_MARKS = frozenset("\"'“‘«„‚‹「『`")
CLOSING_MARKS = frozenset("\"'”’»“‘›」』")
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


@cache
def document_validator() -> Draft202012Validator:
    """A validator for the document schema with its references (to itself and to the ontology) resolved once."""
    files = {name: schema_json(name) for name in SCHEMA_FILES}
    document = files["document.schema.json"]

    def resolve(ref: str) -> Any:
        name, _, pointer = ref.partition("#")
        target: Any = files[name] if name else document
        for part in pointer.strip("/").split("/") if pointer else []:
            target = target[part]
        return target

    return Draft202012Validator(_inline(document, resolve))


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
    doc_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    return [
        Problem(file, doc_id, json_path(err.absolute_path), describe(err))
        for err in sorted(
            document_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))
        )
    ]


@cache
def _file_validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(schema_json(schema_name))


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


def validate_data(data: Any, file: str) -> list[Problem]:
    """Every problem in one document's JSON: schema problems and the checks a schema cannot express."""
    if not isinstance(data, dict):
        return [Problem(file, None, "$", f"a document must be a JSON object, not {type(data).__name__}")]
    problems = schema_problems(data, file)
    doc_id = data.get("id") if isinstance(data.get("id"), str) else None
    problems.extend(Problem(file, doc_id, path, msg) for path, msg in _semantic(data))
    return sorted(set(problems), key=lambda p: (p.path, p.message))


def _is_span(x: Any) -> bool:
    return (
        isinstance(x, dict)
        and isinstance(x.get("start"), int)
        and isinstance(x.get("end"), int)
        and isinstance(x.get("text"), str)
    )


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    seq = data.get(key)
    if isinstance(seq, list):
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                yield i, item


def _span_list(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, s) for i, s in enumerate(value) if _is_span(s)] if isinstance(value, list) else []


def _semantic(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    text = data.get("text")
    if not isinstance(text, str):
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        yield "$.text", f"the text holds a lone surrogate at code point {exc.start}, which no file can store"
        return
    onto = ontology()

    # Every span, wherever it is, with its path.
    spans: list[tuple[str, dict[str, Any]]] = []
    for i, m in _items(data, "mentions"):
        spans += [(f"$.mentions[{i}].spans[{j}]", s) for j, s in _span_list(m.get("spans"))]
    for i, e in _items(data, "events"):
        if _is_span(e.get("trigger")):
            spans.append((f"$.events[{i}].trigger", e["trigger"]))
    for i, q in _items(data, "quotes"):
        spans += [(f"$.quotes[{i}].content[{j}]", s) for j, s in _span_list(q.get("content"))]
        if _is_span(q.get("cue")):
            spans.append((f"$.quotes[{i}].cue", q["cue"]))
    ignore = [(f"$.ignore[{j}]", s) for j, s in _span_list(data.get("ignore"))]

    good: list[tuple[str, dict[str, Any]]] = []
    for path, s in spans + ignore:
        start, end = s["start"], s["end"]
        if not 0 <= start < end <= len(text):
            yield path, f"span [{start}, {end}) is not inside the text, which has {len(text)} code points"
        elif text[start:end] != s["text"]:
            yield (
                path + ".text",
                f"stored text {s['text']!r} differs from the text at [{start}, {end}): {text[start:end]!r}",
            )
        else:
            good.append((path, s))

    yield from _check_multi_spans(data)
    yield from _check_ignore(good)
    ids = yield from _check_ids(data)
    yield from _check_references(data, ids)
    yield from _check_entities(data, ids)
    yield from _check_events(data, onto.event_roles, ids)
    yield from _check_quotes(data, text)


def _check_multi_spans(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Discontinuous spans are listed in text order and do not overlap, so every reader sees the same text."""
    for key, field in (("mentions", "spans"), ("quotes", "content")):
        for i, item in _items(data, key):
            parts = _span_list(item.get(field))
            for (_, a), (j, b) in pairwise(parts):
                if b["start"] < a["end"]:
                    yield f"$.{key}[{i}].{field}[{j}]", "spans must be in text order and must not overlap"


def _check_ignore(good: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, str]]:
    annotation = [(p, s) for p, s in good if not p.startswith("$.ignore")]
    regions = [s for p, s in good if p.startswith("$.ignore")]
    for path, s in annotation:
        for r in regions:
            overlaps = s["start"] < r["end"] and r["start"] < s["end"]
            inside = r["start"] <= s["start"] and s["end"] <= r["end"]
            if overlaps and not inside:
                yield (
                    path,
                    f"span [{s['start']}, {s['end']}) crosses the ignore region [{r['start']}, {r['end']})",
                )


def _check_ids(data: dict[str, Any]) -> Generator[tuple[str, str], None, dict[str, str]]:
    """Ids are unique across all layers of a document; returns id -> layer for reference checks."""
    owners: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for key in ("mentions", "entities", "events", "event_coreference", "quotes"):
        for i, item in _items(data, key):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            seen[ident] += 1
            if seen[ident] > 1:
                yield f"$.{key}[{i}].id", f"id {ident!r} is used more than once in this document"
            else:
                owners[ident] = key
    return owners


def _check_references(data: dict[str, Any], ids: dict[str, str]) -> Iterator[tuple[str, str]]:
    def expect(path: str, ref: Any, layer: str) -> Iterator[tuple[str, str]]:
        if isinstance(ref, str) and ids.get(ref) != layer:
            found = f"it is in {ids[ref]}" if ref in ids else "there is no such id"
            yield path, f"{ref!r} must be the id of an item in {layer}, but {found}"

    for i, e in _items(data, "entities"):
        for j, ref in enumerate(e.get("mentions") or []):
            yield from expect(f"$.entities[{i}].mentions[{j}]", ref, "mentions")
    for i, ev in _items(data, "events"):
        for j, arg in enumerate(ev.get("arguments") or []):
            if isinstance(arg, dict):
                yield from expect(f"$.events[{i}].arguments[{j}].mention", arg.get("mention"), "mentions")
    for i, c in _items(data, "event_coreference"):
        for j, ref in enumerate(c.get("events") or []):
            yield from expect(f"$.event_coreference[{i}].events[{j}]", ref, "events")
    for i, q in _items(data, "quotes"):
        for role in ("speaker", "addressee", "medium"):
            yield from expect(f"$.quotes[{i}].{role}", q.get(role), "mentions")


def _check_entities(data: dict[str, Any], ids: dict[str, str]) -> Iterator[tuple[str, str]]:
    mention_type = {m.get("id"): m.get("type") for _, m in _items(data, "mentions")}
    member_of: dict[str, str] = {}
    for i, e in _items(data, "entities"):
        for j, ref in enumerate(e.get("mentions") or []):
            if not isinstance(ref, str) or ids.get(ref) != "mentions":
                continue
            if mention_type.get(ref) != e.get("type"):
                yield (
                    f"$.entities[{i}].mentions[{j}]",
                    f"mention {ref!r} has type {mention_type.get(ref)}, but entity {e.get('id')!r} has type {e.get('type')}",
                )
            if ref in member_of:
                yield (
                    f"$.entities[{i}].mentions[{j}]",
                    f"mention {ref!r} is already in entity {member_of[ref]!r}",
                )
            else:
                member_of[ref] = str(e.get("id"))
    clustered: dict[str, str] = {}
    for i, c in _items(data, "event_coreference"):
        for j, ref in enumerate(c.get("events") or []):
            if isinstance(ref, str) and ref in clustered:
                yield (
                    f"$.event_coreference[{i}].events[{j}]",
                    f"event {ref!r} is already in cluster {clustered[ref]!r}",
                )
            elif isinstance(ref, str):
                clustered[ref] = str(c.get("id"))


def _check_events(
    data: dict[str, Any], roles: dict[str, tuple[str, ...]], ids: dict[str, str]
) -> Iterator[tuple[str, str]]:
    for i, ev in _items(data, "events"):
        allowed = roles.get(str(ev.get("type")))
        if allowed is None:
            continue
        seen: set[tuple[Any, Any]] = set()
        for j, arg in enumerate(ev.get("arguments") or []):
            if not isinstance(arg, dict):
                continue
            role = arg.get("role")
            if isinstance(role, str) and role not in allowed:
                yield (
                    f"$.events[{i}].arguments[{j}].role",
                    f"role {role!r} is not allowed for {ev.get('type')}; allowed: {', '.join(allowed)}",
                )
            key = (role, arg.get("mention"))
            if key in seen:
                yield (
                    f"$.events[{i}].arguments[{j}]",
                    f"argument {role} {arg.get('mention')!r} is listed twice",
                )
            seen.add(key)


def _check_quotes(data: dict[str, Any], text: str) -> Iterator[tuple[str, str]]:
    """Direct and mixed content sits inside quotation marks; indirect content does not."""
    for i, q in _items(data, "quotes"):
        kind = q.get("type")
        for j, s in _span_list(q.get("content")):
            start, end = s["start"], s["end"]
            if not 0 <= start < end <= len(text):
                continue
            # White space just inside the marks stays outside the content (guideline 1.3): skip it.
            before, after = start, end
            while before > 0 and text[before - 1] in " \t":
                before -= 1
            while after < len(text) and text[after] in " \t":
                after += 1
            opened = before > 0 and text[before - 1] in OPENING_MARKS
            # A statement set off as its own paragraph after "said:", or a transcript turn after "NAME:", is a
            # block quotation without marks (guideline 8.3).
            block = kind == "direct" and (before == 0 or text[before - 1] in "\n:")
            closed = after < len(text) and text[after] in CLOSING_MARKS
            at_paragraph_end = end == len(text) or text[end] in "\r\n"
            path = f"$.quotes[{i}].content[{j}]"
            if kind in ("direct", "mixed"):
                if not (opened or block):
                    yield path, f"a {kind} quote's content must start right after an opening quotation mark"
                if not (closed or at_paragraph_end):
                    yield (
                        path,
                        (
                            f"a {kind} quote's content must end right before a closing quotation mark "
                            "(or at a paragraph end, for a quote running on)"
                        ),
                    )
            elif kind == "indirect" and opened and closed:
                yield (
                    path,
                    "an indirect quote's content is enclosed in quotation marks; is it direct or mixed?",
                )
