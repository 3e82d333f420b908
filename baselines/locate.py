"""Finding a string returned by a model (or read from another tool) in the document text it came from.

Language models and annotation tools hand back surface strings, not offsets, and they do not copy faithfully:
they straighten curly quotes, collapse line breaks, drop combining accents or change a letter here and there.
:func:`align` recovers ``[start, end)`` code-point offsets in three stages, each tried only when the one
before it finds nothing, so the cheapest exact answer always wins:

1. ``exact``: the string itself, the ``occurrence``-th time it appears as a whole word or phrase;
2. ``normalised``: the same over a normalised view of both strings (whitespace runs as one space, quotation
   marks, apostrophes and dashes unified, combining marks dropped, letters lower-cased) with every normalised
   character mapped back to the original code points it came from;
3. ``fuzzy``: the most similar stretch of the normalised text by :class:`difflib.SequenceMatcher`, accepted
   only above ``min_ratio``.

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = {c: '"' for c in '"“”„‟«»〝〞＂'} | {c: "'" for c in "'‘’‚‛‹›′`´"}
_DASHES = dict.fromkeys("‐‑‒–—―−", "-")
MAX_FUZZY_ANCHORS = 64
"""Fuzzy search tries at most this many places where the longest shared block occurs: enough for any real
repeat of a phrase in an article, and a bound on the work for a pathological one."""
MAX_EDGE_SHIFT = 12
"""How far (in normalised characters) fuzzy search moves a span edge beyond where the matched blocks put it."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where a string was found: ``[start, end)`` in code points, the stage that found it, and its similarity
    (1.0 for the exact and normalised stages)."""

    start: int
    end: int
    method: str
    ratio: float = 1.0
    ambiguous: bool = False
    """Several places matched equally and the model's ``occurrence`` did not say which (the nearest or
    first was taken)."""


@dataclass(frozen=True)
class NormalisedText:
    """A normalised view of a text, with the original ``[start, end)`` behind each normalised character."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span behind normalised ``[start, end)`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]


def _fold(char: str) -> str:
    """One code point's normalised form: "" for a combining mark, else one character."""
    if char in _QUOTES:
        return _QUOTES[char]
    if char in _DASHES:
        return _DASHES[char]
    if unicodedata.combining(char):
        return ""
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0] if all(unicodedata.combining(c) for c in decomposed[1:]) else char
    lower = base.lower()
    return lower if len(lower) == 1 else base


def normalise(text: str) -> NormalisedText:
    """Whitespace runs become one space; each other code point folds to at most one character (see
    :func:`_fold`), and a dropped combining mark is credited to the character before it so a match ending on
    "e" ends after "e\u0301"."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                ends[-1] = i + 1
                continue
            folded = " "
        else:
            folded = _fold(char)
        if not folded:
            if ends:
                ends[-1] = i + 1
            continue
        out.append(folded)
        starts.append(i)
        ends.append(i + 1)
    return NormalisedText("".join(out), tuple(starts), tuple(ends))


_normalised_document = lru_cache(maxsize=8)(normalise)
"""A document is aligned against many times in a row; its normalised view is computed once."""


def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.combining(char) != 0


def _whole_word(text: str, start: int, end: int) -> bool:
    """True when the match does not cut a word at either end (only checked where the needle itself starts or
    ends with a word character)."""
    before_ok = start == 0 or not (_is_word_char(text[start]) and _is_word_char(text[start - 1]))
    after_ok = end == len(text) or not (_is_word_char(text[end - 1]) and _is_word_char(text[end]))
    return before_ok and after_ok


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of ``needle`` (overlapping ones included), whole-word ones only when
    there are any: "Iran" should find the country, not the start of "Iranian"."""
    if not needle:
        return []
    found = _occurrences(text, needle)
    whole = [s for s in found if _whole_word(text, s, s + len(needle))]
    return whole or found


def _pick(starts: list[int], length: int, occurrence: int | None, near: tuple[int, int] | None) -> int:
    """The ``occurrence``-th start (1-based; the last one when the model counted past the end), else the one
    nearest the range ``near``, else the first."""
    if occurrence is not None:
        return starts[min(max(occurrence, 1), len(starts)) - 1]
    return min(starts, key=lambda s: (_distance(s, s + length, near), s))


def _unsettled(starts: list[int], occurrence: int | None, near: tuple[int, int] | None) -> bool:
    """Whether a choice among repeats was a guess: no valid ``occurrence`` and no range to be near."""
    if len(starts) < 2:
        return False
    if occurrence is not None:
        return not 1 <= occurrence <= len(starts)
    return near is None


