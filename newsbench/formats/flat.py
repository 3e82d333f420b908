"""One flat layer of mentions over tokens: what CoNLL columns and spaCy ``ents`` can hold, and what not."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from newsbench.formats.contract import LeftOut
from newsbench.model import Document
from newsbench.tagging import Keyed, select
from newsbench.tokens import Token, tokenize


def line_sentences(text: str) -> list[list[Token]]:
    """Tokens grouped by line: each line of the text is one sentence (paragraph) of the flat view."""
    groups: list[list[Token]] = []
    line_end = -1
    for tok in tokenize(text):
        if tok.start > line_end:
            newline = text.find("\n", tok.start)
            line_end = len(text) if newline < 0 else newline
            groups.append([])
        groups[-1].append(tok)
    return groups


def flat_mentions(
    doc: Document, tokens: list[Token], target: str, kept_kind: str | None, kinds: Collection[str]
) -> tuple[list[tuple[int, int, str]], list[LeftOut]]:
    """Token chunks ``(first, last_exclusive, type)`` of the mentions a flat layer can hold, and notes on the rest.

    Only mentions of ``kinds`` are written: a flat layer's readers take every tag for a named entity, so a
    nominal or pronoun tagged there would come back as a name. A flat layer has no gaps and no nesting:
    discontinuous mentions, mentions off token boundaries and mentions inside or across a longer one (the
    outermost is kept) are left out, with every other layer. ``kept_kind`` is the kind an import of the
    target assumes; other kinds written are reported as lost.
    """
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i + 1 for i, t in enumerate(tokens)}
    chosen = [m for m in doc.mentions if m.kind in kinds]
    ordered = sorted(chosen, key=lambda m: (m.start, -m.end))
    fitting: list[Keyed] = [
        (starts[m.start], ends[m.end], m.type, "")
        for m in ordered
        if len(m.spans) == 1 and m.start in starts and m.end in ends
    ]
    chunks = select(fitting, "outermost")
    unclaimed = Counter(chunks)
    left: Counter[str] = Counter()
    for m in ordered:
        if len(m.spans) > 1:
            left["discontinuous mentions (a flat tag sequence has no gaps)"] += 1
        elif m.start not in starts or m.end not in ends:
            left["mentions that do not start and end on token boundaries"] += 1
        elif unclaimed[(starts[m.start], ends[m.end], m.type)] > 0:
            unclaimed[(starts[m.start], ends[m.end], m.type)] -= 1
        else:
            left["nested or overlapping mentions (the outermost is kept)"] += 1
    other = Counter(m.kind for m in doc.mentions if m.kind not in kinds)
    if other:
        which = ", ".join(f"{kind} {n}" for kind, n in sorted(other.items()))
        written = ",".join(kinds)
        left[f"of kinds {which}: only {written} is written (--mention-kinds chooses)"] = sum(other.values())
    notes = [LeftOut(doc.id, "mentions", n, why) for why, n in left.items()]
    lost_kinds = sum(m.kind != kept_kind for m in chosen)
    if lost_kinds:
        reads = f"; import reads {kept_kind}" if kept_kind else ""
        notes.append(LeftOut(doc.id, "mention kinds", lost_kinds, f"{target} hold types only{reads}"))
    for layer in ("entities", "events", "event_coreference", "quotes", "ignore"):
        count = len(getattr(doc, layer))
        if count:
            notes.append(LeftOut(doc.id, layer, count, f"{target} hold one layer of mentions"))
    return chunks, notes
