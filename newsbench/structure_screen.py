"""A quick yes/no: does a document break none of the structure rules of :mod:`newsbench.consistency`?

Nearly every document read is sound, and the careful checks spend most of their time building a JSON path
for every span in case it is wrong. This screen walks the document once, builds nothing, and answers True
only when it is sure the careful structure checks would find nothing: spans inside the text, equal to their
stored text and in order, no span crossing an ignore region, unique ids, references that resolve, no
argument listed twice, no mention in two entities and no event in two clusters. Anything unexpected (a
float offset, a missing field, a value of the wrong type) answers False, and the careful checks then word
every problem. The rules a prediction may break (roles, member types, quote marks) are not screened here.
"""

from __future__ import annotations

from typing import Any

from newsbench.ontology import ontology

_LAYERS = ("mentions", "entities", "events", "event_coreference", "quotes")


def _span_ok(s: Any, text: str, n: int) -> bool:
    if type(s) is not dict:
        return False
    start, end, stored = s.get("start"), s.get("end"), s.get("text")
    return (
        type(start) is int
        and type(end) is int
        and type(stored) is str
        and 0 <= start < end <= n
        and text[start:end] == stored
    )


def _in_order(spans: Any, text: str, n: int, out: list[tuple[int, int]] | None) -> bool:
    """Every span of a list is sound and starts after the previous one ends; each is added to ``out``.

    The checks of :func:`_span_ok` are written out here: a corpus has hundreds of thousands of mention spans,
    and a call per span cost as much as the checks. ``out`` is None when there is no ignore region to test
    the spans against, so nothing is collected.
    """
    if type(spans) is not list:
        return False
    last = 0  # 0 first: a first span must start inside the text, each later one where the last ended or after
    for s in spans:
        if type(s) is not dict:
            return False
        start, end, stored = s.get("start"), s.get("end"), s.get("text")
        if not (
            type(start) is int
            and type(end) is int
            and type(stored) is str
            and last <= start < end <= n
            and text[start:end] == stored
        ):
            return False
        last = end
        if out is not None:
            out.append((start, end))
    return True


def _ids(data: dict[str, Any]) -> dict[str, str] | None:
    """Id -> layer, or None when an item is not an object, has no string id, or an id is used twice."""
    owners: dict[str, str] = {}
    for key in _LAYERS:
        items = data.get(key, [])
        if type(items) is not list:
            return None
        for item in items:
            ident = item.get("id") if type(item) is dict else None
            if type(ident) is not str or ident in owners:
                return None
            owners[ident] = key
    return owners


def _spans_sound(data: dict[str, Any], text: str) -> bool:
    """Every span sound and in order, and none crossing an ignore region.

    The ignore regions are checked first: most documents have none, and then no span's range is kept.
    """
    n = len(text)
    ignore = data.get("ignore", [])
    if type(ignore) is not list or not all(_span_ok(s, text, n) for s in ignore):
        return False
    spans: list[tuple[int, int]] | None = [] if ignore else None
    for m in data.get("mentions", []):
        if not _in_order(m.get("spans"), text, n, spans):
            return False
    for e in data.get("events", []):
        trigger = e.get("trigger")
        if not _span_ok(trigger, text, n):
            return False
        if spans is not None:
            spans.append((trigger["start"], trigger["end"]))
    for q in data.get("quotes", []):
        if not _in_order(q.get("content"), text, n, spans):
            return False
        cue = q.get("cue")
        if cue is not None:
            if not _span_ok(cue, text, n):
                return False
            if spans is not None:
                spans.append((cue["start"], cue["end"]))
    if spans is None:
        return True
    regions = [(s["start"], s["end"]) for s in ignore]
    for start, end in spans:
        for r_start, r_end in regions:
            if start < r_end and r_start < end and not (r_start <= start and end <= r_end):
                return False
    return True


def _references_sound(data: dict[str, Any], ids: dict[str, str]) -> bool:
    roles = ontology().event_roles
    owner = ids.get
    member_of: set[str] = set()
    for e in data.get("entities", []):
        refs = e.get("mentions")
        if type(refs) is not list:
            return False
        for ref in refs:
            if owner(ref) != "mentions" or ref in member_of:
                return False
            member_of.add(ref)
    for ev in data.get("events", []):
        args = ev.get("arguments", [])
        if type(args) is not list:
            return False
        seen: set[tuple[Any, Any]] = set()
        for arg in args:
            if type(arg) is not dict:
                return False
            role = arg.get("role")
            mention: Any = arg.get("mention")
            if type(role) is not str or owner(mention) != "mentions":
                return False
            key = (role, mention)
            if key in seen and roles.get(str(ev.get("type"))) is not None:
                return False
            seen.add(key)
    clustered: set[str] = set()
    for c in data.get("event_coreference", []):
        refs = c.get("events")
        if type(refs) is not list:
            return False
        for ref in refs:
            if owner(ref) != "events" or ref in clustered:
                return False
            clustered.add(ref)
    for q in data.get("quotes", []):
        for role in ("speaker", "addressee", "medium"):
            ref = q.get(role)
            if ref is not None and owner(ref) != "mentions":
                return False
    return True


def sound_ids(data: dict[str, Any]) -> dict[str, str] | None:
    """Id -> layer when the careful structure checks would find nothing in ``data``; None when they might."""
    text = data.get("text")
    if type(text) is not str:
        return None
    try:
        text.encode("utf-8")
        ids = _ids(data)
        if ids is not None and _spans_sound(data, text) and _references_sound(data, ids):
            return ids
    except (UnicodeEncodeError, TypeError, AttributeError):
        pass  # a lone surrogate, an unhashable reference, an item that is not an object: the careful checks say
    return None
