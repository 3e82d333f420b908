"""Entity scores in the four SemEval-2013 modes: hand-worked cases, and nervaluate as an outside oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from scoring_helpers import categories, counts, find, gold_doc, labels, mention, pred_doc, score

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Mention

TEXT = "In Paris, Ben Johnson met Ann Lee at the United Nations building in New York."
MODES = ("strict", "exact", "type", "partial")


def _score_mentions(golds: list[Mention], preds: list[Mention], **options: object) -> DocResult:
    gold = gold_doc(TEXT, mentions=tuple(golds))
    return score(gold, pred_doc(gold, mentions=tuple(preds)), tasks=("entities",), **options)


BEN = find(TEXT, "Ben Johnson")
JOHNSON = find(TEXT, "Johnson")
MET = find(TEXT, "met")

# (gold, pred) -> (COR, INC, PAR, MIS, SPU) in strict, exact, type, partial: the SemEval-2013 scenarios.
SCENARIOS = {
    "same span and type": (
        [("g", BEN, "PER")],
        [("p", BEN, "PER")],
        [(1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0)],
    ),
    "same span, wrong type": (
        [("g", BEN, "PER")],
        [("p", BEN, "ORG")],
        [(0, 1, 0, 0, 0), (1, 0, 0, 0, 0), (0, 1, 0, 0, 0), (1, 0, 0, 0, 0)],
    ),
    "overlap, same type": (
        [("g", BEN, "PER")],
        [("p", JOHNSON, "PER")],
        [(0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (1, 0, 0, 0, 0), (0, 0, 1, 0, 0)],
    ),
    "overlap, wrong type": (
        [("g", BEN, "PER")],
        [("p", JOHNSON, "ORG")],
        [(0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0)],
    ),
    "spurious": ([], [("p", MET, "PER")], [(0, 0, 0, 0, 1)] * 4),
    "missed": ([("g", BEN, "PER")], [], [(0, 0, 0, 1, 0)] * 4),
    "touching is not overlapping": (
        [("g", find(TEXT, "Ben"), "PER")],
        [("p", (BEN[0] + 3, BEN[1]), "PER")],  # " Johnson", starting where "Ben" ends
        [(0, 0, 0, 1, 1)] * 4,
    ),
    "empty documents": ([], [], [(0, 0, 0, 0, 0)] * 4),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_semeval_scenarios(name: str) -> None:
    golds, preds, expected = SCENARIOS[name]
    result = _score_mentions(
        [mention(TEXT, i, s, t) for i, s, t in golds], [mention(TEXT, i, s, t) for i, s, t in preds]
    )
    assert [categories(counts(result, "entities", mode)) for mode in MODES] == expected


@pytest.mark.parametrize(
    ("mode", "credit"),
    [("strict", (0, 0.0)), ("exact", (0, 0.0)), ("type", (1, 1.0)), ("partial", (1, 0.5))],
)
def test_precision_and_recall_give_partial_matches_half_credit(mode: str, credit: tuple[int, float]) -> None:
    result = _score_mentions([mention(TEXT, "g", BEN)], [mention(TEXT, "p", JOHNSON)])
    c = counts(result, "entities", mode)
    assert (c.pos, c.act, c.tp) == (1, 1, credit[1])
    assert c.precision == c.recall == credit[1]


def test_graded_partial_credit_is_character_overlap_f1() -> None:
    result = _score_mentions(
        [mention(TEXT, "g", BEN)], [mention(TEXT, "p", JOHNSON)], partial_credit="graded"
    )
    assert counts(result, "entities", "partial").tp == pytest.approx(2 * 7 / (11 + 7))
    assert counts(result, "entities", "type").tp == 1.0  # type mode has no partial matches


def test_nested_gold_mentions_are_matched_optimally() -> None:
    un = find(TEXT, "United Nations")
    building = find(TEXT, "United Nations building")
    golds = [mention(TEXT, "g1", building, "FAC"), mention(TEXT, "g2", un, "ORG")]
    result = _score_mentions(golds, [mention(TEXT, "p", un, "ORG")])
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 1, 0)
    assert categories(counts(result, "entities", "partial")) == (1, 0, 0, 1, 0)
    # an exact match earns 1 among competing pairs too
    assert counts(result, "entities", "partial").tp == counts(result, "entities", "strict").tp == 1.0
    assert counts(result, "entities", "strict", "FAC") == Counts(pos=1, mis=1)


def test_in_partial_mode_an_exact_match_and_two_half_credits_tie_and_more_pairs_win() -> None:
    # p1 is exactly g1 ("Ann Lee") and also overlaps g2 ("Lee at"); p2 ("Ann") overlaps g1 only. Pairing
    # (g1, p1) earns 1 and leaves two items out; pairing (g1, p2) and (g2, p1) earns 0.5 + 0.5 = 1 with two
    # pairs: equal credit, so the matching with more pairs is chosen (credit first, then pairs).
    ann_lee = find(TEXT, "Ann Lee")
    golds = [mention(TEXT, "g1", ann_lee), mention(TEXT, "g2", find(TEXT, "Lee at"))]
    preds = [mention(TEXT, "p1", ann_lee), mention(TEXT, "p2", find(TEXT, "Ann"))]
    result = _score_mentions(golds, preds)
    partial = counts(result, "entities", "partial")
    assert categories(partial) == (0, 0, 2, 0, 0)
    assert partial.tp == 1.0
    # In strict mode only (g1, p1) earns credit, and credit comes before the number of pairs.
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 1, 1)


def test_without_credit_two_wrong_pairs_beat_one_closer_wrong_pair() -> None:
    # A chain g2 - p1 - g1 - p2: (g1, p1) is close and of one type, (g2, p1) and (g1, p2) share a word or
    # two across types. No pair is exact, so in strict and exact mode every pair earns nothing and the
    # matching with more pairs wins, however much closer the one pair is (the closeness only breaks ties).
    golds = [
        mention(TEXT, "g1", find(TEXT, "United Nations building"), "FAC"),
        mention(TEXT, "g2", find(TEXT, "in New York"), "GPE"),
    ]
    preds = [
        mention(TEXT, "p1", find(TEXT, "Nations building in"), "FAC"),
        mention(TEXT, "p2", find(TEXT, "the United"), "ORG"),
    ]
    result = _score_mentions(golds, preds)
    assert [categories(counts(result, "entities", mode)) for mode in MODES] == [
        (0, 2, 0, 0, 0),
        (0, 2, 0, 0, 0),
        (1, 0, 0, 1, 1),  # type mode: (g1, p1) earns credit, and credit comes first
        (0, 0, 2, 0, 0),
    ]


def test_among_equal_partial_credits_the_prediction_of_the_gold_type_is_matched() -> None:
    ann_lee, ann = find(TEXT, "Ann Lee"), find(TEXT, "Ann")
    golds = [mention(TEXT, "g", ann_lee, "PER")]
    preds = [mention(TEXT, "p1", ann, "ORG"), mention(TEXT, "p2", ann, "PER")]
    partial = labels(_score_mentions(golds, preds), "entities", "partial")
    assert (partial["PER"].par, partial["ORG"].spu) == (1, 1)


def test_a_reason_names_only_what_differs() -> None:
    ben = find(TEXT, "Ben Johnson")
    result = _score_mentions([mention(TEXT, "g", ben, "PER")], [mention(TEXT, "p", ben, "ORG")])
    assert {(e.metric, e.reason) for e in result.errors if e.kind == "INC"} == {
        ("strict", "type differs: gold PER, predicted ORG"),
        ("type", "type differs: gold PER, predicted ORG"),
    }


def test_optimal_matching_where_greedy_matching_loses_a_pair() -> None:
    # "Ann Lee at the United" (p1) overlaps both gold mentions; p2 overlaps only the first. Greedy pairing
    # in list order gives p1 the first gold and leaves p2 spurious; the optimal pairing matches both.
    text = TEXT
    ann, lee_un = find(text, "Ann Lee"), find(text, "United Nations")
    golds = [mention(text, "g1", ann), mention(text, "g2", lee_un)]
    preds = [mention(text, "p1", (ann[0] + 4, lee_un[0] + 6)), mention(text, "p2", (ann[0], ann[0] + 3))]
    result = _score_mentions(golds, preds)
    assert categories(counts(result, "entities", "type")) == (2, 0, 0, 0, 0)
    greedy = Evaluator(
        [[_nv(m) for m in golds]], [[_nv(m) for m in preds]], ["PER"], loader="dict"
    ).evaluate()
    assert greedy["overall"]["ent_type"].correct == 1  # nervaluate, list order dependent


def test_discontinuous_mentions() -> None:
    # "Ben ... Lee": a discontinuous gold mention; the gap's words are not part of it.
    ben, lee = find(TEXT, "Ben"), find(TEXT, "Lee")
    gold = mention(TEXT, "g", [ben, lee])
    cases = {
        "same spans": ([ben, lee], (1, 0, 0, 0, 0)),
        "first part": ([ben], (0, 0, 1, 0, 0)),
        "inside the gap": ([find(TEXT, "met")], (0, 0, 0, 1, 1)),
    }
    for pred_spans, expected in cases.values():
        result = _score_mentions([gold], [mention(TEXT, "p", pred_spans)])
        assert categories(counts(result, "entities", "partial")) == expected


def test_duplicates_are_matched_one_to_one() -> None:
    golds = [mention(TEXT, "g1", BEN), mention(TEXT, "g2", BEN)]
    result = _score_mentions(golds, [mention(TEXT, "p", BEN)])
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 1, 0)
    result = _score_mentions(golds[:1], [mention(TEXT, "p1", BEN), mention(TEXT, "p2", BEN)])
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 0, 1)


@pytest.mark.parametrize(
    ("overlap", "expected"), [(0.0, (0, 0, 1, 0, 0)), (0.5, (0, 0, 1, 0, 0)), (0.7, (0, 0, 0, 1, 1))]
)
def test_overlap_threshold_is_a_fraction_of_the_gold_span(overlap: float, expected: tuple[int, ...]) -> None:
    # "Johnson" covers 7 of the 11 code points of "Ben Johnson": 0.64.
    result = _score_mentions([mention(TEXT, "g", BEN)], [mention(TEXT, "p", JOHNSON)], overlap=overlap)
    assert categories(counts(result, "entities", "partial")) == expected


def test_only_the_chosen_mention_kinds_are_scored() -> None:
    golds = [mention(TEXT, "g1", BEN), mention(TEXT, "g2", find(TEXT, "building"), "FAC", "NOM")]
    preds = [mention(TEXT, "p1", BEN), mention(TEXT, "p2", MET, "PER", "PRO")]
    assert categories(counts(_score_mentions(golds, preds), "entities", "strict")) == (1, 0, 0, 0, 0)
    everything = _score_mentions(golds, preds, mention_kinds=("NAM", "NOM", "PRO"))
    assert categories(counts(everything, "entities", "strict")) == (1, 0, 0, 1, 1)


def test_ignore_regions_drop_mentions_on_both_sides() -> None:
    region = find(TEXT, "in New York.")
    gold = gold_doc(
        TEXT,
        ignore=[region],
        mentions=(mention(TEXT, "g1", BEN), mention(TEXT, "g2", find(TEXT, "New York"), "GPE")),
    )
    preds = (
        mention(TEXT, "p1", BEN),
        mention(TEXT, "p2", find(TEXT, "York"), "GPE"),  # inside the region
        mention(TEXT, "p3", find(TEXT, "building in"), "FAC"),  # reaching into it
    )
    result = score(gold, pred_doc(gold, mentions=preds), tasks=("entities",))
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 0, 0)


def test_a_mistyped_match_counts_under_the_gold_type() -> None:
    result = _score_mentions([mention(TEXT, "g", BEN, "PER")], [mention(TEXT, "p", BEN, "ORG")])
    assert labels(result, "entities", "strict") == {"PER": Counts(tp=0.0, pos=1, act=1, inc=1)}
    assert labels(result, "entities", "exact") == {"PER": Counts(tp=1.0, pos=1, act=1, cor=1)}


def test_a_spurious_mention_counts_under_its_predicted_type() -> None:
    result = _score_mentions([], [mention(TEXT, "p", MET, "ORG")])
    assert labels(result, "entities", "strict") == {"ORG": Counts(act=1, spu=1)}


def test_errors_name_the_document_span_text_type_and_reason() -> None:
    result = _score_mentions(
        [mention(TEXT, "g", BEN, "PER")], [mention(TEXT, "p", JOHNSON, "ORG"), mention(TEXT, "q", MET)]
    )
    strict = [e for e in result.errors if e.metric == "strict"]
    assert sorted((e.kind, e.reason) for e in strict) == [
        ("FP", "it was matched to no gold mention"),
        ("INC", "boundaries differ; type differs: gold PER, predicted ORG"),
    ]
    inc = next(e for e in strict if e.kind == "INC")
    assert inc.doc_id == "d1"
    assert inc.gold is not None and inc.pred is not None
    assert (inc.gold["text"], inc.gold["type"], inc.gold["spans"][0]["start"]) == (
        "Ben Johnson",
        "PER",
        BEN[0],
    )
    assert (inc.pred["text"], inc.pred["type"]) == ("Johnson", "ORG")
    partial = next(e for e in result.errors if e.metric == "partial" and e.kind == "PAR")
    # One error in every mode that counts it: the same words and cause; the partial credit on its own.
    assert partial.reason == inc.reason and (partial.cause, inc.cause) == ("span and type", "span and type")
    assert (partial.credit, inc.credit) == (0.5, None)


def test_offsets_are_code_points_with_emoji_combining_marks_and_crlf() -> None:
    text = "“Zoe\u0301” 😀 met\r\nLi 👩‍👩‍👧 in Zürich."
    zoe, li, zurich = find(text, "Zoe\u0301"), find(text, "Li"), find(text, "Zürich")
    assert text[zurich[0] : zurich[1]] == "Zürich"
    gold = gold_doc(
        text, mentions=(mention(text, "g1", zoe), mention(text, "g2", li), mention(text, "g3", zurich, "GPE"))
    )
    preds = (
        mention(text, "p1", zoe),
        mention(text, "p2", (li[0], li[1] + 1)),
        mention(text, "p3", zurich, "GPE"),
    )
    result = score(gold, pred_doc(gold, mentions=preds), tasks=("entities",))
    assert categories(counts(result, "entities", "strict")) == (2, 1, 0, 0, 0)
    assert counts(result, "entities", "conll").tp == 3  # "Li " snaps back to the token "Li"


# nervaluate as an oracle: where no span overlaps two others its greedy matching is the optimal one.

TYPES = ("PER", "ORG", "GPE")


@st.composite
def _slotted_mentions(draw: st.DrawFn) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Gold and predicted mentions in separate 20-character slots, at most one of each per slot."""
    golds: list[tuple[int, int, str]] = []
    preds: list[tuple[int, int, str]] = []
    for slot in range(draw(st.integers(0, 8))):
        base = slot * 20
        for side in (golds, preds):
            if draw(st.booleans()):
                start = base + draw(st.integers(0, 10))
                side.append((start, start + draw(st.integers(1, 8)), draw(st.sampled_from(TYPES))))
    return golds, preds


