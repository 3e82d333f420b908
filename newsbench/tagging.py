"""Chunk tagging, both ways: spans to one tag per token and back, in IOB1, IOB2 or IOBES.

A tag sequence holds one flat layer, so where spans overlap only some can be tagged; which ones is the
caller's choice of :data:`Overlap` rule, because each use has its own reason:

- ``outermost`` (export): the widest annotation is what a reader of the exported file expects to see;
- ``longest`` (the CoNLL view of scoring): the span covering more tokens, ties by position, type and a
  caller's key, so the view is the same whatever order annotations come in;
- ``innermost`` (the CRF): nested names are the names themselves, which word features can learn.

The schemes are data (``tagging_schemes.json``): the conventions seqeval and conlleval use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

from newsbench.problems import NewsbenchError

Chunk = tuple[int, int, str]
"""``(start, end, type)``, end exclusive: token positions for tags, or code points for spans."""
Keyed = tuple[int, int, str, str]
"""A chunk with a final tie-break key (an annotation id) for the ``longest`` rule; ``""`` when none."""
Overlap = Literal["outermost", "longest", "innermost"]

_ORDER: dict[str, Callable[[Keyed], tuple[Any, ...]]] = {
    "outermost": lambda c: (c[0], -c[1]),
    "longest": lambda c: (c[0] - c[1], c[0], c[2], c[3]),
    "innermost": lambda c: (c[1] - c[0], c[0], c[2]),
}


def select(chunks: Iterable[Keyed], rule: Overlap) -> list[Chunk]:
    """The non-overlapping chunks ``rule`` keeps, sorted by position.

    Chunks are taken in the rule's order, and one overlapping a chunk already taken is skipped. The
    ``outermost`` order is by start, then longer first, otherwise as given; ``innermost`` takes each
    distinct chunk once.
    """
    pool = set(chunks) if rule == "innermost" else list(chunks)
    taken: list[Keyed] = []
    for chunk in sorted(pool, key=_ORDER[rule]):
        if all(chunk[1] <= other[0] or other[1] <= chunk[0] for other in taken):
            taken.append(chunk)
    return sorted((start, end, type_) for start, end, type_, _ in taken)


@cache
def schemes() -> dict[str, dict[str, Any]]:
    """Every tagging scheme by name, as ``tagging_schemes.json`` describes them."""
    data: dict[str, Any] = json.loads(
        resources.files("newsbench").joinpath("tagging_schemes.json").read_text(encoding="utf-8")
    )
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def scheme(name: str) -> dict[str, Any]:
    """One scheme; an unknown name is refused with the names there are."""
    if name not in schemes():
        raise NewsbenchError(f"unknown tagging scheme {name!r}; schemes: {', '.join(schemes())}")
    return schemes()[name]


def encode(n_tokens: int, chunks: Sequence[Chunk], scheme_name: str) -> list[str]:
    """Tags for ``n_tokens`` tokens with chunks ``(first, last_exclusive, type)``, which must not overlap."""
    s = scheme(scheme_name)
    tags = [s["outside"]] * n_tokens
    previous_end, previous_type = -1, None
    for first, last, ctype in sorted(chunks):
        if last - first == 1:
            tags[first] = f"{s['single']}-{ctype}"
        else:
            tags[first] = f"{s['begin']}-{ctype}"
            for i in range(first + 1, last - 1):
                tags[i] = f"{s['inside']}-{ctype}"
            tags[last - 1] = f"{s['end']}-{ctype}"
        if s["begin_after_same_type"] and first == previous_end and ctype == previous_type:
            tags[first] = f"{s['begin_after_same_type']}-{ctype}"
        previous_end, previous_type = last, ctype
    return tags


def decode(tags: Sequence[str], scheme_name: str) -> list[Chunk]:
    """Chunks ``(first, last_exclusive, type)`` read from tags, leniently as conlleval does: a tag that
    continues no open chunk of its type opens one."""
    s = scheme(scheme_name)
    chunks: list[Chunk] = []
    open_chunk: tuple[int, str] | None = None

    def close(at: int) -> None:
        nonlocal open_chunk
        if open_chunk is not None:
            chunks.append((open_chunk[0], at, open_chunk[1]))
            open_chunk = None

    for i, tag in enumerate(tags):
        prefix, _, ctype = tag.partition("-")
        if tag == s["outside"] or not ctype:
            close(i)
            continue
        if prefix in s["starts"] or open_chunk is None or open_chunk[1] != ctype:
            close(i)
            open_chunk = (i, ctype)
        if prefix in s["closes"]:
            close(i + 1)
    close(len(tags))
    return chunks
