"""The token-level CoNLL view: seqeval's numbers, snapping to tokens, nesting, and equality with strict F1."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_helpers import counts, find, gold_doc, labels, mention, pred_doc, score
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from newsbench.eval.metrics.conll import iob2_tags, tokens_near
from newsbench.eval.metrics.counts import Counts
from newsbench.model import Mention
from newsbench.tokens import tokenize

TEXT = "Officials in Iraqi Kurdistan met the United Nations envoy on Monday."


def _tags(text: str, mentions: list[Mention]) -> list[str]:
    tokens = tokenize(text)
    tags: list[str] = iob2_tags(mentions, [t.start for t in tokens], [t.end for t in tokens])
    return tags


@pytest.mark.parametrize(
    ("needle", "tags"),
    [
        ("Iraqi Kurdistan", ["O", "O", "B-GPE", "I-GPE", "O"]),
        ("Iraq", ["O", "O", "B-GPE", "O", "O"]),  # inside "Iraqi": snapped out to the whole token
        ("aqi Kurd", ["O", "O", "B-GPE", "I-GPE", "O"]),  # both ends snapped out
        ("in Iraqi ", ["O", "B-GPE", "I-GPE", "O", "O"]),  # trailing space dropped
    ],
)
def test_mentions_snap_outward_to_tokens(needle: str, tags: list[str]) -> None:
    m = mention(TEXT, "m", find(TEXT, needle), "GPE")
    assert _tags(TEXT, [m])[:5] == tags


def test_nested_mentions_keep_the_longer() -> None:
    outer = mention(TEXT, "outer", find(TEXT, "the United Nations envoy"), "PER", "NOM")
    inner = mention(TEXT, "inner", find(TEXT, "United Nations"), "ORG")
    assert _tags(TEXT, [inner, outer])[5:9] == ["B-PER", "I-PER", "I-PER", "I-PER"]


def test_a_discontinuous_mention_is_tagged_over_its_extent() -> None:
    m = mention(TEXT, "m", [find(TEXT, "Iraqi"), find(TEXT, "met")], "GPE")
    assert _tags(TEXT, [m])[2:6] == ["B-GPE", "I-GPE", "I-GPE", "O"]


def test_counts_are_seqeval_chunks_per_type() -> None:
    gold = gold_doc(
        TEXT,
        mentions=(
            mention(TEXT, "g1", find(TEXT, "Iraqi Kurdistan"), "GPE"),
            mention(TEXT, "g2", find(TEXT, "United Nations"), "ORG"),
            mention(TEXT, "g3", find(TEXT, "Monday"), "TIME"),
        ),
    )
    preds = (
        mention(TEXT, "p1", find(TEXT, "Iraq"), "GPE"),  # snaps to "Iraqi": a different chunk
        mention(TEXT, "p2", find(TEXT, "United Nations"), "ORG"),
        mention(TEXT, "p3", find(TEXT, "Monday"), "ORG"),
    )
    result = score(gold, pred_doc(gold, mentions=preds), tasks=("entities",))
    assert counts(result, "entities", "conll") == Counts(tp=1.0, pos=3, act=3)
    assert labels(result, "entities", "conll") == {
        "GPE": Counts(tp=0.0, pos=1, act=1),
        "ORG": Counts(tp=1.0, pos=1, act=2),
        "TIME": Counts(tp=0.0, pos=1, act=0),
    }


# seqeval as an oracle: on token-aligned, non-overlapping mentions its F1 is our strict span F1.

TYPES = ("PER", "ORG", "GPE")
WORDS = ("Ann", "Lee", "”", "Zoe\u0301", "😀", "said", "“", "U.S.", "Acme", "in", "2,500")


@st.composite
def _tagged_document(draw: st.DrawFn) -> tuple[list[str], list[str], list[str]]:
    """Words, gold IOB2 tags and predicted IOB2 tags for one document."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
    return words, _random_tags(draw, len(words)), _random_tags(draw, len(words))


