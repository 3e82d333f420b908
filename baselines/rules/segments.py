"""Paragraphs and sentences as code-point ranges, found without a model.

Paragraphs are separated by line breaks (LF, CR or CRLF). A sentence ends at ``.``, ``!`` or ``?`` (with any
closing quotation marks or brackets after it) followed by space and an upper-case letter, digit or opening
mark -- unless the word before the period is an abbreviation (a title, a month, an initial, an initialism),
which is what makes "Maj. Gen. Patrick Ryder" or "Oct. 7" one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon

_PARAGRAPH = re.compile(r"[^\r\n]+")
_BOUNDARY = re.compile(r"[.!?][\"'”’»)\]]*(?=\s+[\"“‘«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]?$")


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int


def paragraphs(text: str) -> list[Segment]:
    """Non-blank lines, trimmed of surrounding spaces."""
    out = []
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append(Segment(match.start() + lead, match.start() + len(line.rstrip())))
    return out


def _is_abbreviation(word: str, lex: Lexicon) -> bool:
    return (
        word in lex.titles
        or word in lex.month_abbreviations
        or word in lex.org_suffixes
        or bool(_INITIALISM.match(word))
        or (len(word) == 2 and word[0].isupper())  # an initial: "John F. Kennedy"
    )


def sentences(text: str, paragraph: Segment, lex: Lexicon) -> list[Segment]:
    """The sentences of one paragraph, trimmed of surrounding spaces."""
    out = []
    start = paragraph.start
    for match in _BOUNDARY.finditer(text, paragraph.start, paragraph.end):
        if text[match.start()] == ".":
            before = _WORD_BEFORE.search(text, start, match.start() + 1)
            if before and _is_abbreviation(before.group(1).lstrip('"“‘«(['), lex):
                continue
        out.append(Segment(start, match.end()))
        start = match.end()
        while start < paragraph.end and text[start].isspace():
            start += 1
    if start < paragraph.end:
        out.append(Segment(start, paragraph.end))
    return out


def all_sentences(text: str, lex: Lexicon) -> list[Segment]:
    return [s for p in paragraphs(text) for s in sentences(text, p, lex)]


def sentence_word_starts(text: str, lex: Lexicon) -> frozenset[int]:
    """Where each sentence's first word begins, past any opening quotation marks or brackets."""
    out = set()
    for s in all_sentences(text, lex):
        start = s.start
        while start < s.end and text[start] in "\"“‘«([' ":
            start += 1
        out.add(start)
    return frozenset(out)
