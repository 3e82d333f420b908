"""How scored items appear in ``errors.jsonl``: spans with their text, type and id, as plain JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsbench.eval.metrics.results import ItemKey
from newsbench.model import Event, Mention, Quote
from newsbench.spans import Span


def spans_json(spans: Iterable[Span]) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "text": s.text} for s in spans]


def mention_json(m: Mention) -> dict[str, Any]:
    return {"id": m.id, "spans": spans_json(m.spans), "text": m.text, "type": m.type, "kind": m.kind}


def event_json(e: Event) -> dict[str, Any]:
    return {"id": e.id, "spans": spans_json([e.trigger]), "text": e.trigger.text, "type": e.type}


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "spans": spans_json(q.content),
        "text": " ".join(s.text for s in q.content),
        "type": q.type,
        "cue": spans_json([q.cue]) if q.cue else None,
        "speaker": q.speaker,
    }


def item_key(item: Mention | Event | Quote) -> ItemKey:
    """The merge key of an item described by :func:`mention_json`, :func:`event_json` or :func:`quote_json`,
    made without describing it (see :attr:`newsbench.eval.metrics.results.DocResult.left_out`)."""
    return item.id, None, None
