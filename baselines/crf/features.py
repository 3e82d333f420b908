"""Token features for the CRF: the word, its shape, affixes and capitalisation, its neighbours, gazetteer hits.

Features are strings or booleans keyed by name, the form python-crfsuite takes. They depend only on the text,
never on annotations, so the same function serves training and extraction. The model cache key hashes the
features themselves, so a change here (or in pycountry's data) can never serve a stale model.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbench.baselines.crf.gazetteer import Phrases, matches
from newsbench.tokens import Token

Features = dict[str, str | bool]


def shape(word: str) -> str:
    """Letters as X/x, digits as d, other characters kept; runs of the same class collapsed ("McCain" -> "XxXx")."""
    out: list[str] = []
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else "x"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _own(token: Token) -> Features:
    word = token.text
    lower = word.lower()
    return {
        "w": lower,
        "shape": shape(word),
        "p2": lower[:2],
        "p3": lower[:3],
        "s2": lower[-2:],
        "s3": lower[-3:],
        "title": word[:1].isupper() and not word.isupper(),
        "upper": word.isupper(),
        "digit": word.isdigit(),
        "len": str(min(len(word), 8)),
    }


def _context(token: Token) -> Features:
    word = token.text
    return {"w": word.lower(), "shape": shape(word), "title": word[:1].isupper()}


def sentence_features(tokens: Sequence[Token], phrases: Phrases, hints: Sequence[str] = ()) -> list[Features]:
    """One feature dict per token of a sentence; ``hints`` are another system's IOB2 labels for the tokens
    (see :mod:`.stacking`), used with the neighbours' when given."""
    gaz = matches(tokens, phrases)
    own = [_own(t) for t in tokens]
    ctx = [_context(t) for t in tokens]
    out: list[Features] = []
    for i in range(len(tokens)):
        f: Features = {"bias": True, **own[i]}
        if i == 0:
            f["BOS"] = True
        if i == len(tokens) - 1:
            f["EOS"] = True
        if gaz[i]:
            f["gaz"] = gaz[i]
        if hints:
            f["hint"] = hints[i]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(tokens):
                for key, value in ctx[j].items():
                    f[f"{offset}:{key}"] = value
                if gaz[j]:
                    f[f"{offset}:gaz"] = gaz[j]
                if hints and abs(offset) == 1:
                    f[f"{offset}:hint"] = hints[j]
        if i > 0:
            f["-1|0"] = f"{ctx[i - 1]['w']}|{own[i]['w']}"
        if i < len(tokens) - 1:
            f["0|+1"] = f"{own[i]['w']}|{ctx[i + 1]['w']}"
        out.append(f)
    return out
