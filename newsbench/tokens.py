"""A tokeniser with code-point offsets, for token counts, the CoNLL view and token-level features.

Words are runs of letters, digits and combining marks (so "e\u0301" stays one token) with inner apostrophes
kept ("don't"; "Iraq's" splits at the possessive); initialisms ("U.S.") and numbers ("2,500") stay whole.
Hyphens split words ("Iran", "-", "backed") so that a name inside a compound still starts and ends on token
boundaries. Every other non-space character is a token of its own, so an emoji or a curly quote is one token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # initialisms: U.S., U.K.
    r"|\d+(?:[.,]\d+)+"  # numbers with separators: 2,500 and 3.5
    r"|[^\W_](?:[^\W_]|[\u0300-\u036f])*(?:['’][^\W_](?:[^\W_]|[\u0300-\u036f])*)*"
    r"|\S",
)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Tokens in text order; possessive 's is split off its word."""
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        poss = _POSSESSIVE.search(word)
        if poss and len(word) > 2:
            cut = start + poss.start()
            out.append(Token(start, cut, text[start:cut]))
            out.append(Token(cut, end, text[cut:end]))
        else:
            out.append(Token(start, end, word))
    return out
