"""The token-level CoNLL view: the entity F1 the field has always reported, exactly as seqeval computes it.

Mentions become IOB2 tag runs over :func:`newsbench.tokens.tokenize` tokens, and the per-document counts
seqeval's strict-mode IOB2 chunker would sum (true chunks, predicted chunks and chunks in both, per type)
are kept, so the corpus figure is exactly seqeval's. The chunks are read straight from the runs
(:func:`runs_as_chunks`), which is what seqeval finds in their tags; ``count_chunks(..., read=seqeval_chunks)``
writes the tags and reads them through seqeval itself, and the tests check on randomised mentions that both
readings agree. Two things IOB2 cannot say are settled here, on both sides alike:

- a mention that starts or ends inside a token is **snapped outward** to whole tokens (a discontinuous
  mention to the tokens of its whole extent), so "Iraq" inside "Iraqi" becomes the chunk "Iraqi";
- nested or overlapping mentions cannot all be tagged: the one covering more tokens is kept (the
  ``longest`` rule of :func:`newsbench.tagging.select`; ties: the earlier, then by type and id) and any mention sharing a token with a kept one is left out of the view.

On data with neither (mentions on token boundaries, none overlapping) chunks and mentions coincide, and the
``strict`` span F1 equals this view's F1.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache

from seqeval.scheme import IOB2, Entities

from newsbench.eval.metrics.tally import Sheet
from newsbench.model import Mention
from newsbench.tagging import encode, select
from newsbench.tokens import tokenize

METRIC = "conll"


Chunk = tuple[str, int, int]
"""``(type, first token, end token)``, end exclusive, as seqeval's chunks give them."""
Runs = Sequence[tuple[int, int, str]]
ChunkReader = Callable[[Runs, int], set[Chunk]]


def runs_as_chunks(runs: Runs, size: int) -> set[Chunk]:
    """The chunks seqeval's strict IOB2 reader finds in the tags of ``runs``, without writing the tags.

    The kept runs share no token, and each is tagged ``B-T I-T … I-T`` followed by ``O`` or another run's
    ``B-``, which is exactly one strict IOB2 chunk of type T over the run's tokens; so the chunks are the
    runs. :func:`seqeval_chunks` reads the tags through seqeval itself; the tests check that both agree on
    randomised mentions, and ``count_chunks(..., read=seqeval_chunks)`` scores through seqeval.
    """
    return {(type_, first, last + 1) for first, last, type_ in runs}


def seqeval_chunks(runs: Runs, size: int) -> set[Chunk]:
    """The chunks seqeval's strict IOB2 reader finds in the tags of ``runs`` (over ``size`` tokens)."""
    tags = _tags(runs, size)
    out: set[Chunk] = set()
    for first, last in _segments(runs):
        out.update((t, first + s, first + e) for t, s, e in _seqeval_chunks(tuple(tags[first : last + 1])))
    return out


CharChunk = tuple[str, int, int]
"""``(type, start, end)`` of a chunk in code points: one-to-one with token chunks, since every chunk starts
at a token's start and ends at a token's end."""


def count_chunks(
    text: str,
    golds: Sequence[Mention],
    preds: Sequence[Mention],
    sheet: Sheet,
    read: ChunkReader | None = None,
) -> None:
    """Count seqeval's chunks for the mentions in scope (as the entity modes chose them) under ``conll``.

    Chunks are compared by their code-point extents. By default they are found by snapping each mention to
    the tokens at its two ends (:func:`snapped_chunks`), falling back to the document's tokens when two
    mentions share a token; with ``read`` (:func:`runs_as_chunks` or :func:`seqeval_chunks`) always through
    the tokens and that reader. The tests check on randomised mentions that every way gives the same counts.
    """
    if read is None:
        true = snapped_chunks(text, golds)
        predicted = snapped_chunks(text, preds)
    if read is not None or true is None or predicted is None:
        true, predicted = _token_chunks(text, golds, preds, read or runs_as_chunks)
    found: dict[str, list[int]] = {}
    for chunk in true:
        found.setdefault(chunk[0], [0, 0, 0])[1] += 1
    for chunk in predicted:
        row = found.setdefault(chunk[0], [0, 0, 0])
        row[2] += 1
        if chunk in true:
            row[0] += 1
    sheet.count_labels(
        METRIC, [(label, tp, pos, act, 0, 0, 0, 0) for label, (tp, pos, act) in sorted(found.items())]
    )


