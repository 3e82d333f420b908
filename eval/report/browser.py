"""The data of ``report.html``'s error browser: the errors a page embeds, in a compact form for its script.

A page cannot hold every error of a large corpus (16,650 errors make a page too heavy to open), so it
embeds at most :data:`MAX_EMBEDDED`, chosen fairly across documents: every document gets the same quota
(all of its errors when it has fewer), so a browser filtered to any document shows its first errors.
The page says how many errors exist, how many it holds and that ``errors.jsonl`` has them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsbench.eval.report.errors import marked_spans

JSON = dict[str, Any]

MAX_EMBEDDED = 5000
"""Errors a page embeds at most."""


@dataclass(frozen=True)
class Embedded:
    """The errors a page holds: compact records, how many exist, and the per-document quota used."""

    records: list[JSON]
    total: int
    per_document: int | None
    """The most errors embedded from one document, or None when every error is embedded."""
    documents: int | None = None
    """Set when more documents have errors than a page holds: the first error of this many documents, the
    first in id order, is embedded."""


def document_quota(counts: Sequence[int], limit: int) -> int | None:
    """The largest per-document quota ``q`` with ``sum(min(n, q)) <= limit``; None when all fit."""
    if sum(counts) <= limit:
        return None
    low, high = 0, max(counts)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(n, middle) for n in counts) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _item(item: JSON | None, layer: str) -> JSON | None:
    if item is None:
        return None
    out: JSON = {
        "s": [list(s) for s in marked_spans(item, layer)],
        "t": item.get("text"),
        "y": item.get("type"),
    }
    if layer == "cues" and item.get("cue"):
        out["t"] = item["cue"][0]["text"]
    if "role" in item:
        event = item.get("event") or {}
        out["role"] = item["role"]
        out["ev"] = f"{event.get('text', '')} ({event.get('type', '')})"
        out["es"] = [[s["start"], s["end"]] for s in event.get("spans", [])]
    return out


def compact(record: JSON) -> JSON:
    """One error as the browser reads it (short keys keep pages of thousands of errors small)."""
    context = record.get("context") or {}
    return {
        "d": record["doc_id"],
        "l": record["layer"],
        "r": record["reason"],
        "y": record["type"],
        "m": record["metrics"],
        "x": record["detail"],
        "c": context.get("text", ""),
        "o": context.get("start", 0),
        "g": _item(record["gold"], record["layer"]),
        "p": _item(record["pred"], record["layer"]),
    }


def embedded_errors(records: Sequence[JSON], limit: int = MAX_EMBEDDED) -> Embedded:
    """At most ``limit`` of ``records`` (in their order), each document's first ones up to a fair quota."""
    per_doc = Counter(r["doc_id"] for r in records)
    quota = document_quota(list(per_doc.values()), limit)
    if quota == 0:  # more documents with errors than the page holds errors: one from each while they fit
        firsts: dict[str, JSON] = {}
        for record in records:
            if len(firsts) == limit:
                break
            firsts.setdefault(record["doc_id"], record)
        return Embedded([compact(r) for r in firsts.values()], len(records), 1, len(firsts))
    taken: Counter[str] = Counter()
    chosen = []
    for record in records:
        if quota is None or taken[record["doc_id"]] < quota:
            taken[record["doc_id"]] += 1
            chosen.append(compact(record))
    return Embedded(chosen, len(records), quota)
