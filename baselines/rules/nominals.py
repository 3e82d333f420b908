"""Nominal (NOM) and pronoun (PRO) mentions by lexicon.

A nominal mention is a head noun from the lexicon with its pre-modifiers (guidelines 2.5): names right before
it ("U.S. officials", "Pentagon spokesman"), nouns of the lexicon ("militia groups"), hyphenated compounds
("Iranian-aligned") and adjectives (listed, or by suffix). Determiners, numbers, quantifiers and a possessor
("Iran's proxy groups") stay outside. In a compound of lexicon nouns only the last is the head. Only
lower-case heads count (plus one capitalised at a sentence start), so "Forces" in a name is left to names.

Pronouns are found here untyped: :func:`newsbench.baselines.rules.coref.resolve_pronouns` gives them the
type of their antecedent.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbench.tokens import Token, tokenize

from .found import Found
from .lexicon import Lexicon, lexicon
from .segments import sentence_word_starts

UNTYPED = "?"
"""Placeholder type of a pronoun until its antecedent is known."""


def _is_modifier(tok: Token, lex: Lexicon) -> bool:
    low = tok.text.lower()
    if not tok.text.isalpha() or not tok.text.islower() or low in lex.modifier_stops:
        return False
    if low in lex.modifier_adjectives:
        return True
    if low in lex.function_words or low in lex.pronouns:
        return False
    return low in lex.nominals or (len(low) > 4 and low.endswith(lex.modifier_suffixes))


def _extend_left(tokens: list[Token], i: int, text: str, name_ending: dict[int, Found], lex: Lexicon) -> int:
    """The start of the nominal whose head is ``tokens[i]``: back over modifiers, names and hyphen compounds."""
    start = tokens[i].start
    j = i - 1
    while j >= 0 and text[tokens[j].end : start] == " ":
        tok = tokens[j]
        hyphen = (
            j >= 2 and tokens[j - 1].text == "-" and tokens[j - 2].end == tokens[j - 1].start == tok.start - 1
        )
        if hyphen:  # "Iran-backed", "Iranian-aligned": the whole compound modifies the head
            first = tokens[j - 2]
            name = name_ending.get(first.end)
            new_start = name.start if name is not None else first.start
        elif tok.end in name_ending:
            new_start = name_ending[tok.end].start
        elif _is_modifier(tok, lex):
            new_start = tok.start
        else:
            break
        start = new_start
        while j >= 0 and tokens[j].start >= start:
            j -= 1
    return start


def find_nominals(text: str, names: Sequence[Found]) -> list[Found]:
    """NOM mentions (typed by their head) and PRO mentions (type :data:`UNTYPED`), each without a key."""
    lex = lexicon()
    starts = sentence_word_starts(text, lex)
    tokens = tokenize(text)
    name_ending = {n.end: n for n in names}
    out: list[Found] = []
    for i, tok in enumerate(tokens):
        low = tok.text.lower()
        if not (tok.text == low or (tok.start in starts and tok.text[1:] == low[1:])):
            continue
        head, _, clitic = low.replace("’", "'").partition("'")
        if clitic in lex.clitics and head in lex.pronouns:
            out.append(Found(tok.start, tok.start + len(head), UNTYPED, "PRO"))
            continue
        if low in lex.pronouns:
            out.append(Found(tok.start, tok.end, UNTYPED, "PRO"))
            continue
        if low not in lex.nominals:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and text[tok.end : nxt.start] == " " and nxt.text in lex.nominals:
            continue  # a noun modifier: the next word is the head
        start = _extend_left(tokens, i, text, name_ending, lex)
        name = name_ending.get(tok.start - 1)
        if name is not None and name.start == start and name.type == lex.nominals[low]:
            continue  # a classifier after a name ("Babil province"): the name is the mention
        out.append(Found(start, tok.end, lex.nominals[low], "NOM"))
    return out
