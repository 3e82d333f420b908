"""A mention the rules found, before ids are given: where it is, its type and kind, and a clustering key."""

from __future__ import annotations

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


def without_overlaps(ranked: list[list[Found]]) -> list[Found]:
    """Mentions from several finders, earlier lists winning: a mention overlapping a kept one is dropped."""
    kept: list[Found] = []
    for group in ranked:
        for found in sorted(group):
            if not any(found.overlaps(k) for k in kept):
                kept.append(found)
    return sorted(kept)
