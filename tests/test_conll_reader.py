"""The CoNLL view reads chunks straight from its token runs; seqeval, reading the IOB2 tags, is the oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_helpers import find, mention

from newsbench.eval.metrics.conll import (
    count_chunks,
    runs_as_chunks,
    seqeval_chunks,
    snapped_chunks,
    token_runs,
)
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.tally import Sheet
from newsbench.model import Mention
from newsbench.tokens import tokenize

PIECES = ("Ann", "Lee", " ", " ", "\r\n", "U.S.", "😀", "Zoe\u0301", "2,500", "-", "“", "”", "’s", "x")
TYPES = ("PER", "ORG", "GPE")


@st.composite
def _document(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    """A text and mentions anywhere in it: nested, overlapping, duplicated, inside tokens, discontinuous."""
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30)))
    mentions = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 12)))
        spans = [(start, end)]
        if end + 1 < len(text) and draw(st.booleans()):
            later = draw(st.integers(end + 1, len(text) - 1))
            spans.append((later, draw(st.integers(later + 1, len(text)))))
        mentions.append(mention(text, f"m{i}", spans, draw(st.sampled_from(TYPES))))
    return text, mentions


@settings(max_examples=300, deadline=None)
@given(_document())
def test_chunks_read_from_runs_are_seqevals_chunks(document: tuple[str, list[Mention]]) -> None:
    text, mentions = document
    tokens = tokenize(text)
    runs = token_runs(mentions, [t.start for t in tokens], [t.end for t in tokens])
    assert runs_as_chunks(runs, len(tokens)) == seqeval_chunks(runs, len(tokens))


@settings(max_examples=100, deadline=None)
@given(_document(), _document())
def test_counts_through_seqeval_equal_the_direct_counts(
    gold_side: tuple[str, list[Mention]], pred_side: tuple[str, list[Mention]]
) -> None:
    text, golds = gold_side
    preds = [m for m in pred_side[1] if m.end <= len(text)]
    by_reader = []
    for read in (None, runs_as_chunks, seqeval_chunks):
        result = DocResult("d")
        sheet = Sheet(result, "entities")
        count_chunks(text, golds, preds, sheet, read=read)
        sheet.close()
        by_reader.append(result.stats)
    assert by_reader[0] == by_reader[1] == by_reader[2]


@pytest.mark.parametrize(
    ("needles", "chunks"),
    [
        (["Ann Lee"], {("PER", 0, 2)}),
        (["Ann", "Lee"], {("PER", 0, 1), ("PER", 1, 2)}),  # adjacent chunks of one type stay apart
        (["Ann Lee", "Lee"], {("PER", 0, 2)}),  # nested: the longer one is kept
    ],
)
def test_runs_read_as_chunks_by_hand(needles: list[str], chunks: set[tuple[str, int, int]]) -> None:
    text = "Ann Lee met “Acme”."
    mentions = [mention(text, f"m{i}", find(text, needle)) for i, needle in enumerate(needles)]
    tokens = tokenize(text)
    runs = token_runs(mentions, [t.start for t in tokens], [t.end for t in tokens])
    assert runs_as_chunks(runs, len(tokens)) == chunks == seqeval_chunks(runs, len(tokens))


def _through_tokens(text: str, mentions: list[Mention]) -> set[tuple[str, int, int]]:
    tokens = tokenize(text)
    runs = token_runs(mentions, [t.start for t in tokens], [t.end for t in tokens])
    return {
        (type_, tokens[first].start, tokens[stop - 1].end)
        for type_, first, stop in seqeval_chunks(runs, len(tokens))
    }


@settings(max_examples=300, deadline=None)
@given(_document())
def test_snapping_at_the_ends_finds_the_chunks_the_tokens_give(document: tuple[str, list[Mention]]) -> None:
    """Mention by mention (never sharing a token) and all together (None when they do)."""
    text, mentions = document
    for m in mentions:
        alone = snapped_chunks(text, [m])
        assert alone is None or alone == _through_tokens(text, [m])
        if not (text[m.start].isspace() or text[m.end - 1].isspace()):
            assert alone is not None
    together = snapped_chunks(text, mentions)
    assert together is None or together == _through_tokens(text, mentions)


@pytest.mark.parametrize(
    ("needle", "chunk"),
    [
        ("Acme", ("ORG", 15, 19)),  # inside curly quotes: the marks are tokens of their own
        ("cme", ("ORG", 15, 19)),  # starts inside a word: snapped back to its start
        ("Ann Le", ("ORG", 0, 7)),  # ends inside a word: snapped on to its end
        ("Lee’s", ("ORG", 4, 9)),  # possessive split off, then taken back in by the mention
        ("Lee", ("ORG", 4, 7)),
    ],
)
def test_snapping_by_hand(needle: str, chunk: tuple[str, int, int]) -> None:
    text = "Ann Lee’s met “Acme”.\r\n😀"
    assert snapped_chunks(text, [mention(text, "m", find(text, needle), "ORG")]) == {chunk}


def test_mentions_sharing_a_token_are_left_to_the_tokens() -> None:
    text = "Ann Lee met Acme."
    mentions = [
        mention(text, "a", find(text, "Ann Lee"), "PER"),
        mention(text, "b", find(text, "Lee"), "PER"),
    ]
    assert snapped_chunks(text, mentions) is None
