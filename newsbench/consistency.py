"""What a JSON Schema cannot say about a document, checked on raw JSON in one pass.

Spans lie inside the text and equal their stored text, offsets are integers, ids are unique, references
resolve, roles are allowed for the event type, entity members share the entity's type, quote types agree
with the quotation marks around their content, and no span crosses an ignore region. The checks skip parts
the schema already rejected, so one bad field does not hide the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from itertools import pairwise
from typing import Any

from newsbench.jsonio import is_utf8
from newsbench.names import device_problem
from newsbench.ontology import ontology
from newsbench.spans import is_offset
from newsbench.structure_screen import sound_ids

# "`" opens Penn-Treebank-style ``quotes'' that tokenised sources such as MEANTIME keep.
OPENING_MARKS = frozenset("\"'“‘«„‚‹「『`")
CLOSING_MARKS = frozenset("\"'”’»“‘›」』")


def _is_span(x: Any) -> bool:
    return (
        isinstance(x, dict)
        and is_offset(x.get("start"))
        and is_offset(x.get("end"))
        and isinstance(x.get("text"), str)
    )


def _integral_floats(path: str, s: Any) -> Iterator[tuple[str, str]]:
    """JSON Schema counts ``3.0`` as an integer; an offset or count written as a float is refused all the same."""
    if isinstance(s, dict):
        for key in ("start", "end"):
            value = s.get(key)
            if isinstance(value, float):
                yield (
                    f"{path}.{key}",
                    f"{value!r} is not an integer; offsets are whole numbers such as {int(value) if value.is_integer() else 0}",
                )


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    seq = data.get(key)
    if isinstance(seq, list):
        for i, item in enumerate(seq):
            if isinstance(item, dict):
                yield i, item


def _enumerate(value: Any) -> list[tuple[int, Any]]:
    return list(enumerate(value)) if isinstance(value, list) else []


def _span_list(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, s) for i, s in enumerate(value) if _is_span(s)] if isinstance(value, list) else []


def semantic_problems(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(path, message, rule) for every problem the schema cannot see.

    A document the screen finds sound (:func:`newsbench.structure_screen.sound_ids`, nearly all) has no
    structure problem, so only the rules a prediction may break are checked on it, in the same order.
    """
    ident = data.get("id")
    if isinstance(ident, str) and (why := device_problem(ident)) is not None:
        yield "$.id", f"the id names a file, so it {why}", "structure"
    if sound_ids(data) is not None:
        yield from _sound_problems(data)
        return
    yield from careful_problems(data)


