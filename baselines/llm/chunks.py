"""Cutting a long article into overlapping chunks the model is asked about one at a time.

A model's context, and its attention, are finite: an article longer than ``max_chars`` code points is asked
about in windows of at most that many, each starting ``overlap`` code points before the previous one ended,
so an entity, trigger or quote cut by one window's edge is whole in the next. Cuts fall on a paragraph
break, else a sentence end, else whitespace, in the second half of a window, so few words are split at all.
The answers for the chunks are located in their own chunk and merged back in document offsets
(:func:`newsbench.baselines.llm.answer.to_layers`). Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import re

_BREAKS = (re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)]*\s+"), re.compile(r"\s+"))
"""Where a chunk may end, best first: after a line break, after a sentence end, after any whitespace."""


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the chunk starting at ``start``: the last good break in the second half of the window
    ``[start, limit)``, else ``limit`` itself."""
    floor = start + (limit - start) // 2
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, floor, limit)]
        if ends:
            return ends[-1]
    return limit


def _next_start(text: str, end: int, overlap: int, previous: int) -> int:
    """Where the next chunk starts: ``overlap`` before ``end``, moved forward to the start of a word, and
    always past the previous chunk's start (so the chunks advance)."""
    start = max(end - overlap, previous + 1)
    while 0 < start < end and not text[start - 1].isspace():
        start += 1
    return start if start < end else max(end - overlap, previous + 1)


def chunks(text: str, max_chars: int, overlap: int) -> list[tuple[int, str]]:
    """``(offset, chunk)`` pairs covering ``text``: one when it fits in ``max_chars`` (or ``max_chars`` is 0,
    no chunking), else overlapping windows of at most ``max_chars`` code points."""
    if max_chars < 0 or overlap < 0:
        raise ValueError("llm: chunk_chars and chunk_overlap must not be negative")
    if max_chars and overlap >= max_chars // 2:
        raise ValueError(
            f"llm: chunk_overlap ({overlap}) must be less than half of chunk_chars ({max_chars})"
        )
    if not max_chars or len(text) <= max_chars:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while True:
        limit = start + max_chars
        if limit >= len(text):
            out.append((start, text[start:]))
            return out
        end = _cut(text, start, limit)
        out.append((start, text[start:end]))
        start = _next_start(text, end, overlap, start)
