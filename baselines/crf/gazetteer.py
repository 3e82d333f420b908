"""Place-name gazetteer from pycountry (a maintained package), matched over tokens.

Country and subdivision names are the one kind of name a small training set cannot teach a CRF: most of them
never occur in it. A gazetteer hit is a feature, not a decision, so the model learns how far to trust it
(subdivision names such as "Alba" or "Centre" are also common words).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pycountry

from newsbench.tokens import Token, tokenize

Phrases = dict[str, dict[tuple[str, ...], str]]
"""First token (lower-cased) -> {whole phrase as lower-cased tokens: category}."""


def _words(name: str) -> tuple[str, ...]:
    return tuple(t.text.lower() for t in tokenize(name))


def _add(phrases: Phrases, name: str, category: str) -> None:
    words = _words(name)
    if words:
        phrases.setdefault(words[0], {}).setdefault(words, category)


@cache
def place_phrases() -> Phrases:
    """Countries (short, official and common names) before subdivisions, so a name that is both counts as a
    country."""
    phrases: Phrases = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if isinstance(value, str):
                _add(phrases, value, "country")
    for sub in pycountry.subdivisions:
        _add(phrases, sub.name, "region")
    return phrases


def matches(tokens: Sequence[Token], phrases: Phrases) -> list[str]:
    """Per token, ``B-category`` / ``I-category`` for the longest gazetteer phrase covering it, or ``""``."""
    lowered = [t.text.lower() for t in tokens]
    out = [""] * len(tokens)
    i = 0
    while i < len(tokens):
        best: tuple[int, str] | None = None
        for words, category in phrases.get(lowered[i], {}).items():
            n = len(words)
            if tuple(lowered[i : i + n]) == words and (best is None or n > best[0]):
                best = (n, category)
        if best is None:
            i += 1
            continue
        n, category = best
        out[i] = f"B-{category}"
        for j in range(i + 1, i + n):
            out[j] = f"I-{category}"
        i += n
    return out
