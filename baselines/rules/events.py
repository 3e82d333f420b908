"""Events from an ACE trigger lexicon, with arguments attached by proximity inside the sentence.

A trigger is a lower-case word (or phrase) of the lexicon outside any name. For each role of the event type,
the candidates are the sentence's mentions of a type that can fill it (``role_types`` in the data file);
subject-side roles (Attacker, Agent, ...) take the nearest candidate before the trigger, the others the
nearest after it, then before. A place must follow a locative preposition ("in Babil province"). Each mention
fills at most one role of an event.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

from newsbench.model import Argument, Event, Mention
from newsbench.ontology import ontology
from newsbench.spans import Span

from .lexicon import lexicon
from .segments import Segment, all_sentences

_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|across|into|from|to|on)\s+(?:the\s+)?(?:\S+\s+)?$", re.I
)
_MAX_ARGUMENT_DISTANCE = 120
"""Code points between trigger and argument beyond which a same-sentence mention is too far to guess at."""
_ATTRIBUTE_WINDOW = 4
"""Words before a trigger that can mark its attributes ("caused no injuries", "to combat")."""


@cache
def trigger_pattern() -> re.Pattern[str]:
    words = sorted(lexicon().triggers, key=lambda w: (-len(w), w))
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def _fillers(role: str, trigger: Span, pool: list[Mention], text: str) -> list[Mention]:
    types = lexicon().role_types.get(role, ())
    out = [m for m in pool if m.type in types and not m.spans[0].overlaps(trigger)]
    if role == "Place":
        out = [m for m in out if _LOCATIVE.search(text[max(0, m.start - 40) : m.start]) and m.kind != "PRO"]
    return out


def _arguments(event_type: str, trigger: Span, pool: list[Mention], text: str) -> tuple[Argument, ...]:
    lex = lexicon()
    used: set[str] = set()
    args: list[Argument] = []
    near = [m for m in pool if abs(m.start - trigger.start) <= _MAX_ARGUMENT_DISTANCE]
    for role in ontology().event_roles[event_type]:
        fillers = [m for m in _fillers(role, trigger, near, text) if m.id not in used]
        before = sorted((m for m in fillers if m.end <= trigger.start), key=lambda m: -m.end)
        after = sorted((m for m in fillers if m.start >= trigger.end), key=lambda m: m.start)
        order = before if role in lex.subject_roles else after + before
        if role == "Time":
            order = sorted(fillers, key=lambda m: abs(m.start - trigger.start))
        if order:
            args.append(Argument(role, order[0].id))
            used.add(order[0].id)
    return tuple(args)


def _attributes(text: str, sentence: Segment, trigger: Span) -> dict[str, str]:
    """Attributes from the few words before the trigger: negation, irrealis and tense markers."""
    words = {
        w.lower() for w in re.findall(r"[\w’']+", text[sentence.start : trigger.start])[-_ATTRIBUTE_WINDOW:]
    }
    cues = lexicon().attribute_words
    if words & cues["future"]:
        tense = "future"
    elif words & cues["present"]:
        tense = "present"
    else:
        tense = "past"
    return {
        "polarity": "negative" if words & cues["negative"] else "positive",
        "modality": "other" if words & cues["irrealis"] else "asserted",
        "genericity": "specific",
        "tense": tense,
    }


def _sentence(sentences: list[Segment], pos: int) -> Segment | None:
    return next((s for s in sentences if s.start <= pos < s.end), None)


def find_events(text: str, mentions: Sequence[Mention]) -> list[Event]:
    """Events in text order, ids ``ev1``, ``ev2``, ... (attributes from nearby words)."""
    lex = lexicon()
    sentences = all_sentences(text, lex)
    named = [False] * len(text)
    for m in mentions:
        if m.kind == "NAM":
            for span in m.spans:
                named[span.start : span.end] = [True] * len(span)
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    starts = [m.start for m in ordered]
    events: list[Event] = []
    for match in trigger_pattern().finditer(text):
        trigger = Span.of(text, match.start(), match.end())
        if any(named[p] for p in range(trigger.start, trigger.end)):
            continue
        sentence = _sentence(sentences, match.start())
        if sentence is None:
            continue
        lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        pool = [m for m in ordered[lo:hi] if m.end <= sentence.end]
        event_type = lex.triggers[match.group()]
        args = _arguments(event_type, trigger, pool, text)
        events.append(
            Event(f"ev{len(events) + 1}", event_type, trigger, args, **_attributes(text, sentence, trigger))
        )
    return events
