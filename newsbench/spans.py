"""Character spans: half-open ranges of Unicode code points over a document's text.

Python ``str`` indexes by code point, so ``text[start:end]`` is exactly the covered text; astral characters
(emoji) count as one, combining marks count on their own, and CRLF counts as two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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


def overlap_length(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Number of code points covered by both span sets (each set may be discontinuous, not self-overlapping)."""
    total = 0
    b_list = sorted(b)
    for x in sorted(a):
        for y in b_list:
            if y.start >= x.end:
                break
            total += max(0, min(x.end, y.end) - max(x.start, y.start))
    return total


def covered(spans: Iterable[Span]) -> int:
    """Number of code points a span set covers."""
    return sum(len(s) for s in spans)


def extent(spans: Iterable[Span]) -> tuple[int, int]:
    """The smallest ``(start, end)`` range holding every span."""
    spans = list(spans)
    return min(s.start for s in spans), max(s.end for s in spans)
