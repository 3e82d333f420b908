"""Entity clusters without a model.

The finders give names a key -- the same name, the same country ("Iraq", "Iraqi"), an acronym and its
expansion ("PMF", "Popular Mobilization Forces"), a surname and the full name. Here a role phrase right
before a person's name ("Pentagon spokesman Maj. Gen. Patrick Ryder") and an appositive right after it
("Yehia Rasool, a spokesman") join that person, and a pronoun takes the type and entity of the nearest
preceding name it can refer to. Other nominals are clusters of their own: the rules do not guess whether
"the militias" are the ones named before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from newsbench.model import Entity, Mention
from newsbench.spans import Span

from .found import Found
from .lexicon import lexicon

_APPOSITION = re.compile(r", (?:(?:a|an|the) )?")


def link_roles(text: str, found: Sequence[Found]) -> list[Found]:
    """Role phrases and appositives of a named person share the person's key."""
    lex = lexicon()
    people = sorted(f for f in found if f.type == "PER" and f.kind == "NAM")
    starts = [p.start for p in people]
    out = []
    for f in found:
        if f.type == "PER" and f.kind == "NOM":
            i = bisect_left(starts, f.end)
            after = people[i] if i < len(people) else None
            before = next((p for p in reversed(people[:i]) if p.end <= f.start), None)
            gap = text[f.end : after.start] if after else ""
            if after is not None and gap.startswith(" ") and all(w in lex.titles for w in gap.split()):
                f = replace(f, key=after.key)
            elif before is not None and _APPOSITION.fullmatch(text[before.end : f.start]):
                f = replace(f, key=before.key)
        out.append(f)
    return out


def resolve_pronouns(text: str, found: Sequence[Found]) -> list[Found]:
    """Each pronoun takes the type and key of the nearest preceding name of a type it can refer to (the
    first type listed for it when there is none)."""
    allowed = lexicon().pronouns
    names = sorted((f for f in found if f.kind == "NAM"), key=lambda f: f.end)
    ends = [n.end for n in names]
    out = []
    for f in found:
        if f.kind == "PRO":
            types = allowed[text[f.start : f.end].lower()]
            preceding = reversed(names[: bisect_right(ends, f.start)])
            antecedent = next((n for n in preceding if n.type in types), None)
            f = (
                replace(f, type=antecedent.type, key=antecedent.key)
                if antecedent
                else replace(f, type=types[0])
            )
        out.append(f)
    return out


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
