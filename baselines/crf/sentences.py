"""Sentence-sized token sequences for the CRF.

A linear-chain CRF learns from and decodes one sequence at a time; sentences keep sequences short (training
cost grows with their length) and make "first word of a sentence" a feature, which is what tells a capitalised
sentence opener from a name. No syntax: a line break, or a sentence-final mark followed by a token that can open
a sentence, ends a sentence.
"""

from __future__ import annotations

from newsbench.tokens import Token

_FINAL = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]")


def _opens_sentence(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in "\"“‘'(["


def sentences(text: str, tokens: list[Token]) -> list[list[Token]]:
    """``tokens`` cut into sentences, in order; every token lands in exactly one sentence."""
    out: list[list[Token]] = []
    current: list[Token] = []
    ended = False
    for token in tokens:
        if current:
            gap = text[current[-1].end : token.start]
            if (
                "\n" in gap
                or "\r" in gap
                or (ended and token.text not in _CLOSERS and _opens_sentence(token))
            ):
                out.append(current)
                current = []
                ended = False
        current.append(token)
        if token.text in _FINAL:
            ended = True
        elif token.text not in _CLOSERS:
            ended = False
    if current:
        out.append(current)
    return out
