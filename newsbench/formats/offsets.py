"""Offset arithmetic shared by the formats: UTF-16 code units <-> code points, and tokens <-> text.

Java tools (UIMA, WebAnno, INCEpTION) and JavaScript ones (older Label Studio) count UTF-16 code units, in
which an astral character such as an emoji takes two; newsbench counts code points. Column formats (CoNLL,
CAT XML) hold tokens without offsets, so their tokens are aligned back to a text, or a text is built from them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class OffsetError(ValueError):
    """An offset that cannot be converted, or a token that cannot be found; importers turn it into a Problem."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Utf16Map:
    """Both directions between code-point and UTF-16 offsets of one text."""

    units: tuple[int, ...]
    """``units[i]`` is the UTF-16 offset of code point ``i``; the last entry is the text's UTF-16 length."""

    @classmethod
    def of(cls, text: str) -> Utf16Map:
        units = [0]
        for ch in text:
            units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
        return cls(tuple(units))

    def to_code_points(self, unit: int) -> int:
        """The code point at UTF-16 offset ``unit``; an offset inside a surrogate pair is an error."""
        i = bisect.bisect_left(self.units, unit)
        if i >= len(self.units) or self.units[i] != unit:
            raise OffsetError(f"UTF-16 offset {unit} falls inside a character or past the text end")
        return i

    def to_utf16(self, code_point: int) -> int:
        if not 0 <= code_point < len(self.units):
            raise OffsetError(f"offset {code_point} is outside the text")
        return self.units[code_point]


def align_tokens(text: str, tokens: Sequence[str], start: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` of each token in ``text``, found in order; only whitespace may lie between tokens.

    Anything else between two tokens means the tokens are not this text's, which is an error rather than
    something to guess around.
    """
    out: list[tuple[int, int]] = []
    pos = start
    for n, token in enumerate(tokens):
        while pos < len(text) and text[pos].isspace() and not text.startswith(token, pos):
            pos += 1
        if not token or not text.startswith(token, pos):
            found = text[pos : pos + max(len(token), 1) + 10]
            raise OffsetError(
                f"token {n + 1} {token!r} not found at offset {pos} (the text there reads {found!r})"
            )
        out.append((pos, pos + len(token)))
        pos += len(token)
    return out


def join_tokens(
    sentences: Iterable[Sequence[str]], no_space_before: frozenset[str], no_space_after: frozenset[str]
) -> tuple[str, list[list[tuple[int, int]]]]:
    """A text from tokenised sentences, one sentence a line, and the offsets of every token.

    Tokens are separated by one space, except that none goes before a token in ``no_space_before`` (closing
    punctuation) or after one in ``no_space_after`` (opening brackets and quotes).
    """
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for s, sentence in enumerate(sentences):
        if s:
            parts.append("\n")
            pos += 1
        row: list[tuple[int, int]] = []
        for i, token in enumerate(sentence):
            if i and token not in no_space_before and sentence[i - 1] not in no_space_after:
                parts.append(" ")
                pos += 1
            parts.append(token)
            row.append((pos, pos + len(token)))
            pos += len(token)
        offsets.append(row)
    return "".join(parts), offsets


def runs(offsets: Sequence[tuple[int, int]], indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Character ranges of the given token indexes, one range per run of consecutive tokens.

    A mention over tokens 3, 4 and 7 becomes two spans (a discontinuous mention), each from the first token's
    start to the last token's end, so the spaces inside a run belong to the span.
    """
    ranges: list[tuple[int, int]] = []
    previous = -2
    for i in sorted(set(indexes)):
        start, end = offsets[i]
        if i == previous + 1 and ranges:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
        previous = i
    return ranges
