"""Entity clusters from the finders' keys: the same name, the same country ("Iraq", "Iraqi"), an acronym and
its expansion ("PMF", "Popular Mobilization Forces"), a surname and the full name. Mentions without a key
(nominals, pronouns) are clusters of their own: the rules do not guess what they refer to."""

from __future__ import annotations

from collections.abc import Sequence

from newsbench.baselines.rules.found import Found

from newsbench.model import Entity, Mention
from newsbench.spans import Span


def to_mentions(text: str, found: Sequence[Found]) -> list[Mention]:
    """Mentions in text order with ids ``m1``, ``m2``, ..."""
    return [
        Mention(f"m{i}", (Span.of(text, f.start, f.end),), f.type, f.kind)
        for i, f in enumerate(sorted(found), 1)
    ]


def cluster(found: Sequence[Found], mentions: Sequence[Mention]) -> list[Entity]:
    """One entity per (type, key), in order of first mention, named by its longest named mention."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for f, m in zip(sorted(found), mentions, strict=True):
        key = (f.type, f.key if f.key is not None else f"#{m.id}")
        groups.setdefault(key, []).append(m)
    entities = []
    for i, members in enumerate(groups.values(), 1):
        named = [m.text for m in members if m.kind == "NAM"]
        name = max(named, key=len) if named else None
        entities.append(Entity(f"e{i}", members[0].type, tuple(m.id for m in members), name))
    return entities