def _ratio(hay: str, start: int, end: int, needle: str) -> float:
    return (
        difflib.SequenceMatcher(None, hay[start:end], needle, autojunk=False).ratio() if start < end else 0.0
    )


def _refine(hay: str, needle: str, starts: range, ends: range) -> tuple[float, int, int]:
    """The most needle-like ``hay[start:end]``: the best start for the widest end, then the best end for it.
    Two one-dimensional searches instead of one over all pairs keep the work linear in the slack."""
    end = min(len(hay), ends.stop - 1)
    start = max(starts, key=lambda s: (_ratio(hay, s, end, needle), -s))
    end = max(ends, key=lambda e: (_ratio(hay, start, e, needle), -e))
    while start < end and hay[start] == " ":
        start += 1
    while end > start and hay[end - 1] == " ":
        end -= 1
    return _ratio(hay, start, end, needle), start, end


def _distance(start: int, end: int, near: tuple[int, int] | None) -> int:
    """Characters between ``[start, end)`` and the range ``near`` (0 when they touch or overlap)."""
    return 0 if near is None else max(0, near[0] - end, start - near[1])


def _fuzzy(
    norm: NormalisedText, needle: str, near: tuple[int, int] | None, min_ratio: float
) -> Alignment | None:
    """Anchor on the longest block the needle shares with the text; around each place that block occurs, the
    needle's edges are expected where the anchor puts them or where the outermost matching blocks do, and are
    searched for a little beyond both. The most similar span wins, then the one nearest ``near``."""
    hay = norm.text
    anchor = difflib.SequenceMatcher(None, hay, needle, autojunk=False).find_longest_match(
        0, len(hay), 0, len(needle)
    )
    if anchor.size < min(3, len(needle)):
        return None
    reach = min(max(2, len(needle) // 4), MAX_EDGE_SHIFT)
    best: tuple[float, int, int, int] | None = None  # (-ratio, distance to near, start, end)
    for place in _occurrences(hay, needle[anchor.b : anchor.b + anchor.size])[:MAX_FUZZY_ANCHORS]:
        guess = place - anchor.b
        lo = max(0, guess - len(needle) // 4)
        window = hay[lo : guess + len(needle) + len(needle) // 4]
        blocks = [
            b
            for b in difflib.SequenceMatcher(None, window, needle, autojunk=False).get_matching_blocks()
            if b.size
        ]
        first, last = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
        starts = range(max(0, min(guess, first) - reach), max(guess, first) + reach + 1)
        ends = range(
            min(guess + len(needle), last) - reach, min(len(hay), max(guess + len(needle), last) + reach) + 1
        )
        ratio, start, end = _refine(hay, needle, starts, ends)
        key = (-ratio, _distance(start, end, near), start, end)
        if best is None or key < best:
            best = key
    if best is None or -best[0] < min_ratio:
        return None
    start, end = norm.original(best[2], best[3])
    return Alignment(start, end, "fuzzy", round(-best[0], 4))


def align(
    text: str,
    needle: str,
    occurrence: int | None = None,
    *,
    near: tuple[int, int] | None = None,
    min_ratio: float = 0.85,
) -> Alignment | None:
    """Where ``needle`` is in ``text``, or None when it cannot be found well enough.

    ``occurrence`` (1-based) chooses among repeats in the exact and normalised stages; without it the repeat
    closest to the range ``near`` (say, the quote a cue belongs to) wins, else the first. Leading and trailing
    whitespace of ``needle`` is ignored.
    """
    needle = needle.strip()
    if not needle or not text:
        return None
    starts = find_all(text, needle)
    if starts:
        start = _pick(starts, len(needle), occurrence, near)
        return Alignment(start, start + len(needle), "exact", ambiguous=_unsettled(starts, occurrence, near))
    norm = _normalised_document(text)
    folded = normalise(needle).text.strip()
    if not folded:
        return None
    near_norm = (
        None if near is None else (_normalised_offset(norm, near[0]), _normalised_offset(norm, near[1]))
    )
    starts = find_all(norm.text, folded)
    if starts:
        start = _pick(starts, len(folded), occurrence, near_norm)
        original = norm.original(start, start + len(folded))
        return Alignment(
            original[0], original[1], "normalised", ambiguous=_unsettled(starts, occurrence, near)
        )
    return _fuzzy(norm, folded, near_norm, min_ratio)


def _normalised_offset(norm: NormalisedText, offset: int) -> int:
    """The normalised position of an original offset (the first normalised character at or after it)."""
    return bisect.bisect_left(norm.starts, offset)
