"""``errors.jsonl``: every error once, with the metrics it affects, in a stable order.

The scorers report an error under each metric that counts it (a missed mention is missed in all four entity
modes). :func:`document_errors` turns one document's records into one record per error: records with the
same layer, cause, gold item and predicted item are one error, and the record lists every metric it
affects. It is pure and works per document, so a writer can stream a corpus document by document.

One line of ``errors.jsonl`` (keys sorted):

- ``doc_id``, ``task`` (``entities``/``events``/``quotes``) and ``layer``: what kind of item is wrong,
  ``entities``, ``triggers``, ``arguments``, ``quotes`` or ``cues``;
- ``reason``: the error's cause, one of :data:`REASONS` (``missed``: a gold item with no partner;
  ``spurious``: a prediction with no partner; ``type``: right span, wrong type; ``span``: overlapping
  spans that differ; ``span and type``; ``role``: an argument with the wrong role; ``event type``: an
  argument of an event of the wrong type; ``event``: an argument of an event whose trigger was not
  matched; ``speaker``: a quote with the wrong speaker; ``polarity``, ``modality``, ``genericity``,
  ``tense``: a matched trigger with a wrong attribute), and ``detail`` in words;
- ``metrics``: the metrics of the task that count it, in report order; ``credit``: the partial credit it
  earned in the entity ``partial`` mode, when it is one;
- ``type``: the label it is counted under (entity, event or quote type; for arguments the role);
- ``gold`` and ``pred``: the items (id, spans with their text, type; arguments also their role and their
  event's trigger text and type), ``null`` on the side that has none;
- ``context``: the sentence around the error (``start``, ``end``, ``text``), for reading it in place.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import groupby
from typing import Any

from newsbench.eval.metrics.catalog import display_key
from newsbench.eval.metrics.results import DocResult, ErrorRecord

JSON = dict[str, Any]

LAYERS = ("entities", "triggers", "arguments", "quotes", "cues")
REASONS = (
    "missed",
    "spurious",
    "type",
    "span",
    "span and type",
    "role",
    "event type",
    "event",
    "speaker",
    "polarity",
    "modality",
    "genericity",
    "tense",
)
CONTEXT_REACH = 240
"""Code points the context reaches at most on each side of an error when no sentence boundary is nearer."""

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+|\n\s*")
_ABBREVIATION = re.compile(r"(?:^|\W)(?:[A-Z][a-z]{0,2}|[A-Za-z](?:\.[A-Za-z])+)$")
"""A word before a full stop that makes it an abbreviation rather than a sentence end: ``Mr.``, ``Maj.``,
``Oct.``, ``U.S.`` (a heuristic: it only chooses how much context an error shows)."""


def sentence_ends(text: str) -> list[tuple[int, int]]:
    """Where sentences end in ``text``: ``(last code point of the sentence + 1, start of the next)``."""
    return [
        (found.start() + 1, found.end())
        for found in _SENTENCE_END.finditer(text)
        if text[found.start()] != "."
        or not _ABBREVIATION.search(text, max(0, found.start() - 12), found.start())
    ]


def _first_start(item: Any) -> int:
    """The first ``start`` offset found in a gold or predicted item (depth first), or -1 when there is none."""
    if isinstance(item, dict):
        if isinstance(item.get("start"), int):
            return int(item["start"])
        values: Iterable[Any] = item.values()
    elif isinstance(item, list):
        values = item
    else:
        return -1
    for value in values:
        found = _first_start(value)
        if found >= 0:
            return found
    return -1


_LINE_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
"""The encoder of every ``errors.jsonl`` line: ``json.dumps`` with options builds a new encoder per call,
which was a large share of writing a line; an encoder keeps no state between calls, so one is shared."""


def error_line(record: ErrorRecord | Mapping[str, Any]) -> str:
    """One line of ``errors.jsonl`` (without its newline): every writer of the file uses it."""
    data = record.to_json() if isinstance(record, ErrorRecord) else record
    return _LINE_ENCODER.encode(data)


def sorted_errors(results: Iterable[DocResult]) -> list[ErrorRecord]:
    """Per-metric records by document, task, metric (display order), text position, kind and reason.

    Records equal on all of these (rare: two errors at one position with one reason) are ordered by their
    own JSON, so the order is total and never depends on the order in which the scorer found the errors
    or on the order of the input documents. Serialising only those few keeps sorting cheap.
    """

    def key(record: ErrorRecord) -> tuple[Any, ...]:
        where = _first_start(record.gold) if record.gold is not None else _first_start(record.pred)
        return (record.doc_id, display_key(record.task, record.metric), where, record.kind, record.reason)

    out: list[ErrorRecord] = []
    for _, group in groupby(sorted((e for r in results for e in r.errors), key=key), key=key):
        tied = list(group)
        out.extend(sorted(tied, key=error_line) if len(tied) > 1 else tied)
    return out


def marked_spans(item: JSON | None, layer: str) -> list[tuple[int, int]]:
    """The offsets an error's item marks in the text: a cue's span for cue errors, else the item's spans."""
    if not item:
        return []
    spans = [item["cue"][0]] if layer == "cues" and item.get("cue") else item.get("spans") or []
    return [(int(s["start"]), int(s["end"])) for s in spans]