def snapped_chunks(text: str, mentions: Sequence[Mention]) -> set[CharChunk] | None:
    """Each mention's chunk, found from the tokens at its two ends alone; None when that is not enough.

    A mention whose first and last characters are not whitespace starts inside the token holding its first
    character and ends inside the one holding its last, so snapping outward needs only the tokens of the
    two whitespace-delimited words there, and none at all when the mention starts and ends at whitespace
    (or the ends of the text). This is the chunk :func:`token_runs` makes. Choosing between mentions that
    share a token needs their token counts, so then (and for a mention with whitespace at an end) the
    answer is None and the caller tokenises the stretches around the mentions. Mentions are expected in
    text order (as :func:`newsbench.eval.metrics.scope.scored_mentions` gives them); out of order, the answer is
    None too.
    """
    size = len(text)
    chunks: set[CharChunk] = set()
    previous_end = 0
    for m in mentions:
        start, end = m.spans[0].start, m.spans[-1].end
        if text[start].isspace() or text[end - 1].isspace():
            return None
        if start and not text[start - 1].isspace():
            word_start = _word_start(text, start)
            for first, last in _token_bounds(text[word_start : _word_end(text, start)]):
                if word_start + last > start:
                    start = word_start + first
                    break
        if end < size and not text[end].isspace():
            word_start = _word_start(text, end - 1)
            for _, last in _token_bounds(text[word_start : _word_end(text, end)]):
                if word_start + last >= end:
                    end = word_start + last
                    break
        if start < previous_end:
            # Shares a token with the previous chunk, or comes before it: chunks that each start at or
            # after the previous one's end are in order and pairwise apart, which is all this checks.
            return None
        previous_end = end
        chunks.add((m.type, start, end))
    return chunks


def _token_chunks(
    text: str, golds: Sequence[Mention], preds: Sequence[Mention], read: ChunkReader
) -> tuple[set[CharChunk], set[CharChunk]]:
    """Both sides' chunks through the tokens near the mentions, :func:`token_runs` and ``read``."""
    starts: list[int] = []
    ends: list[int] = []
    for offset, bounds in tokens_near(text, [*golds, *preds]):
        starts += [start + offset for start, _ in bounds]
        ends += [end + offset for _, end in bounds]

    def chunks(side: Sequence[Mention]) -> set[CharChunk]:
        runs = token_runs(side, starts, ends)
        return {(type_, starts[first], ends[stop - 1]) for type_, first, stop in read(runs, len(starts))}

    return chunks(golds), chunks(preds)


def tokens_near(text: str, mentions: Sequence[Mention]) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
    """The document's tokens within the whitespace-delimited stretches of text that hold mentions, as
    ``(offset, token bounds)`` per stretch, bounds ``(start, end)`` relative to the stretch.

    No token contains whitespace, so tokenising a stretch that starts and ends at whitespace (or at the ends
    of the text) gives exactly the document's tokens there; tokens far from every mention can only be
    ``O`` and are never made, so the view costs time in proportion to the mentions, not the document.
    """
    stretches: list[list[int]] = []
    size = len(text)
    for start, end in sorted({(m.start, m.end) for m in mentions}):  # gold and prediction mostly agree
        # Most mentions are whole words: check the neighbours before walking.
        first = start if start == 0 or text[start - 1].isspace() else _word_start(text, start)
        last = end if end == size or text[end].isspace() else _word_end(text, end)
        if stretches and first <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], last)
        else:
            stretches.append([first, last])
    return [(start, _token_bounds(text[start:end])) for start, end in stretches]


@lru_cache(maxsize=65536)
def _token_bounds(stretch: str) -> tuple[tuple[int, int], ...]:
    """Token bounds of a stretch of text; names recur across documents, so each is tokenised once."""
    return tuple((t.start, t.end) for t in tokenize(stretch))


def _word_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def token_runs(
    mentions: Sequence[Mention], starts: Sequence[int], ends: Sequence[int]
) -> list[tuple[int, int, str]]:
    """``(first token, last token, type)`` of each mention IOB2 can hold: snapped outward to tokens, and the
    longer of two that share a token kept (ties: the earlier, then by type and id); in token order."""
    runs = []
    for m in mentions:
        first = bisect_right(ends, m.start)  # first token ending after the mention starts
        last = bisect_left(starts, m.end) - 1  # last token starting before the mention ends
        if first <= last:
            runs.append((first, last, m))
    simple = sorted((first, last, m.type) for first, last, m in runs)
    if all(simple[i][1] < simple[i + 1][0] for i in range(len(simple) - 1)):
        return simple  # no two share a token: every run is kept (the common case)
    kept = select(((first, last + 1, m.type, m.id) for first, last, m in runs), "longest")
    return [(first, end - 1, type_) for first, end, type_ in kept]


def iob2_tags(mentions: Sequence[Mention], starts: Sequence[int], ends: Sequence[int]) -> list[str]:
    """One IOB2 tag per token (see :func:`token_runs`)."""
    return _tags(token_runs(mentions, starts, ends), len(starts))


def _tags(runs: Sequence[tuple[int, int, str]], size: int) -> list[str]:
    return encode(size, [(first, last + 1, type_) for first, last, type_ in runs], "IOB2")


def _segments(runs: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Token ranges where chunks of either side lie, joined where they overlap: no chunk crosses a range's
    edge, so seqeval can read each range on its own (it copies the rest of a sentence at every chunk, so
    one long sentence would cost time quadratic in its chunks)."""
    out: list[list[int]] = []
    for first, last, _ in sorted(runs):
        if out and first <= out[-1][1]:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [(first, last) for first, last in out]


@lru_cache(maxsize=65536)
def _seqeval_chunks(tags: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """seqeval's strict IOB2 chunks of one range, as ``(type, start, end)`` token positions, as seqeval
    gives them.

    Ranges repeat endlessly (a lone ``B-PER``, a two-token ``ORG``), so each distinct one is read once.
    """
    return tuple((chunk.tag, chunk.start, chunk.end) for chunk in Entities([list(tags)], IOB2).entities[0])