def _random_tags(draw: st.DrawFn, n: int) -> list[str]:
    tags: list[str] = []
    while len(tags) < n:
        length = draw(st.integers(1, 3))
        if draw(st.booleans()):
            tags.append("O")
        else:
            label = draw(st.sampled_from(TYPES))
            tags.extend([f"B-{label}"] + [f"I-{label}"] * (length - 1))
    return tags[:n]


def _mentions(text: str, offsets: list[tuple[int, int]], tags: list[str], prefix: str) -> tuple[Mention, ...]:
    out = []
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            j = i + 1
            while j < len(tags) and tags[j] == f"I-{tag[2:]}":
                j += 1
            out.append(mention(text, f"{prefix}{i}", (offsets[i][0], offsets[j - 1][1]), tag[2:]))
    return tuple(out)


@settings(max_examples=80, deadline=None)
@given(st.lists(_tagged_document(), min_size=1, max_size=4))
def test_strict_f1_equals_seqeval_on_token_aligned_mentions(
    docs: list[tuple[list[str], list[str], list[str]]],
) -> None:
    strict = conll = Counts()
    for n, (words, gold_tags, pred_tags) in enumerate(docs):
        text = "\r\n".join(words) if n % 2 else " ".join(words)
        offsets = [(t.start, t.end) for t in tokenize(text)]
        assert len(offsets) == len(words)
        gold = gold_doc(text, doc_id=f"d{n}", mentions=_mentions(text, offsets, gold_tags, "g"))
        result = score(
            gold, pred_doc(gold, mentions=_mentions(text, offsets, pred_tags, "p")), tasks=("entities",)
        )
        strict = strict + counts(result, "entities", "strict")
        conll = conll + counts(result, "entities", "conll")
    y_true = [gold_tags for _, gold_tags, _ in docs]
    y_pred = [pred_tags for _, _, pred_tags in docs]
    options = {"mode": "strict", "scheme": IOB2, "zero_division": 0}
    # seqeval reports 0 where nothing is on either side; we report None (not applicable).
    assert (strict.f1 or 0.0) == pytest.approx(f1_score(y_true, y_pred, **options))
    assert (strict.precision or 0.0) == pytest.approx(precision_score(y_true, y_pred, **options))
    assert (strict.recall or 0.0) == pytest.approx(recall_score(y_true, y_pred, **options))
    assert (conll.tp, conll.pos, conll.act) == (strict.tp, strict.pos, strict.act)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["Ann", "’s", " ", "\r\n", "U.S.", "😀", "e\u0301", "2,500", "-", "“", "x"]),
        max_size=25,
    ),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=4),
)
def test_tokens_near_mentions_are_the_documents_tokens(
    pieces: list[str], spans: list[tuple[int, int]]
) -> None:
    text = "".join(pieces)
    mentions = [mention(text, f"m{i}", (s, s + n)) for i, (s, n) in enumerate(spans) if s + n <= len(text)]
    near = {(s + offset, e + offset) for offset, bounds in tokens_near(text, mentions) for s, e in bounds}
    everywhere = {(t.start, t.end) for t in tokenize(text)}
    assert near <= everywhere
    for m in mentions:
        assert {(s, e) for s, e in everywhere if s < m.end and m.start < e} <= near


@pytest.mark.parametrize(("text", "needle"), [("AnnLee met Bob.", "Lee"), ("met AnnLee", "Lee")])
def test_a_mention_inside_a_word_gets_that_words_tokens_at_the_text_edges(text: str, needle: str) -> None:
    m = mention(text, "m", find(text, needle))
    near = {(s + offset, e + offset) for offset, bounds in tokens_near(text, [m]) for s, e in bounds}
    word = next((t.start, t.end) for t in tokenize(text) if t.start <= m.start < t.end)
    assert word in near
    assert near <= {(t.start, t.end) for t in tokenize(text)}
