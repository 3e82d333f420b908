"""TIME mentions by pattern: dates ("Oct. 7", "February 3, 2024", "early February"), weekdays, years, and
periods relative to now ("last week", "next year", "yesterday").

Month and weekday names must be capitalised (so "may" and "march" as verbs are not dates); the relative
words match in any case ("Last week" starts a sentence).
"""

from __future__ import annotations

import re
from functools import cache

from .found import Found
from .lexicon import lexicon


def _alternation(words: frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@cache
def time_pattern() -> re.Pattern[str]:
    lex = lexicon()
    modifier = rf"(?:(?i:{_alternation(lex.time_modifiers)})[- ])?"
    day = r"(?:\s\d{1,2}(?:st|nd|rd|th)?\b)?"
    year = r"(?:,?\s(?:1[89]|20)\d\d\b)?"
    date = rf"{modifier}(?:{_alternation(lex.months | lex.month_abbreviations)})(?!\w){day}{year}"
    weekday = rf"(?:{_alternation(lex.weekdays)})(?:\s(?:morning|afternoon|evening|night))?\b"
    relative = (
        rf"(?i:(?:{_alternation(lex.period_determiners)})\s(?:{_alternation(lex.periods)})s?)\b"
        rf"|(?i:{_alternation(lex.deictic_times)})\b"
    )
    bare_year = r"(?<![\d,.$])(?:1[89]|20)\d\d(?![\d,%])"
    return re.compile(rf"\b(?:{date}|{weekday}|{relative})|{bare_year}")


def find_times(text: str) -> list[Found]:
    """Every time expression, as a TIME mention of kind NAM (dates and weekdays) or NOM (relative periods)."""
    lex = lexicon()
    named = lex.months | lex.month_abbreviations | lex.weekdays
    out = []
    for match in time_pattern().finditer(text):
        words = match.group().split()
        kind = "NAM" if any(w in named or w.isdigit() for w in words) else "NOM"
        out.append(Found(match.start(), match.end(), "TIME", kind))
    return out