def _sound_problems(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """The rules a prediction may break, on a document :func:`sound_ids` passed, in one walk of its layers.

    The screen vouches for the shape the careful checks test item by item: every layer a list of objects
    with string ids, every entity's mentions a list of mention ids with none in two entities, every argument
    an object with a string role, every quote's content a list of spans inside the text, and no event in two
    clusters. So the member types, roles and quote marks are read directly, without the careful checks'
    filters, and give the same problems in the same order as :func:`_check_entities`,
    :func:`_check_events_roles` and :func:`_check_quotes`.
    """
    mention_type = {m["id"]: m.get("type") for m in data.get("mentions", ())}
    for i, e in enumerate(data.get("entities", ())):
        entity_type = e.get("type")
        for j, ref in enumerate(e["mentions"]):
            if mention_type[ref] != entity_type:
                yield (
                    f"$.entities[{i}].mentions[{j}]",
                    f"mention {ref!r} has type {mention_type[ref]}, but entity {e.get('id')!r} has type {entity_type}",
                    "member type",
                )
    roles = ontology().event_roles
    for i, ev in enumerate(data.get("events", ())):
        allowed = roles.get(str(ev.get("type")))
        if allowed is None:
            continue
        for j, arg in enumerate(ev.get("arguments", ())):
            role = arg["role"]
            if role not in allowed:
                yield (
                    f"$.events[{i}].arguments[{j}].role",
                    f"role {role!r} is not allowed for {ev.get('type')}; allowed: {', '.join(allowed)}",
                    "role",
                )
    text = data["text"]
    for i, q in enumerate(data.get("quotes", ())):
        for path, message in _quote_marks(i, q.get("type"), enumerate(q["content"]), text):
            yield path, message, "quote marks"


def careful_problems(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """:func:`semantic_problems` without the screen: every check, with a path built for every item."""
    for path, message in _structural(data):
        yield path, message, "structure"
    for path, message in _check_entities(data, _ids_quiet(data)):
        yield path, message, "member type" if " has type " in message else "structure"
    for path, message in _check_events_roles(data):
        yield path, message, "role"
    text = data.get("text")
    if isinstance(text, str) and is_utf8(text):
        for path, message in _check_quotes(data, text):
            yield path, message, "quote marks"


def _ids_quiet(data: dict[str, Any]) -> dict[str, str]:
    gen = _check_ids(data)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            ids: dict[str, str] = stop.value
            return ids


def _structural(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
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
    raw: list[tuple[str, Any]] = []
    for i, m in _items(data, "mentions"):
        raw += [(f"$.mentions[{i}].spans[{j}]", s) for j, s in _enumerate(m.get("spans"))]
    for i, e in _items(data, "events"):
        raw.append((f"$.events[{i}].trigger", e.get("trigger")))
    for i, q in _items(data, "quotes"):
        raw += [(f"$.quotes[{i}].content[{j}]", s) for j, s in _enumerate(q.get("content"))]
        raw.append((f"$.quotes[{i}].cue", q.get("cue")))
    raw_ignore = [(f"$.ignore[{j}]", s) for j, s in _enumerate(data.get("ignore"))]
    for path, candidate in raw + raw_ignore:
        yield from _integral_floats(path, candidate)
    spans = [(path, s) for path, s in raw if _is_span(s)]
    ignore = [(path, s) for path, s in raw_ignore if _is_span(s)]

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
    yield from _check_events(data, onto.event_roles, ids)


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
        for j, ref in _enumerate(e.get("mentions")):
            yield from expect(f"$.entities[{i}].mentions[{j}]", ref, "mentions")
    for i, ev in _items(data, "events"):
        for j, arg in _enumerate(ev.get("arguments")):
            if isinstance(arg, dict):
                yield from expect(f"$.events[{i}].arguments[{j}].mention", arg.get("mention"), "mentions")
    for i, c in _items(data, "event_coreference"):
        for j, ref in _enumerate(c.get("events")):
            yield from expect(f"$.event_coreference[{i}].events[{j}]", ref, "events")
    for i, q in _items(data, "quotes"):
        for role in ("speaker", "addressee", "medium"):
            yield from expect(f"$.quotes[{i}].{role}", q.get(role), "mentions")


def _check_entities(data: dict[str, Any], ids: dict[str, str]) -> Iterator[tuple[str, str]]:
    mention_type = {
        m["id"]: m.get("type") for _, m in _items(data, "mentions") if isinstance(m.get("id"), str)
    }
    member_of: dict[str, str] = {}
    for i, e in _items(data, "entities"):
        for j, ref in _enumerate(e.get("mentions")):
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
        for j, ref in _enumerate(c.get("events")):
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
        seen: set[tuple[str, str]] = set()
        for j, arg in _enumerate(ev.get("arguments")):
            if not isinstance(arg, dict):
                continue
            role, mention = arg.get("role"), arg.get("mention")
            if not (isinstance(role, str) and isinstance(mention, str)):
                continue  # the schema has said what is wrong
            key = (role, mention)
            if key in seen:
                yield (
                    f"$.events[{i}].arguments[{j}]",
                    f"argument {role} {arg.get('mention')!r} is listed twice",
                )
            seen.add(key)


def _check_events_roles(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    roles = ontology().event_roles
    for i, ev in _items(data, "events"):
        allowed = roles.get(str(ev.get("type")))
        if allowed is None:
            continue
        for j, arg in _enumerate(ev.get("arguments")):
            role = arg.get("role") if isinstance(arg, dict) else None
            if isinstance(role, str) and role not in allowed:
                yield (
                    f"$.events[{i}].arguments[{j}].role",
                    f"role {role!r} is not allowed for {ev.get('type')}; allowed: {', '.join(allowed)}",
                )


def _check_quotes(data: dict[str, Any], text: str) -> Iterator[tuple[str, str]]:
    """Direct and mixed content sits inside quotation marks; indirect content does not."""
    for i, q in _items(data, "quotes"):
        yield from _quote_marks(i, q.get("type"), _span_list(q.get("content")), text)


def _quote_marks(
    i: int, kind: Any, content: Iterable[tuple[int, dict[str, Any]]], text: str
) -> Iterator[tuple[str, str]]:
    """:func:`_check_quotes` for quote ``i``: its ``content`` is its spans, numbered, already known to be spans."""
    for j, s in content:
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
