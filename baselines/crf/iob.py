"""IOB2 labels over tokens for the CRF: mentions to labels for training, labels back to character spans.

A token sequence holds one label per token, so nested or overlapping mentions cannot all be encoded: the
innermost mention wins (:func:`newsbench.tagging.select`). Names nest in names ("Houston, Texas" holds
"Texas"; "NASA Administrator Charles Bolden" holds "NASA"), and the innermost ones are the names
themselves, which the word and shape features can learn; an outer mention's extent depends on syntax the
CRF does not see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsbench.tagging import decode as decode_tags
from newsbench.tagging import encode as encode_tags
from newsbench.tagging import select
from newsbench.tokens import Token

SCHEME = "IOB2"

TypedSpan = tuple[int, int, str]
"""``(start, end, type)`` in code points, end exclusive."""


def flat(spans: Iterable[TypedSpan]) -> list[TypedSpan]:
    """The non-overlapping subset a flat tagging can hold, innermost first (ties by start, then type)."""
    return select(((start, end, type_, "") for start, end, type_ in spans), "innermost")


def encode(tokens: Sequence[Token], spans: Iterable[TypedSpan]) -> list[str]:
    """IOB2 labels: a token is inside a span when it shares a character with it (spans that cut a token take
    the whole token; of two spans cutting the same token, the later one takes it)."""
    chunks: list[TypedSpan] = []
    for start, end, type_ in flat(spans):
        inside = [i for i, t in enumerate(tokens) if t.start < end and start < t.end]
        if not inside:
            continue
        if chunks and chunks[-1][1] > inside[0]:
            first, _, previous = chunks.pop()
            if first < inside[0]:
                chunks.append((first, inside[0], previous))
        chunks.append((inside[0], inside[-1] + 1, type_))
    return encode_tags(len(tokens), chunks, SCHEME)


def decode(tokens: Sequence[Token], labels: Sequence[str]) -> list[TypedSpan]:
    """Spans from IOB2 labels; an ``I-X`` that does not continue an ``X`` opens a span (the usual repair)."""
    return [
        (tokens[first].start, tokens[end - 1].end, type_) for first, end, type_ in decode_tags(labels, SCHEME)
    ]
