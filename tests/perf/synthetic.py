"""Synthetic news-like gold documents and noisy predictions, for benchmarks at scale.

Sentences put named mentions, event triggers with arguments and quoted speech with a cue and a speaker at
known offsets, on token boundaries (so the CoNLL view and the span view see the same mentions). A seeded
prediction drops, retypes, trims and invents items so every metric has matches, misses and spurious items.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from newsbench.model import Argument, Document, Entity, Event, Mention, Quote, SystemInfo
from newsbench.spans import Span

NAMES = (
    ("Alice Moreau", "PER"),
    ("Jonas Weber", "PER"),
    ("Acme Corporation", "ORG"),
    ("Globex", "ORG"),
    ("Springfield", "GPE"),
    ("Northern Province", "GPE"),
    ("Lake Placid", "LOC"),
    ("City Hall", "FAC"),
    ("Monday", "TIME"),
)
EVENTS = (
    ("attacked", "Conflict.Attack", ("Attacker", "Target")),
    ("met", "Contact.Meet", ("Entity", "Place")),
    ("sued", "Justice.Sue", ("Plaintiff", "Defendant")),
    ("hired", "Personnel.Start-Position", ("Entity", "Person")),
)
FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "officials",
    "report",
    "new",
    "week",
    "after",
    "local",
]
SYSTEM = SystemInfo("synthetic-noise", "1")


@dataclass
class _Builder:
    """Appends words with single spaces, remembering where each piece lands."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    tokens: int = 0

    def add(self, word: str) -> Span:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        self.parts.append(word)
        start = self.length
        self.length += len(word)
        self.tokens += len(word.split())
        return Span(start, self.length, word)

    def text(self) -> str:
        return "".join(self.parts)


def gold_document(doc_id: str, n_tokens: int, rng: random.Random) -> Document:
    b = _Builder()
    mentions: list[Mention] = []
    by_name: dict[str, list[str]] = {}
    events: list[Event] = []
    quotes: list[Quote] = []

    def mention(name: str, type_: str) -> Mention:
        m = Mention(f"m{len(mentions)}", (b.add(name),), type_, "NAM")
        mentions.append(m)
        by_name.setdefault(name, []).append(m.id)
        return m

    def filler(n: int) -> None:
        for _ in range(n):
            b.add(rng.choice(FILLER))

    while b.tokens < n_tokens:
        first = mention(*rng.choice(NAMES))
        trigger_word, event_type, roles = rng.choice(EVENTS)
        has_event = rng.random() < 0.4
        trigger = b.add(trigger_word if has_event else rng.choice(FILLER))
        filler(rng.randint(3, 8))
        second = mention(*rng.choice(NAMES))
        filler(rng.randint(2, 5))
        b.add(".")
        if has_event:
            arguments = (Argument(roles[0], first.id), Argument(roles[1], second.id))
            events.append(Event(f"ev{len(events)}", event_type, trigger, arguments, polarity="positive"))
        if rng.random() < 0.25:
            b.add("“")
            words = [b.add(rng.choice(FILLER)) for _ in range(rng.randint(5, 12))]
            b.add("”")
            cue = b.add("said")
            speaker = mention(*rng.choice(NAMES[:4]))
            b.add(".")
            content = Span(words[0].start, words[-1].end, "")
            quotes.append(Quote(f"q{len(quotes)}", "direct", (content,), cue, speaker.id))
    text = b.text()
    quotes = [
        Quote(q.id, q.type, tuple(Span.of(text, s.start, s.end) for s in q.content), q.cue, q.speaker)
        for q in quotes
    ]
    entities = tuple(
        Entity(f"e{i}", next(m.type for m in mentions if m.id == ids[0]), tuple(ids))
        for i, (_, ids) in enumerate(sorted(by_name.items()))
    )
    return Document(
        id=doc_id,
        text=text,
        mentions=tuple(mentions),
        entities=entities,
        events=tuple(events),
        quotes=tuple(quotes),
    )


def noisy_prediction(gold: Document, rng: random.Random) -> Document:
    """Drop ~8%, retype ~5%, trim ~5% of mentions, add spurious ones; perturb events and quotes alike."""
    types = sorted({t for _, t in NAMES})
    kept: dict[str, Mention] = {}
    for m in gold.mentions:
        r = rng.random()
        if r < 0.08:
            continue
        if r < 0.13:
            m = Mention(m.id, m.spans, rng.choice(types), m.kind)
        elif r < 0.18 and len(m.spans[0]) > 2:
            s = m.spans[0]
            m = Mention(m.id, (gold.span(s.start, s.end - 1),), m.type, m.kind)
        kept[m.id] = m
    spurious = []
    for i, event in enumerate(gold.events):
        if rng.random() < 0.1:
            spurious.append(Mention(f"s{i}", (event.trigger,), rng.choice(types), "NAM"))
    events = []
    for event in gold.events:
        r = rng.random()
        if r < 0.1:
            continue
        type_ = "Life.Die" if r < 0.18 else event.type
        args = tuple(a for a in event.arguments if a.mention in kept and rng.random() > 0.05)
        events.append(Event(event.id, type_, event.trigger, args, polarity=event.polarity))
    quotes = []
    for q in gold.quotes:
        if rng.random() < 0.1:
            continue
        speaker = q.speaker if q.speaker in kept and rng.random() > 0.1 else None
        quotes.append(Quote(q.id, q.type, q.content, q.cue, speaker))
    entities = tuple(
        Entity(e.id, e.type, tuple(m for m in e.mentions if m in kept))
        for e in gold.entities
        if any(m in kept for m in e.mentions)
    )
    return Document(
        id=gold.id,
        text=gold.text,
        system=SYSTEM,
        mentions=tuple(kept.values()) + tuple(spurious),
        entities=entities,
        events=tuple(events),
        quotes=tuple(quotes),
    )


def corpus(n_docs: int, tokens_per_doc: int, seed: int) -> tuple[list[Document], list[Document]]:
    rng = random.Random(seed)
    gold = [gold_document(f"doc-{i:06d}", tokens_per_doc, rng) for i in range(n_docs)]
    return gold, [noisy_prediction(g, rng) for g in gold]
