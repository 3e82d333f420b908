"""Quote scores: content exact and overlap, cue, speaker through coreference, type, end to end."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from scoring_helpers import counts, entity, find, gold_doc, labels, mention, pred_doc, quote, score

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Document, Quote

TEXT = (
    "“We will win,” Ann Lee said on Monday. She added that the team was ready.\r\n"
    "Officials claimed “victory is near” for the party. An aide 😀 feared the end was coming."
)

MENTIONS = (
    mention(TEXT, "ann", find(TEXT, "Ann Lee")),
    mention(TEXT, "she", find(TEXT, "She"), kind="PRO"),
    mention(TEXT, "officials", find(TEXT, "Officials"), kind="NOM"),
    mention(TEXT, "aide", find(TEXT, "An aide"), kind="NOM"),
    mention(TEXT, "party", find(TEXT, "the party"), "ORG", "NOM"),
)
WIN = find(TEXT, "We will win,")
READY = find(TEXT, "the team was ready")
NEAR = find(TEXT, "victory is near")
COMING = find(TEXT, "the end was coming")

GOLD_QUOTES = (
    quote(TEXT, "q1", WIN, "direct", find(TEXT, "said"), "ann"),
    quote(TEXT, "q2", READY, "indirect", find(TEXT, "added"), "she"),
    quote(TEXT, "q3", NEAR, "mixed", find(TEXT, "claimed"), "officials"),
    quote(TEXT, "q4", COMING, "indirect", find(TEXT, "feared"), None),  # unattributed in gold
)
GOLD = gold_doc(TEXT, mentions=MENTIONS, entities=(entity("e1", "PER", "ann", "she"),), quotes=GOLD_QUOTES)
METRICS = ("content_exact", "content_overlap", "cue", "speaker", "type_accuracy", "end_to_end")
GOLD_CHARS = sum(e - s for s, e in (WIN, READY, NEAR, COMING))


def _score(
    quotes: tuple[Quote, ...], mentions: Any = MENTIONS, gold: Document = GOLD, **options: object
) -> DocResult:
    return score(gold, pred_doc(gold, mentions=mentions, quotes=quotes), tasks=("quotes",), **options)


def _replace(index: int, new: Quote) -> tuple[Quote, ...]:
    return tuple(new if i == index else q for i, q in enumerate(GOLD_QUOTES))


def test_perfect_prediction() -> None:
    result = _score(GOLD_QUOTES)
    assert [counts(result, "quotes", m).f1 for m in METRICS] == [1.0] * 6
    assert counts(result, "quotes", "content_overlap") == Counts(
        tp=GOLD_CHARS, pos=GOLD_CHARS, act=GOLD_CHARS
    )
    assert result.errors == []


PRED_MENTIONS = (
    *MENTIONS,
    mention(TEXT, "p-ann", find(TEXT, "Ann Lee")),
    mention(TEXT, "p-lee", find(TEXT, "Lee")),
    mention(TEXT, "p-officials", find(TEXT, "Officials"), kind="NOM"),
)


@pytest.mark.parametrize(
    ("index", "speaker", "correct"),
    [
        (1, "p-ann", True),  # "Ann Lee" is in the entity of the gold speaker "She"
        (1, "p-lee", False),  # "Lee" is no gold mention's span
        (1, None, False),
        (2, "p-officials", True),  # gold speaker in no entity: the same span is needed
        (2, "party", False),
        (3, None, True),  # unattributed in gold and prediction
        (3, "aide", False),
    ],
)
def test_speaker_attribution_through_coreference(index: int, speaker: str | None, correct: bool) -> None:
    gold_quote = GOLD_QUOTES[index]
    pred = quote(
        TEXT, "p", READY if index == 1 else (NEAR if index == 2 else COMING), gold_quote.type, None, speaker
    )
    result = _score(_replace(index, pred), mentions=PRED_MENTIONS)
    assert counts(result, "quotes", "speaker") == Counts(tp=3.0 + correct, pos=4, act=4)
    assert counts(result, "quotes", "end_to_end").tp == 3.0 + correct


def test_content_overlap_counts_shared_code_points() -> None:
    shorter = quote(TEXT, "p", (WIN[0], WIN[1] - 1), "direct", find(TEXT, "said"), "ann")  # without the comma
    result = _score(_replace(0, shorter))
    assert counts(result, "quotes", "content_exact") == Counts(tp=3.0, pos=4, act=4)
    assert counts(result, "quotes", "content_overlap") == Counts(
        tp=GOLD_CHARS - 1, pos=GOLD_CHARS, act=GOLD_CHARS - 1
    )
    assert counts(result, "quotes", "end_to_end").tp == 4.0
    [error] = [e for e in result.errors if e.metric == "content_overlap"]
    assert (error.kind, error.reason) == ("PAR", "shares 11 of 12 gold and 11 predicted code points")


def test_a_quote_spanning_two_gold_quotes_is_matched_to_one() -> None:
    both = quote(TEXT, "p", (WIN[0], READY[1]), "direct", None, "ann")
    result = _score((both,))
    overlap = counts(result, "quotes", "content_overlap")
    assert overlap == Counts(
        tp=READY[1] - READY[0], pos=GOLD_CHARS, act=READY[1] - WIN[0]
    )  # the larger share
    assert counts(result, "quotes", "speaker") == Counts(tp=1.0, pos=1, act=1)  # "Ann Lee" for "She": right
    assert counts(result, "quotes", "type_accuracy") == Counts(tp=0.0, pos=1, act=1)


def test_end_to_end_pairs_quotes_to_maximise_correct_attributions() -> None:
    # The prediction shares more text with q2 (speaker "She") but names "Officials", q3's speaker.
    text_end = NEAR[0] + 3
    pred = quote(TEXT, "p", (READY[0], text_end), "indirect", None, "officials")
    result = _score((pred,))
    assert counts(result, "quotes", "speaker") == Counts(tp=0.0, pos=1, act=1)  # judged on the q2 pairing
    assert counts(result, "quotes", "end_to_end") == Counts(tp=1.0, pos=4, act=1)  # paired with q3


def test_discontinuous_quote_content() -> None:
    text = "“We will,” she said, “win.” Then “we rest.”"
    parts = [find(text, "We will,"), find(text, "win.")]
    gold = gold_doc(text, quotes=(quote(text, "q", parts),))
    cases = {
        "both parts": (parts, Counts(tp=1.0, pos=1, act=1), 12),
        "one part": (parts[:1], Counts(pos=1, act=1), 8),
        "the gap": ([find(text, "she said")], Counts(pos=1, act=1), 0),
    }
    for pred_parts, exact, shared in cases.values():
        result = score(gold, pred_doc(gold, quotes=(quote(text, "p", pred_parts),)), tasks=("quotes",))
        assert counts(result, "quotes", "content_exact") == exact
        assert counts(result, "quotes", "content_overlap").tp == shared


def test_cues_are_scored_by_exact_span() -> None:
    cues = [find(TEXT, "said"), find(TEXT, "added that"), None, find(TEXT, "feared")]
    preds = tuple(
        quote(TEXT, q.id, offs, q.type, cue, q.speaker)
        for q, offs, cue in zip(GOLD_QUOTES, (WIN, READY, NEAR, COMING), cues, strict=True)
    )
    result = _score(preds)
    assert counts(result, "quotes", "cue") == Counts(tp=2.0, pos=4, act=3)
    assert labels(result, "quotes", "cue") == {
        "direct": Counts(tp=1.0, pos=1, act=1),
        "indirect": Counts(tp=1.0, pos=2, act=2),
        "mixed": Counts(pos=1),
    }


def test_type_accuracy_and_per_type_counts_follow_the_gold_type() -> None:
    retyped = quote(TEXT, "p", NEAR, "direct", find(TEXT, "claimed"), "officials")
    result = _score(_replace(2, retyped))
    assert counts(result, "quotes", "type_accuracy") == Counts(tp=3.0, pos=4, act=4)
    assert labels(result, "quotes", "content_exact")["mixed"] == Counts(tp=1.0, pos=1, act=1)
    assert labels(result, "quotes", "type_accuracy")["mixed"] == Counts(tp=0.0, pos=1, act=1)


def test_overlap_threshold_applies_to_quote_content() -> None:
    pred = quote(TEXT, "p", (NEAR[0], NEAR[0] + 7), "mixed", None, "officials")  # "victory": 7 of 15
    assert counts(_score((pred,), overlap=0.4), "quotes", "content_overlap").tp == 7
    assert counts(_score((pred,), overlap=0.5), "quotes", "content_overlap").tp == 0


def test_ignore_regions_drop_quotes_on_both_sides() -> None:
    gold = gold_doc(
        TEXT,
        ignore=[find(TEXT, "An aide 😀 feared the end was coming.")],
        mentions=MENTIONS,
        quotes=GOLD_QUOTES,
    )
    extra = quote(TEXT, "p9", find(TEXT, "feared"), "indirect")
    result = _score((*GOLD_QUOTES[:3], extra), gold=gold)
    assert counts(result, "quotes", "content_exact") == Counts(tp=3.0, pos=3, act=3)


def test_empty_prediction_and_empty_gold() -> None:
    missed = score(GOLD, GOLD.blank(), tasks=("quotes",))
    assert counts(missed, "quotes", "end_to_end") == Counts(pos=4)
    assert counts(missed, "quotes", "speaker") == Counts()
    assert Counter((e.metric, e.kind) for e in missed.errors) == {
        (metric, "FN"): 4 for metric in ("content_exact", "content_overlap", "cue", "end_to_end")
    }
    empty = gold_doc(TEXT)
    nothing = score(empty, empty.blank(), tasks=("quotes",))
    assert {key: value for key, value in nothing.stats.items()} == {
        ("quotes", m, ""): Counts() for m in METRICS
    }


def test_content_overlap_reports_items_in_item_columns_and_code_points_by_name() -> None:
    from newsbench.eval import score as score_corpus
    from newsbench.eval.report.markdown import HEADLINE_HEADER, headline_rows

    shorter = quote(TEXT, "p", (WIN[0], WIN[1] - 1), "direct", find(TEXT, "said"), "ann")
    pred = pred_doc(GOLD, mentions=MENTIONS, quotes=_replace(0, shorter)[:3])  # three quotes predicted
    report = score_corpus([GOLD], [pred], tasks=("quotes",), bootstrap=0)
    overlap = report.to_json()["tasks"]["quotes"]["content_overlap"]
    assert (overlap["micro"]["gold"], overlap["micro"]["predicted"]) == (4, 3)  # quotes
    assert overlap["micro"]["gold_code_points"] == GOLD_CHARS
    assert overlap["micro"]["predicted_code_points"] == GOLD_CHARS - 1 - (COMING[1] - COMING[0])
    assert {label: row["gold"] for label, row in overlap["per_type"].items()} == {
        "direct": 1,
        "indirect": 2,
        "mixed": 1,
    }
    row = next(r for r in headline_rows(report) if r[1] == "content_overlap")
    assert row[-2:] == ["4", "3"]
    (table_row,) = [r for r in report.table() if r.metric == "content_overlap"]
    assert (table_row.gold, table_row.predicted) == (4, 3)
    assert table_row.f1 is not None and 0 <= table_row.f1 <= 1  # fractions in Python and JSON
    assert row[4] == f"{100 * table_row.f1:.2f}" and HEADLINE_HEADER[4] == "F1 (%)"  # percent, said so
    assert HEADLINE_HEADER[-2:] == ("gold", "predicted")


def test_a_gold_quote_whose_overlapping_prediction_went_to_another_gold_quote_is_simply_missed() -> None:
    # The prediction covers all of "victory is" (aligned with it by content) and part of "near” for the
    # party", whose speaker it names. End to end it is the second quote's pair, so the first is missed,
    # not a speaker error with a prediction already counted.
    victory, rest = find(TEXT, "victory is"), find(TEXT, "near” for the party")
    gold = gold_doc(
        TEXT,
        mentions=MENTIONS,
        quotes=(
            quote(TEXT, "g1", victory, "direct", None, "officials"),
            quote(TEXT, "g2", rest, "direct", None, "party"),
        ),
    )
    predicted = quote(TEXT, "p", find(TEXT, "victory is near” for"), "direct", None, "party")
    result = _score((predicted,), gold=gold)
    assert counts(result, "quotes", "end_to_end") == Counts(1, 2, 1)
    wrong = {
        (e.kind, e.cause, e.gold["id"] if e.gold else None) for e in result.errors if e.metric == "end_to_end"
    }
    assert wrong == {("FN", "missed", "g1")}


def test_a_speaker_error_names_each_speaker_by_its_own_documents_mention() -> None:
    lee = mention(TEXT, "p-lee", find(TEXT, "Lee"))
    result = _score((quote(TEXT, "p3", NEAR, "mixed", find(TEXT, "claimed"), "p-lee"),), (lee,))
    (error,) = [e for e in result.errors if e.metric == "speaker"]
    assert error.reason == "speaker: gold 'Officials', predicted 'Lee'"


def test_a_quote_with_other_content_spans_or_the_wrong_speaker_is_one_error_not_two() -> None:
    shorter = quote(TEXT, "p2", find(TEXT, "team was ready"), "indirect", find(TEXT, "added"), "officials")
    result = _score(_replace(1, shorter))
    errors = {(e.metric, e.kind, e.cause, e.reason) for e in result.errors if e.gold and e.gold["id"] == "q2"}
    assert errors >= {
        ("content_exact", "INC", "span", "content spans differ"),
        ("end_to_end", "INC", "speaker", "the speaker is wrong"),
    }
    assert not [e for e in result.errors if e.kind in ("FN", "FP")]


def test_a_prediction_overlapping_no_gold_quote_adds_only_to_the_predicted_code_points() -> None:
    stray = find(TEXT, "She added that")
    result = _score((*GOLD_QUOTES, quote(TEXT, "p5", stray, "direct")))
    assert counts(result, "quotes", "content_overlap") == Counts(
        tp=GOLD_CHARS, pos=GOLD_CHARS, act=GOLD_CHARS + stray[1] - stray[0]
    )


def test_among_predictions_on_one_span_the_one_of_the_gold_type_is_matched() -> None:
    # Two predictions of q1's content and cue, listed first as "mixed": the "direct" one is q1's pair
    # in content_exact and cue, and the "mixed" one is the false alarm under its own type.
    mixed = quote(TEXT, "p0", WIN, "mixed", find(TEXT, "said"), "ann")
    result = _score((mixed, *GOLD_QUOTES))
    for metric in ("content_exact", "cue"):
        by_type = labels(result, "quotes", metric)
        assert (by_type["direct"], by_type["mixed"]) == (Counts(1, 1, 1), Counts(1, 1, 2))


def test_the_types_option_keeps_only_quotes_of_those_types_on_both_sides() -> None:
    stray = quote(TEXT, "p5", find(TEXT, "She added that"), "direct")
    kept = _score((*GOLD_QUOTES, stray), types=("indirect",))
    assert counts(kept, "quotes", "content_exact") == Counts(2, 2, 2)
    direct = _score((*GOLD_QUOTES, stray), types=("direct",))
    assert counts(direct, "quotes", "content_exact") == Counts(1, 1, 2)
