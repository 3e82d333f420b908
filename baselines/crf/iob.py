"""IOB2 labels over tokens: mentions to labels for training, labels back to character spans for prediction.

A token sequence holds one label per token, so nested or overlapping mentions cannot all be encoded: the
innermost mention wins. Names nest in names ("Houston, Texas" holds "Texas"; "NASA Administrator Charles
Bolden" holds "NASA"), and the innermost ones are the names themselves, which the word and shape features
can learn; an outer mention's extent depends on syntax the CRF does not see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsbench.tokens import Token

OUTSIDE = "O"

TypedSpan = tuple[int, int, str]
"""``(start, end, type)`` in code points, end exclusive."""


def flat(spans: Iterable[TypedSpan]) -> list[TypedSpan]:
    """The non-overlapping subset a flat tagging can hold, innermost first: shorter spans are taken before the
    spans around them, ties by start then type, and a span overlapping one already taken is skipped."""
    taken: list[TypedSpan] = []
    for span in sorted(set(spans), key=lambda s: (s[1] - s[0], s[0], s[2])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in taken):
            taken.append(span)
    return sorted(taken)


def encode(tokens: Sequence[Token], spans: Iterable[TypedSpan]) -> list[str]:
    """IOB2 labels: a token is inside a span when it shares a character with it (spans that cut a token take
    the whole token)."""
    labels = [OUTSIDE] * len(tokens)
    for start, end, type_ in flat(spans):
        inside = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
        for n, i in enumerate(inside):
            labels[i] = f"{'B' if n == 0 else 'I'}-{type_}"
    return labels


def decode(tokens: Sequence[Token], labels: Sequence[str]) -> list[TypedSpan]:
    """Spans from IOB2 labels; an ``I-X`` that does not continue an ``X`` opens a span (the usual repair)."""
    out: list[TypedSpan] = []
    current: TypedSpan | None = None
    for token, label in zip(tokens, labels, strict=True):
        tag, _, type_ = label.partition("-")
        if current is not None and tag == "I" and type_ == current[2]:
            current = (current[0], token.end, type_)
            continue
        if current is not None:
            out.append(current)
            current = None
        if tag in ("B", "I"):
            current = (token.start, token.end, type_)
    if current is not None:
        out.append(current)
    return out
