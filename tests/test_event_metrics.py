"""Event scores: triggers, arguments (plain and attached; exact, overlap, coref), attributes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from scoring_helpers import counts, entity, event, find, gold_doc, labels, mention, pred_doc, score

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Document, Event
from newsbench.problems import NewsbenchError

TEXT = "Acme attacked Springfield on Monday, and its troops later hit Shelbyville. The company said it won."
ATTACK = "Conflict.Attack"

MENTIONS = (
    mention(TEXT, "acme", find(TEXT, "Acme"), "ORG"),
    mention(TEXT, "springfield", find(TEXT, "Springfield"), "GPE"),
    mention(TEXT, "monday", find(TEXT, "Monday"), "TIME"),
    mention(TEXT, "troops", find(TEXT, "its troops"), "PER", "NOM"),
    mention(TEXT, "shelbyville", find(TEXT, "Shelbyville"), "GPE"),
    mention(TEXT, "company", find(TEXT, "The company"), "ORG", "NOM"),
    mention(TEXT, "it", (find(TEXT, "it won")[0], find(TEXT, "it won")[0] + 2), "ORG", "PRO"),
)
ATTACKED = find(TEXT, "attacked")
HIT = find(TEXT, "hit")


def _gold_events(**attrs: str) -> tuple[Event, ...]:
    return (
        event(
            TEXT,
            "ev1",
            ATTACK,
            ATTACKED,
            [("Attacker", "acme"), ("Target", "springfield"), ("Time", "monday")],
            **attrs,
        ),
        event(TEXT, "ev2", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")]),
    )


GOLD = gold_doc(
    TEXT, mentions=MENTIONS, entities=(entity("e1", "ORG", "acme", "company", "it"),), events=_gold_events()
)

ALL = (
    "trigger_identification",
    "trigger_classification",
    "argument_identification",
    "argument_classification",
    "argument_identification_attached",
    "argument_classification_attached",
)


def _score(
    events: tuple[Event, ...], mentions: Any = MENTIONS, gold: Document = GOLD, **options: object
) -> DocResult:
    return score(gold, pred_doc(gold, mentions=mentions, events=events), tasks=("events",), **options)


def _tp(result: DocResult) -> tuple[float, ...]:
    return tuple(counts(result, "events", metric).tp for metric in ALL)


def test_perfect_prediction() -> None:
    result = _score(_gold_events())
    assert _tp(result) == (2, 2, 5, 5, 5, 5)
    assert all(counts(result, "events", m).f1 == 1.0 for m in ALL)


@pytest.mark.parametrize(
    ("case", "first_event", "tps"),
    [
        ("wrong trigger type", ("Life.Die", ATTACKED), (2, 1, 2, 2, 2, 2)),
        # the arguments still count in the plain variants (event type and span), not in the attached ones
        ("wrong trigger span", (ATTACK, find(TEXT, "attack")), (1, 1, 5, 5, 2, 2)),
    ],
)
def test_arguments_need_their_trigger_only_in_the_attached_variants(
    case: str, first_event: tuple[str, tuple[int, int]], tps: tuple[int, ...]
) -> None:
    type_, trigger = first_event
    gold_first = GOLD.events[0]
    args = [(a.role, a.mention) for a in gold_first.arguments]
    result = _score((event(TEXT, "p1", type_, trigger, args), GOLD.events[1]))
    assert _tp(result) == tps


def test_a_wrong_role_is_identified_but_not_classified() -> None:
    swapped = event(
        TEXT, "p1", ATTACK, ATTACKED, [("Target", "acme"), ("Attacker", "springfield"), ("Time", "monday")]
    )
    result = _score((swapped, GOLD.events[1]))
    assert _tp(result) == (2, 2, 5, 3, 5, 3)
    assert labels(result, "events", "argument_classification")["Attacker"] == Counts(tp=1.0, pos=2, act=2)


PRED_MENTIONS = (
    *MENTIONS,
    mention(TEXT, "acme-attacked", find(TEXT, "Acme attacked"), "ORG"),
    mention(TEXT, "the-company", find(TEXT, "The company"), "ORG", "NOM"),  # same span as gold "company"
    mention(TEXT, "acme-text", find(TEXT, "Acme"), "ORG"),
)


@pytest.mark.parametrize(
    ("attacker", "match", "correct"),
    [
        ("acme-text", "exact", True),
        ("acme-attacked", "exact", False),
        ("acme-attacked", "overlap", True),
        ("the-company", "overlap", False),
        ("the-company", "coref", True),  # a mention of the gold argument's entity
        ("acme-attacked", "coref", False),  # its span is no gold mention's
        ("acme-text", "coref", True),
    ],
)
def test_argument_matching_modes(attacker: str, match: str, correct: bool) -> None:
    pred = event(TEXT, "p1", ATTACK, ATTACKED, [("Attacker", attacker)])
    result = _score((pred,), mentions=PRED_MENTIONS, argument_match=match)
    assert counts(result, "events", "argument_classification") == Counts(tp=float(correct), pos=5, act=1)


def test_coref_matching_of_an_argument_without_entity_needs_its_span() -> None:
    pred = event(TEXT, "p1", ATTACK, HIT, [("Target", "shelbyville")])
    assert counts(_score((pred,), argument_match="coref"), "events", "argument_classification").tp == 1.0


def test_overlap_threshold_applies_to_arguments() -> None:
    pred = event(TEXT, "p1", ATTACK, HIT, [("Attacker", "troops-part")])
    part = (
        *MENTIONS,
        mention(TEXT, "troops-part", find(TEXT, "troops"), "PER", "NOM"),
    )  # 6 of 10 code points
    loose = _score((pred,), mentions=part, argument_match="overlap", overlap=0.5)
    strict = _score((pred,), mentions=part, argument_match="overlap", overlap=0.7)
    assert counts(loose, "events", "argument_identification").tp == 1.0
    assert counts(strict, "events", "argument_identification").tp == 0.0


def test_duplicate_predicted_triggers_are_matched_once() -> None:
    twice = (event(TEXT, "p1", ATTACK, HIT), event(TEXT, "p2", ATTACK, HIT))
    result = _score(twice)
    assert counts(result, "events", "trigger_classification") == Counts(tp=1.0, pos=2, act=2)
    assert labels(result, "events", "trigger_classification") == {ATTACK: Counts(tp=1.0, pos=2, act=2)}


def test_spurious_items_count_under_their_predicted_labels() -> None:
    spurious = event(TEXT, "p1", "Life.Die", find(TEXT, "won"), [("Victim", "company")])
    result = _score((spurious,))
    assert labels(result, "events", "trigger_identification") == {
        ATTACK: Counts(pos=2),
        "Life.Die": Counts(act=1),
    }
    assert labels(result, "events", "argument_classification")["Victim"] == Counts(act=1)
    assert labels(result, "events", "argument_identification")["Life.Die"] == Counts(act=1)


def test_attributes_are_judged_on_identified_triggers_where_gold_has_them() -> None:
    gold = gold_doc(TEXT, mentions=MENTIONS, events=_gold_events(polarity="positive", tense="past"))
    pred = (event(TEXT, "p1", "Life.Die", ATTACKED, polarity="negative", tense="past", modality="asserted"),)
    result = _score(pred, gold=gold)
    assert counts(result, "events", "attribute_polarity") == Counts(tp=0.0, pos=1, act=1)
    assert counts(result, "events", "attribute_tense") == Counts(tp=1.0, pos=1, act=1)
    assert counts(result, "events", "attribute_modality") == Counts()  # gold has no modality: not judged
    assert labels(result, "events", "attribute_polarity") == {"positive": Counts(tp=0.0, pos=1, act=1)}
    [error] = [e for e in result.errors if e.metric == "attribute_polarity"]
    assert (error.kind, error.reason) == ("INC", "polarity: gold positive, predicted negative")


def test_ignore_regions_drop_events_on_both_sides() -> None:
    gold = gold_doc(
        TEXT, ignore=[find(TEXT, "later hit Shelbyville.")], mentions=MENTIONS, events=_gold_events()
    )
    extra = event(TEXT, "p9", ATTACK, find(TEXT, "later"))
    result = _score((*_gold_events()[:1], extra), gold=gold)
    assert counts(result, "events", "trigger_classification") == Counts(tp=1.0, pos=1, act=1)
    assert counts(result, "events", "argument_classification") == Counts(tp=3.0, pos=3, act=3)


def test_empty_prediction_misses_everything() -> None:
    result = score(GOLD, GOLD.blank(), tasks=("events",))
    assert [counts(result, "events", m) for m in ALL] == [Counts(pos=2)] * 2 + [Counts(pos=5)] * 4
    assert {e.kind for e in result.errors} == {"FN"}
    per_metric = Counter(e.metric for e in result.errors)
    assert per_metric == {metric: 2 if metric.startswith("trigger") else 5 for metric in ALL}


def test_trigger_error_says_when_only_the_type_was_wrong() -> None:
    result = _score((event(TEXT, "p1", "Life.Die", ATTACKED), GOLD.events[1]))
    wrong = [e for e in result.errors if e.metric == "trigger_classification"]
    # One error, not a miss plus a false alarm: the type confusion, with both triggers.
    assert [(e.kind, e.cause, e.layer) for e in wrong] == [("INC", "type", "triggers")]
    assert wrong[0].reason == "type differs: gold Conflict.Attack, predicted Life.Die"
    assert wrong[0].gold is not None and wrong[0].pred is not None
    assert (wrong[0].gold["type"], wrong[0].pred["type"]) == ("Conflict.Attack", "Life.Die")


def test_an_argument_error_between_events_of_one_type_names_the_role() -> None:
    # The predicted Attack gives Acme the role Target: the events agree on their type, so the argument's
    # error in the role metrics is its role, one error with both arguments, not a miss and a false alarm.
    wrong_role = event(
        TEXT, "p1", ATTACK, ATTACKED, [("Target", "acme"), ("Target", "springfield"), ("Time", "monday")]
    )
    result = _score((wrong_role, GOLD.events[1]))
    for metric in ("argument_classification", "argument_classification_attached"):
        wrong = [e for e in result.errors if e.metric == metric]
        assert [(e.kind, e.cause, e.reason) for e in wrong] == [
            ("INC", "role", "role differs: gold Attacker, predicted Target")
        ]
    assert not [e for e in result.errors if e.metric.startswith("argument_identification")]


def test_among_equal_arguments_the_one_closest_to_the_gold_span_is_matched() -> None:
    # Two predicted Targets of the right event both overlap the gold "Springfield"; listed first is the
    # wider "attacked Springfield". The exact one is matched and the wider one is the false alarm.
    wide = mention(TEXT, "wide", find(TEXT, "attacked Springfield"), "GPE")
    args = [("Attacker", "acme"), ("Target", "wide"), ("Target", "springfield"), ("Time", "monday")]
    predicted = (event(TEXT, "p1", ATTACK, ATTACKED, args), GOLD.events[1])
    result = _score(predicted, (*MENTIONS, wide), argument_match="overlap")
    false_alarms = {(e.metric, e.pred["id"]) for e in result.errors if e.kind == "FP" and e.pred}
    assert false_alarms == {(metric, "wide") for metric in ALL if metric.startswith("argument")}
    assert not [e for e in result.errors if e.kind != "FP"]


def test_among_equal_arguments_the_one_in_the_gold_role_is_matched() -> None:
    # The predicted Attack names Acme twice, as Target (listed first) and as Attacker: argument
    # identification, which ignores roles, still pairs the gold Attacker with the Attacker.
    args = [("Target", "acme"), ("Attacker", "acme"), ("Target", "springfield"), ("Time", "monday")]
    result = _score((event(TEXT, "p1", ATTACK, ATTACKED, args), GOLD.events[1]))
    false_alarms = {(e.metric, e.pred["role"]) for e in result.errors if e.kind == "FP" and e.pred}
    assert false_alarms == {(metric, "Target") for metric in ALL if metric.startswith("argument")}


def test_an_argument_of_an_unpaired_event_of_the_right_type_is_wrong_by_its_role_or_its_event() -> None:
    # The second Attack is predicted on "later", so trigger classification pairs it with no gold event, and
    # it makes the troops a Target: in argument classification the error is the role, in the attached
    # variants the event.
    later = find(TEXT, "later")
    moved = event(TEXT, "p2", ATTACK, later, [("Target", "troops"), ("Target", "shelbyville")])
    result = _score((GOLD.events[0], moved))
    troops = {
        (e.metric, e.kind, e.cause)
        for e in result.errors
        if e.metric.startswith("argument") and e.gold and e.gold["id"] == "troops"
    }
    assert troops == {
        ("argument_classification", "INC", "role"),
        ("argument_identification_attached", "INC", "event"),
        ("argument_classification_attached", "INC", "event"),
    }


def test_among_equal_arguments_the_one_of_the_paired_event_is_matched() -> None:
    # Both predicted Attacks name the troops as Attacker; only p2 is on the gold event's trigger. Argument
    # identification accepts either (same event type) and pairs the gold argument with p2's.
    first = event(TEXT, "p1", ATTACK, ATTACKED, [("Attacker", "troops")])
    second = event(TEXT, "p2", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")])
    result = _score((first, second))
    false_alarms = {
        (e.metric, e.pred["event"]["id"])
        for e in result.errors
        if e.kind == "FP" and e.pred and "event" in e.pred
    }
    assert false_alarms == {(metric, "p1") for metric in ALL if metric.startswith("argument")}


def test_among_equal_arguments_the_paired_event_comes_before_the_role_and_the_span() -> None:
    # The gold troops are the Attacker of the Attack on "hit". p1 (on "attacked", paired with the other
    # gold Attack) names exactly them as Attacker; p2 (on "hit") names "troops later" as Target. Argument
    # identification, which ignores roles, pairs the gold argument with p2's: its event is the paired one.
    troops_later = mention(TEXT, "troops_later", find(TEXT, "troops later"), "PER", "NOM")
    first = event(TEXT, "p1", ATTACK, ATTACKED, [("Attacker", "troops")])
    second = event(TEXT, "p2", ATTACK, HIT, [("Target", "troops_later"), ("Target", "shelbyville")])
    result = _score((first, second), (*MENTIONS, troops_later), argument_match="overlap", overlap=0.5)
    matched = {
        e.pred["id"]
        for e in result.errors
        if e.metric == "argument_identification" and e.kind == "FP" and e.pred
    }
    assert matched == {"troops"}


def test_an_argument_naming_a_missing_mention_is_reported() -> None:
    bad = event(TEXT, "p1", ATTACK, HIT, [("Attacker", "nobody")])
    with pytest.raises(
        NewsbenchError, match=r"document d1: \$\.events\[0\]\.arguments\[0\]\.mention: no mention"
    ):
        _score((bad,))


def test_two_gold_events_on_one_trigger_pair_by_their_arguments() -> None:
    gold_events = (
        event(TEXT, "g1", ATTACK, HIT, [("Attacker", "troops")]),
        event(TEXT, "g2", ATTACK, HIT, [("Target", "shelbyville")]),
    )
    gold = gold_doc(TEXT, mentions=MENTIONS, events=gold_events)
    result = _score((event(TEXT, "p1", ATTACK, HIT, [("Target", "shelbyville")]),), gold=gold)
    assert counts(result, "events", "argument_classification_attached") == Counts(tp=1.0, pos=2, act=1)


def test_the_types_option_keeps_only_events_of_those_types_on_both_sides() -> None:
    die = event(TEXT, "p3", "Life.Die", find(TEXT, "won"))
    predicted = (*GOLD.events, die)
    kept = _score(predicted, types=(ATTACK,))
    assert counts(kept, "events", "trigger_classification") == Counts(2, 2, 2)
    assert counts(kept, "events", "argument_classification") == Counts(5, 5, 5)
    other = _score(predicted, types=("Life.Die",))
    assert counts(other, "events", "trigger_classification") == Counts(0, 0, 1)
    assert counts(other, "events", "argument_classification") == Counts()


def test_trigger_identification_prefers_the_gold_event_of_the_predicted_type_to_one_sharing_more_arguments() -> (
    None
):
    # Two gold events on "hit": a Life.Die sharing the predicted event's only argument (all of its
    # arguments agree) and an Attack sharing one of its two. The event type weighs as much as a full
    # agreement of arguments and half an agreement is added to it, so the Attack is the trigger's pair.
    die = event(TEXT, "g1", "Life.Die", HIT, [("Time", "monday")])
    attack = event(TEXT, "g2", ATTACK, HIT, [("Time", "monday"), ("Attacker", "troops")])
    gold = gold_doc(TEXT, mentions=MENTIONS, events=(die, attack))
    result = _score((event(TEXT, "p", ATTACK, HIT, [("Time", "monday")]),), gold=gold)
    by_type = labels(result, "events", "trigger_identification")
    assert (by_type[ATTACK].tp, by_type["Life.Die"].tp) == (1, 0)


def test_a_trigger_shared_by_two_gold_events_goes_to_the_one_sharing_more_of_its_arguments() -> None:
    # Both gold Attacks are on "hit"; g1 shares one of the prediction's two arguments, g2 both. The
    # attached argument scores follow the trigger pairing, so they find both arguments.
    g1 = event(TEXT, "g1", ATTACK, HIT, [("Attacker", "troops"), ("Target", "springfield")])
    g2 = event(TEXT, "g2", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")])
    gold = gold_doc(TEXT, mentions=MENTIONS, events=(g1, g2))
    predicted = event(TEXT, "p", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")])
    result = _score((predicted,), gold=gold)
    assert counts(result, "events", "argument_classification_attached") == Counts(2, 4, 2)


def test_a_trigger_shared_by_two_gold_events_goes_to_the_one_whose_arguments_all_agree() -> None:
    # "a" has the predicted Attacker and a Target besides; "b" has only the Attacker. Both share one
    # argument, but all of b's agree, so b is the trigger's pair and a is the missed event.
    a = event(TEXT, "a", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")])
    b = event(TEXT, "b", ATTACK, HIT, [("Attacker", "troops")])
    gold = gold_doc(TEXT, mentions=MENTIONS, events=(a, b))
    result = _score((event(TEXT, "p", ATTACK, HIT, [("Attacker", "troops")]),), gold=gold)
    missed = [(e.metric, e.gold["id"]) for e in result.errors if e.metric.startswith("trigger") and e.gold]
    assert missed == [("trigger_identification", "a"), ("trigger_classification", "a")]


def test_a_trigger_shared_by_two_gold_events_goes_to_the_one_sharing_any_argument() -> None:
    a = event(TEXT, "a", ATTACK, HIT, [("Target", "springfield")])
    b = event(TEXT, "b", ATTACK, HIT, [("Attacker", "troops"), ("Target", "shelbyville")])
    gold = gold_doc(TEXT, mentions=MENTIONS, events=(a, b))
    result = _score((event(TEXT, "p", ATTACK, HIT, [("Attacker", "troops")]),), gold=gold)
    missed = [(e.metric, e.gold["id"]) for e in result.errors if e.metric.startswith("trigger") and e.gold]
    assert missed == [("trigger_identification", "a"), ("trigger_classification", "a")]
