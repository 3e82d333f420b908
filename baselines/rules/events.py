"""Events from an ACE trigger lexicon, with arguments attached by position and type inside the sentence.

A trigger is a lower-case word (or phrase) of the lexicon outside any name. Arguments are mentions of the
trigger's sentence, of a type that can fill the role (``role_types`` in the data file), the outermost of
nested ones ("[Iranian-backed forces]", not "Iranian") and never a role phrase whose name follows it (the name
is the argument). Then, per role:

- Place, Origin, Destination: a mention after the role's preposition ("in Babil", "from our country"), the
  nearest after the trigger (else before it) with no other trigger between, plus mentions coordinated with it
  ("in Iraq and Syria", "at a small base in Jordan"). Such mentions fill no other role.
- Time: the nearest TIME mention with no other trigger between.
- Subject-side roles (Attacker, Agent, ...): the nearest mention before the trigger with nothing but words
  between (no punctuation, no speech verb, no "that"), or one after it introduced by "by" (a passive).
- Other roles (Target, Victim, ...): the nearest mention after the trigger; for an Instrument or Vehicle,
  else the nearest before it, as for subject-side roles ("U.S. fighter jets struck").

Each mention fills at most one role of an event. Attributes come from the few words before the trigger.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from newsbench.model import Argument, Event, Mention
from newsbench.ontology import ontology
from newsbench.spans import Span

from .lexicon import Lexicon, lexicon
from .segments import Segment, all_sentences

_ATTRIBUTE_WINDOW = 4
"""Words before a trigger that can mark its attributes ("caused no injuries", "to combat")."""
_SKIPPED_BEFORE_MENTION = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "our", "their", "its", "his", "her", "my", "your"]
)
"""Words between a preposition and its mention ("in the country", "from our country")."""
_COORDINATION = re.compile(r",? (?:and|or|in) ")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\bthat\b")
_WORDS = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")


@cache
def trigger_pattern() -> re.Pattern[str]:
    words = sorted(lexicon().triggers, key=lambda w: (-len(w), w))
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


@dataclass(frozen=True)
class _Sentence:
    """What argument attachment needs to know about one sentence."""

    text: str
    pool: list[Mention]
    triggers: list[Span]
    lex: Lexicon

    def preposition(self, m: Mention) -> str:
        """The word before ``m``, past determiners and possessives ("" at the sentence start)."""
        before = _WORDS.findall(self.text, max(0, m.start - 40), m.start)
        while before and before[-1].lower() in _SKIPPED_BEFORE_MENTION:
            before.pop()
        if len(before) >= 2 and f"{before[-2]} {before[-1]}".lower() == "out of":
            return "out of"
        return before[-1].lower() if before else ""

    def between(self, a: int, b: int) -> str:
        return self.text[min(a, b) : max(a, b)]

    def trigger_between(self, trigger: Span, m: Mention) -> bool:
        lo, hi = min(trigger.end, m.end), max(trigger.start, m.start)
        return any(lo <= t.start and t.end <= hi for t in self.triggers if t != trigger)

    def clean_gap(self, m: Mention, trigger: Span) -> bool:
        """Only words between ``m`` and a later trigger: no punctuation, "that" or speech verb."""
        gap = self.between(m.end, trigger.start)
        return not _CLAUSE_BREAK.search(gap) and not any(w in self.lex.speech_verbs for w in gap.split())

    def role_phrase(self, m: Mention) -> bool:
        """A role noun before the name it describes ("top Hezbollah commander Fuad Shukr")."""
        if m.kind != "NOM" or m.type != "PER":
            return False
        name = next((n for n in self.pool if n.start >= m.end and n.kind == "NAM" and n.type == "PER"), None)
        return name is not None and all(w in self.lex.titles for w in self.between(m.end, name.start).split())


def _outermost(mentions: list[Mention]) -> list[Mention]:
    return [
        m for m in mentions if not any(o is not m and o.start <= m.start and m.end <= o.end for o in mentions)
    ]


def _arguments(event_type: str, trigger: Span, s: _Sentence) -> tuple[Argument, ...]:
    lex = s.lex
    positional = set().union(*lex.role_prepositions.values())
    used: set[str] = set()
    args: list[Argument] = []
    for role in ontology().event_roles[event_type]:
        types = lex.role_types.get(role, ())
        fillers = [
            m
            for m in s.pool
            if m.type in types
            and not m.spans[0].overlaps(trigger)
            and m.id not in used
            and not s.role_phrase(m)
        ]
        fillers = _outermost(fillers)
        before = sorted((m for m in fillers if m.end <= trigger.start), key=lambda m: -m.end)
        after = sorted((m for m in fillers if m.start >= trigger.end), key=lambda m: m.start)
        chosen: list[Mention] = []
        if role in lex.role_prepositions:
            allowed = lex.role_prepositions[role]
            here = [
                m for m in after + before if s.preposition(m) in allowed and not s.trigger_between(trigger, m)
            ]
            if here:
                chosen = [here[0]]
                for m in sorted(fillers, key=lambda m: m.start):
                    if m.start > chosen[-1].end and _COORDINATION.fullmatch(
                        s.between(chosen[-1].end, m.start)
                    ):
                        chosen.append(m)
        elif role == "Time":
            chosen = [m for m in after + before if not s.trigger_between(trigger, m)][:1]
        elif role in lex.subject_roles:
            clean = [m for m in before if s.preposition(m) not in positional and s.clean_gap(m, trigger)]
            passive = [m for m in after if s.preposition(m) == "by"]
            chosen = (clean or passive)[:1]
        else:
            chosen = [m for m in after if s.preposition(m) not in positional | {"by"}][:1]
            if not chosen and role in lex.either_side_roles:
                chosen = [m for m in before if s.clean_gap(m, trigger)][:1]
        for m in chosen:
            args.append(Argument(role, m.id))
            used.add(m.id)
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


def find_events(text: str, mentions: Sequence[Mention]) -> list[Event]:
    """Events in text order, ids ``ev1``, ``ev2``, ..., with arguments and attributes."""
    lex = lexicon()
    named = [False] * len(text)
    for m in mentions:
        if m.kind == "NAM":
            for span in m.spans:
                named[span.start : span.end] = [True] * len(span)
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    starts = [m.start for m in ordered]
    triggers = [
        Span.of(text, match.start(), match.end())
        for match in trigger_pattern().finditer(text)
        if not any(named[match.start() : match.end()])
    ]
    events: list[Event] = []
    for sentence in all_sentences(text, lex):
        here = [t for t in triggers if sentence.start <= t.start and t.end <= sentence.end]
        if not here:
            continue
        lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        context = _Sentence(text, [m for m in ordered[lo:hi] if m.end <= sentence.end], here, lex)
        for trigger in here:
            event_type = lex.triggers[trigger.text]
            args = _arguments(event_type, trigger, context)
            events.append(
                Event(
                    f"ev{len(events) + 1}", event_type, trigger, args, **_attributes(text, sentence, trigger)
                )
            )
    return events
