"""Builders for evaluation tests: predictions derived from gold JSON."""

from __future__ import annotations

import copy
from typing import Any

SYSTEM = {"name": "test-system", "version": "1", "config": {}}


def prediction(
    gold: dict[str, Any], drop: frozenset[str] = frozenset(), quotes: bool = True
) -> dict[str, Any]:
    """The gold document as a system output, less the mentions in ``drop`` and whatever refers to them."""
    doc = copy.deepcopy(gold)
    doc["system"] = dict(SYSTEM)
    doc["mentions"] = [m for m in doc["mentions"] if m["id"] not in drop]
    doc["entities"] = [
        {**e, "mentions": [m for m in e["mentions"] if m not in drop]}
        for e in doc["entities"]
        if any(m not in drop for m in e["mentions"])
    ]
    for event in doc["events"]:
        event["arguments"] = [a for a in event["arguments"] if a["mention"] not in drop]
    doc["quotes"] = [] if not quotes else doc["quotes"]
    for quote in doc["quotes"]:
        if quote.get("speaker") in drop:
            quote["speaker"] = None
    return doc
