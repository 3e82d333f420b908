"""Character spans: half-open ranges of Unicode code points over a document's text.

Python ``str`` indexes by code point, so ``text[start:end]`` is exactly the covered text; astral characters
(emoji) count as one, combining marks count on their own, and CRLF counts as two. The arithmetic scoring
needs (size, shared code points, character-overlap F1) works on :data:`Offsets`, plain tuples, because
scoring computes it millions of times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """``[start, end)`` in code points, with the text it covers (kept so readers can verify offsets)."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``text``, its covered text filled in."""
        return cls(start, end, text[start:end])

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Touching spans ``[5,10)`` and ``[10,15)`` share no character, so they do not overlap."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


Offsets = tuple[tuple[int, int], ...]
"""An item's ``(start, end)`` ranges, several for a discontinuous one, in text order and not overlapping each
other (the validator guarantees this for documents): what matching and scoring compute with."""


def offsets(spans: Sequence[Span]) -> Offsets:
    if len(spans) == 1:  # the common case, several times faster than the general one
        return ((spans[0].start, spans[0].end),)
    return tuple([(s.start, s.end) for s in spans])


def size(a: Offsets) -> int:
    """Code points covered."""
    if len(a) == 1:
        return a[0][1] - a[0][0]
    return sum(end - start for start, end in a)


def shared(a: Offsets, b: Offsets) -> int:
    """Code points covered by both (a two-pointer walk; both lists are in text order)."""
    if len(a) == 1 and len(b) == 1:
        return max(0, min(a[0][1], b[0][1]) - max(a[0][0], b[0][0]))
    total = i = j = 0
    while i < len(a) and j < len(b):
        (s1, e1), (s2, e2) = a[i], b[j]
        total += max(0, min(e1, e2) - max(s1, s2))
        if e1 <= e2:
            i += 1
        else:
            j += 1
    return total


def dice(a: Offsets, b: Offsets, common: int | None = None) -> float:
    """Character-overlap F1 of two items: ``2·shared / (|a| + |b|)``."""
    common = shared(a, b) if common is None else common
    total = size(a) + size(b)
    return 2 * common / total if total else 0.0


def is_offset(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an offset, count or index as JSON gives it: an ``int``, never a float such as
    ``3.0`` (which JSON Schema calls an integer) nor a bool (which Python calls one).

    The one test every reader applies: gold, predictions, imports and cache entries.
    """
    return type(value) is int
