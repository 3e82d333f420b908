"""The token-level CoNLL view: the entity F1 the field has always reported, computed by seqeval.

Mentions are written as IOB2 tags over :func:`newsbench.tokens.tokenize` tokens and read back by seqeval's
strict-mode IOB2 chunker, and the per-document counts seqeval would sum (true chunks, predicted chunks and
chunks in both, per type) are kept, so the corpus figure is exactly seqeval's. Two things IOB2 cannot say
are settled here, on both sides alike:

- a mention that starts or ends inside a token is **snapped outward** to whole tokens (a discontinuous
  mention to the tokens of its whole extent), so "Iraq" inside "Iraqi" becomes the chunk "Iraqi";
- nested or overlapping mentions cannot all be tagged: the one covering more tokens is kept (ties: the
  earlier, then by type and id) and any mention sharing a token with a kept one is left out of the view.

On data with neither (mentions on token boundaries, none overlapping) chunks and mentions coincide, and the
``strict`` span F1 equals this view's F1.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence

from newsbench.eval.counts import Counts
from newsbench.eval.entities import TASK, scored_mentions
from newsbench.eval.options import ScoreOptions
from newsbench.eval.results import DocResult
from newsbench.eval.scope import IgnoreRegions
from newsbench.eval.tally import Sheet
from seqeval.scheme import IOB2, Entities

from newsbench.model import Document, Mention
from newsbench.tokens import Token, tokenize

METRIC = "conll"


def score_conll(gold: Document, pred: Document, options: ScoreOptions, result: DocResult) -> None:
    ignore = IgnoreRegions(gold.ignore)
    golds = scored_mentions(gold, ignore, options)
    preds = scored_mentions(pred, ignore, options)
    tokens = tokens_near(gold.text, [*golds, *preds])
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    gold_seq, pred_seq = _squeeze(iob2_tags(golds, starts, ends), iob2_tags(preds, starts, ends))
    true_chunks = _chunks(gold_seq)
    pred_chunks = _chunks(pred_seq)
    sheet = Sheet(result, TASK)
    for label in sorted(true_chunks.keys() | pred_chunks.keys()):
        true, predicted = true_chunks[label], pred_chunks[label]
        sheet.count(METRIC, label, Counts(tp=len(true & predicted), pos=len(true), act=len(predicted)))
    sheet.close()


def tokens_near(text: str, mentions: Sequence[Mention]) -> list[Token]:
    """The document's tokens within the whitespace-delimited stretches of text that hold mentions.

    No token contains whitespace, so tokenising a stretch that starts and ends at whitespace (or at the ends
    of the text) gives exactly the document's tokens there; tokens far from every mention can only be
    ``O`` and are never made, so the view costs time in proportion to the mentions, not the document.
    """
    stretches: list[list[int]] = []
    for start, end in sorted((m.start, m.end) for m in mentions):
        first, last = _word_start(text, start), _word_end(text, end)
        if stretches and first <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], last)
        else:
            stretches.append([first, last])
    tokens: list[Token] = []
    for start, end in stretches:
        tokens.extend(Token(t.start + start, t.end + start, t.text) for t in tokenize(text[start:end]))
    return tokens


def _word_start(text: str, i: int) -> int:
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int) -> int:
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def iob2_tags(mentions: Sequence[Mention], starts: Sequence[int], ends: Sequence[int]) -> list[str]:
    """One IOB2 tag per token; mentions snapped outward to tokens, the longer of two overlapping kept."""
    spans = []
    for m in mentions:
        first = bisect_right(ends, m.start)  # first token ending after the mention starts
        last = bisect_left(starts, m.end) - 1  # last token starting before the mention ends
        if first <= last:
            spans.append((first, last, m))
    spans.sort(key=lambda s: (s[0] - s[1], s[0], s[2].type, s[2].id))
    tags = ["O"] * len(starts)
    for first, last, m in spans:
        if all(tag == "O" for tag in tags[first : last + 1]):
            tags[first] = f"B-{m.type}"
            tags[first + 1 : last + 1] = [f"I-{m.type}"] * (last - first)
    return tags


def _squeeze(gold: list[str], pred: list[str]) -> tuple[list[str], list[str]]:
    """Both sequences with every run of tokens outside all chunks cut to one ``O``.

    A single ``O`` ends a chunk as well as many do, so the chunks are the same; seqeval's per-token work
    then grows with the mentions, not with the document.
    """
    gold_out: list[str] = []
    pred_out: list[str] = []
    for g, p in zip(gold, pred, strict=True):
        if g == "O" and p == "O" and gold_out and gold_out[-1] == "O" and pred_out[-1] == "O":
            continue
        gold_out.append(g)
        pred_out.append(p)
    return gold_out, pred_out


def _chunks(tags: list[str]) -> defaultdict[str, set[tuple[int, int]]]:
    """seqeval's strict IOB2 chunks, as (start, end) token positions per type."""
    out: defaultdict[str, set[tuple[int, int]]] = defaultdict(set)
    for chunk in Entities([tags], IOB2).entities[0]:
        out[chunk.tag].add((chunk.start, chunk.end))
    return out
