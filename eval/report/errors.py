"""``errors.jsonl``: every false positive, false negative, partial and mistyped match, in a stable order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from newsbench.eval.metrics.catalog import display_key
from newsbench.eval.metrics.results import DocResult, ErrorRecord


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


def _line(record: ErrorRecord) -> str:
    return json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sorted_errors(results: Iterable[DocResult]) -> list[ErrorRecord]:
    """Errors by document, task, metric (display order), text position, kind and reason.

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
        out.extend(sorted(tied, key=_line) if len(tied) > 1 else tied)
    return out


def errors_jsonl(records: Iterable[ErrorRecord]) -> str:
    """One compact JSON object per line, keys sorted."""
    return "".join(_line(r) + "\n" for r in records)
