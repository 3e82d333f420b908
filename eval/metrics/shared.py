"""One shared instance per equal value, for the small immutable values every document's statistics repeat.

Every document has the same hundred statistics keys, a few confusion cells and mostly the same counts. Made
afresh per document, they were most of what the statistics of a corpus weigh; shared, 20,000 documents
keep theirs in tens of megabytes. Values are shared where they are made, so results need no pass to share
them afterwards, and results handed over from a worker process arrive sharing within their batch (pickle
writes an object met twice once). A table is emptied when it reaches :data:`BOUND`, so memory stays bounded
on any input; equal values made after that are merely not shared.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

H = TypeVar("H", bound=Hashable)

BOUND = 1 << 16
"""Entries a table holds before it is emptied: far more than the keys, cells or counts of real corpora."""


def shared(table: dict[H, H], value: H) -> H:
    """The instance in ``table`` equal to ``value``, which becomes it if there is none."""
    found = table.get(value)
    if found is None:
        if len(table) >= BOUND:
            table.clear()
        found = table[value] = value
    return found
