"""A mention the rules found, before ids are given: where it is, its type and kind, and a clustering key."""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Found:
    """``key`` groups mentions of one entity (same name, same country, an acronym and its expansion);
    None leaves the mention in a cluster of its own."""

    start: int
    end: int
    type: str
    kind: str
    key: str | None = None

    def overlaps(self, other: Found) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Found) -> bool:
        return self.start <= other.start and other.end <= self.end


def _overlapping(disjoint: list[Found], found: Found) -> list[Found]:
    """The members of ``disjoint`` (sorted, pairwise non-overlapping) that overlap ``found``.

    Disjoint spans sorted by start are sorted by end too, so the overlapping ones are one contiguous run.
    """
    i = bisect_left(disjoint, found.start, key=lambda f: f.end)
    while i < len(disjoint) and disjoint[i].end <= found.start:
        i += 1
    out = []
    while i < len(disjoint) and disjoint[i].start < found.end:
        out.append(disjoint[i])
        i += 1
    return out


def without_overlaps(ranked: list[list[Found]]) -> list[Found]:
    """Mentions from several finders, earlier lists winning: a mention overlapping a kept one is dropped."""
    kept: list[Found] = []
    for group in ranked:
        for found in sorted(group):
            if not _overlapping(kept, found):
                insort(kept, found)
    return kept


def add_nesting(kept: list[Found], extra: list[Found]) -> list[Found]:
    """``kept`` (pairwise disjoint) plus the ``extra`` mentions that only contain kept ones (a nominal around
    a name, as in "[[U.S.] officials]") -- never cross one or overlap another extra mention."""
    disjoint = sorted(kept)
    added: list[Found] = []
    for found in sorted(extra):
        crosses = any(not found.contains(k) for k in _overlapping(disjoint, found))
        if not crosses and not _overlapping(added, found):
            insort(added, found)
    return sorted(disjoint + added)
