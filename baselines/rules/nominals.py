"""Nominal (NOM) and pronoun (PRO) mentions by lexicon.

A nominal mention is the head word of a noun phrase ("officials", "forces"); in a compound of lexicon words
("militia groups", "fighter jets") only the last word, the head, is a mention. Only lower-case words count,
plus a capitalised one at a sentence start, so "Forces" inside a name is left to the name finder.
"""

from __future__ import annotations

import re

from newsbench.baselines.rules.found import Found
from newsbench.baselines.rules.lexicon import lexicon
from newsbench.baselines.rules.segments import sentence_word_starts

_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")


def find_nominals(text: str) -> list[Found]:
    """NOM and PRO mentions, typed by the lexicon; each is its own cluster."""
    lex = lexicon()
    starts = sentence_word_starts(text, lex)
    hits: list[Found] = []
    for match in _WORD.finditer(text):
        word = match.group()
        low = word.lower()
        lowercase_here = word == low or (match.start() in starts and word[1:] == low[1:])
        if not lowercase_here:
            continue
        if low in lex.nominals:
            hits.append(Found(match.start(), match.end(), lex.nominals[low], "NOM"))
        elif low in lex.pronouns:
            hits.append(Found(match.start(), match.end(), lex.pronouns[low], "PRO"))
    out: list[Found] = []
    for i, hit in enumerate(hits):
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        compound = nxt is not None and hit.kind == nxt.kind == "NOM" and text[hit.end : nxt.start] == " "
        if not compound:
            out.append(hit)
    return out