def _nv(m: Mention) -> dict[str, object]:
    return {"label": m.type, "start": m.start, "end": m.end - 1}  # nervaluate's ends are inclusive


@settings(max_examples=60, deadline=None)
@given(st.lists(_slotted_mentions(), min_size=1, max_size=4))
def test_counts_agree_with_nervaluate_when_no_span_overlaps_two_others(
    docs: list[tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]],
) -> None:
    text = "x" * 200
    totals = {mode: Counts() for mode in MODES}
    nv_true, nv_pred = [], []
    for n, (golds, preds) in enumerate(docs):
        gold_mentions = tuple(mention(text, f"g{i}", (s, e), t) for i, (s, e, t) in enumerate(golds))
        pred_mentions = tuple(mention(text, f"p{i}", (s, e), t) for i, (s, e, t) in enumerate(preds))
        gold = gold_doc(text, doc_id=f"d{n}", mentions=gold_mentions)
        result = score(gold, pred_doc(gold, mentions=pred_mentions), tasks=("entities",))
        for mode in MODES:
            totals[mode] = totals[mode] + counts(result, "entities", mode)
        nv_true.append([_nv(m) for m in gold_mentions])
        nv_pred.append([_nv(m) for m in pred_mentions])
    oracle = Evaluator(nv_true, nv_pred, list(TYPES), loader="dict").evaluate()["overall"]
    for mode, nv_mode in zip(MODES, ("strict", "exact", "ent_type", "partial"), strict=True):
        expected = oracle[nv_mode]
        ours = totals[mode]
        assert categories(ours) == (
            expected.correct,
            expected.incorrect,
            expected.partial,
            expected.missed,
            expected.spurious,
        )
        # nervaluate reports 0 for a division by zero; we report None (not applicable).
        assert (ours.precision or 0.0) == pytest.approx(expected.precision)
        assert (ours.recall or 0.0) == pytest.approx(expected.recall)
        assert (ours.f1 or 0.0) == pytest.approx(expected.f1)


