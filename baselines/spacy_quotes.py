"""Quote attribution from a dependency parse: the reporting verb that governs the quote, and its subject.

Quote spans come from quotation marks and speech cues (the ``rules`` baseline's finder, which needs no model);
what a parse adds is *who* said it. The governing verb is found from the quote's root tokens: up their head
chain ("she said [that] …" and "he told reporters: “…”"), or among their outside dependents ("“…,” he said",
which parsers often attach as parataxis of the quote's own verb). The speaker is the verb's nominal subject: the
name mention that covers it, or for a pronoun the nearest preceding mention of a type it can refer to. When
the parse shows no reporting verb the proximity answer stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from newsbench.baselines.rules.lexicon import lexicon
from newsbench.model import Mention, Quote
from newsbench.spans import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
VERB_DEPENDENT_DEPS = frozenset({"parataxis", "advcl", "conj", "ccomp"})
MAX_HEAD_STEPS = 3
"""How far up from the quote's root a reporting verb may sit ("said on Monday that the plan, which …")."""


def _inside(spans: Sequence[Span], offset: int) -> bool:
    return any(s.start <= offset < s.end for s in spans)


def _is_cue(token: Token, speech_verbs: frozenset[str]) -> bool:
    return token.lower_ in speech_verbs


def governing_verb(doc: Doc, content: Sequence[Span]) -> Token | None:
    """The reporting verb outside ``content`` that governs it in the parse, or None."""
    speech = lexicon().speech_verbs
    spans = (doc.char_span(s.start, s.end, alignment_mode="expand") for s in content)
    tokens = [
        t for span in spans if span is not None for t in span if _inside(content, t.idx) and not t.is_space
    ]
    roots = [t for t in tokens if t.head.i == t.i or not _inside(content, t.head.idx)]
    for root in roots:
        head = root
        for _ in range(MAX_HEAD_STEPS):
            if head.head.i == head.i:
                break
            head = head.head
            if not _inside(content, head.idx) and _is_cue(head, speech):
                return head
        for child in root.children:
            if (
                child.dep_ in VERB_DEPENDENT_DEPS
                and not _inside(content, child.idx)
                and _is_cue(child, speech)
            ):
                return child
    return None


def _covering(mentions: Iterable[Mention], offset: int) -> Mention | None:
    return next((m for m in mentions if any(s.start <= offset < s.end for s in m.spans)), None)


def speaker_of(verb: Token, mentions: Sequence[Mention]) -> Mention | None:
    """The mention of the verb's subject: a name covering it, or a pronoun's antecedent (the nearest
    preceding mention of a type the pronoun can refer to)."""
    pronouns = lexicon().pronouns
    for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
        covering = _covering(mentions, subject.idx)
        if covering is not None:
            return covering
        types = pronouns.get(subject.lower_)
        if types:
            before = [m for m in mentions if m.end <= subject.idx and m.type in types]
            if before:
                return max(before, key=lambda m: (m.end, m.start))
    return None


def attribute(doc: Doc, quotes: Sequence[Quote], mentions: Sequence[Mention]) -> list[Quote]:
    """``quotes`` with cue and speaker taken from the parse wherever it shows a reporting verb."""
    out = []
    for quote in quotes:
        verb = governing_verb(doc, quote.content)
        if verb is None:
            out.append(quote)
            continue
        cue = Span.of(doc.text, verb.idx, verb.idx + len(verb.text))
        speaker = speaker_of(verb, mentions)
        out.append(replace(quote, cue=cue, speaker=speaker.id if speaker else quote.speaker))
    return out