def sentence_around(
    text: str, start: int, end: int, ends: Sequence[tuple[int, int]] | None = None
) -> tuple[int, int]:
    """The sentence(s) holding ``[start, end)``: from the last sentence end before it to the first after,
    at most :data:`CONTEXT_REACH` code points away on each side (then cut at a space). ``ends`` is
    :func:`sentence_ends` of ``text``, found once per document by callers that ask many times."""
    found = sentence_ends(text) if ends is None else ends
    low, high = max(0, start - CONTEXT_REACH), min(len(text), end + CONTEXT_REACH)
    i = bisect_right(found, (start, len(text) + 1)) - 1  # the last end at or before the error
    while i >= 0 and found[i][1] > start:
        i -= 1
    if i >= 0 and found[i][1] >= low:
        begin = found[i][1]
    else:
        space = text.find(" ", low, start) if low > 0 else -1
        begin = space + 1 if space >= 0 else low
    j = bisect_left(found, (end, -1))
    if j < len(found) and found[j][0] <= high:
        finish = found[j][0]
    else:
        space = text.rfind(" ", end, high) if high < len(text) else -1
        finish = space if space >= 0 else high
    return begin, max(finish, end)


def _label(record: ErrorRecord) -> str:
    item = record.gold or record.pred or {}
    if record.layer == "arguments":
        return str(item.get("role", ""))
    return str(item.get("type", ""))


def _item_key(item: JSON | None) -> tuple[Any, ...] | None:
    if item is None:
        return None
    event = item.get("event") or {}
    return item.get("id"), item.get("role"), event.get("id")


def leave_out(result: DocResult, groups: Collection[Hashable]) -> Counter[Hashable]:
    """Take the records of ``groups`` (``(task, layer, cause)``) out of ``result.errors`` and return how many
    errors they are per group, as :func:`document_errors` would count them, without building them.

    A sample of ``errors.jsonl`` that already holds its share of a group writes none of its later records,
    only counts them; building them (their sentence of context, their order) was most of the error work.
    A group is a prefix of the key that merges a document's records into one error, so leaving a group out
    changes nothing in the records :func:`document_errors` makes of the others. The merge keys a scorer
    recorded instead of building records (``result.left_out``) are counted with them.
    """
    left: set[tuple[Any, ...]] = result.left_out or set()
    result.left_out = None
    if not groups or not result.errors:
        return _per_group(left)
    kept: list[ErrorRecord] = []
    for record in result.errors:
        if (record.task, record.layer, record.cause) in groups:
            left.add(
                (record.task, record.layer, record.cause, _item_key(record.gold), _item_key(record.pred))
            )
        else:
            kept.append(record)
    result.errors[:] = kept
    return _per_group(left)


def _per_group(keys: set[tuple[Any, ...]]) -> Counter[Hashable]:
    """Merge keys ``(task, layer, cause, gold, pred)`` counted by their group ``(task, layer, cause)``."""
    return Counter(key[:3] for key in keys)


def document_errors(result: DocResult, text: str | None = None) -> list[JSON]:
    """One document's errors, one record per error (see the module docstring), in a stable order.

    ``text`` is the gold document's text; with it each record carries its sentence as ``context``.
    """
    merged: dict[tuple[Any, ...], list[ErrorRecord]] = {}
    for record in result.errors:
        key = (record.task, record.layer, record.cause, _item_key(record.gold), _item_key(record.pred))
        merged.setdefault(key, []).append(record)
    out = []
    ends = sentence_ends(text) if text is not None and merged else []
    for records in merged.values():
        records.sort(key=lambda r: display_key(r.task, r.metric))
        first = records[0]
        entry: JSON = {
            "doc_id": result.doc_id,
            "task": first.task,
            "layer": first.layer,
            "reason": first.cause,
            "detail": "; ".join(dict.fromkeys(r.reason for r in records if r.reason)),
            "metrics": list(dict.fromkeys(r.metric for r in records)),
            "type": _label(first),
            "gold": first.gold,
            "pred": first.pred,
        }
        credits = [r.credit for r in records if r.credit is not None]
        if credits:
            entry["credit"] = credits[0]
        marks = marked_spans(first.gold, first.layer) + marked_spans(first.pred, first.layer)
        if text is not None and marks:
            begin, finish = sentence_around(text, min(s for s, _ in marks), max(e for _, e in marks), ends)
            entry["context"] = {"start": begin, "end": finish, "text": text[begin:finish]}
        out.append(entry)
    ordered: list[JSON] = []
    for _, group in groupby(sorted(out, key=_error_order), key=_error_order):
        tied = list(group)
        ordered.extend(sorted(tied, key=error_line) if len(tied) > 1 else tied)
    return ordered


def _error_order(entry: JSON) -> tuple[Any, ...]:
    """Layer, text position, reason; records equal on these are ordered by their JSON."""
    layer = LAYERS.index(entry["layer"]) if entry["layer"] in LAYERS else len(LAYERS)
    item = entry["gold"] or entry["pred"] or {}
    spans = item.get("spans") or [{"start": -1}]
    return layer, spans[0]["start"], entry["reason"]


def corpus_errors(results: Sequence[DocResult], texts: Sequence[str | None]) -> list[JSON]:
    """Every document's :func:`document_errors`, documents in the order given (gold id order in reports)."""
    return [
        entry for result, text in zip(results, texts, strict=True) for entry in document_errors(result, text)
    ]


def errors_jsonl(records: Iterable[ErrorRecord | JSON]) -> str:
    """One compact JSON object per line, keys sorted."""
    return "".join(error_line(r) + "\n" for r in records)