def test_missed_mentions_are_listed_in_text_order_then_by_type() -> None:
    un = find(TEXT, "United Nations")
    golds = [
        mention(TEXT, "a-un", un, "ORG"),
        mention(TEXT, "b-un", un, "GPE"),
        mention(TEXT, "c-ben", BEN, "PER"),
        mention(TEXT, "d-paris", find(TEXT, "Paris"), "GPE"),
    ]
    result = _score_mentions(golds, [])
    missed = [e.gold["id"] for e in result.errors if e.metric == "strict" and e.gold]
    assert missed == ["d-paris", "c-ben", "b-un", "a-un"]


def test_a_mention_ending_where_an_ignore_region_starts_is_scored() -> None:
    region = find(TEXT, " in New York.")
    building = find(TEXT, "building")
    assert building[1] == region[0]
    gold = gold_doc(TEXT, ignore=[region], mentions=(mention(TEXT, "g", building, "FAC"),))
    result = score(gold, pred_doc(gold, mentions=(mention(TEXT, "p", building, "FAC"),)), tasks=("entities",))
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 0, 0)


def test_a_mention_between_two_of_three_ignore_regions_is_scored() -> None:
    regions = [find(TEXT, "In"), find(TEXT, "Ben"), find(TEXT, "New York.")]
    ann = find(TEXT, "Ann Lee")
    gold = gold_doc(TEXT, ignore=regions, mentions=(mention(TEXT, "g", ann),))
    result = score(gold, pred_doc(gold, mentions=(mention(TEXT, "p", ann),)), tasks=("entities",))
    assert categories(counts(result, "entities", "strict")) == (1, 0, 0, 0, 0)
