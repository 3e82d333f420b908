"""IOB2 labels over tokens: mentions to labels for training, labels back to character spans for prediction.

A token sequence holds one label per token, so nested or overlapping mentions cannot all be encoded: the
outermost (earliest, then longest) mention wins, as in the usual flat NER view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsbench.tokens import Token

OUTSIDE = "O"

TypedSpan = tuple[int, int, str]
"""``(start, end, type)`` in code points, end exclusive."""


def flat(spans: Iterable[TypedSpan]) -> list[TypedSpan]:
    """The non-overlapping subset a flat tagging can hold: by start, longer first, skipping any overlap."""
    out: list[TypedSpan] = []
    end = -1
    import os

    if os.environ.get("INNER"):
        taken = []
        for start, stop, type_ in sorted(spans, key=lambda s: (s[1] - s[0], s[0], s[2])):
            if all(stop <= a or start >= b for a, b, _ in taken):
                taken.append((start, stop, type_))
        return sorted(taken)
    for start, stop, type_ in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        if start >= end:
            out.append((start, stop, type_))
            end = stop
    return out


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
