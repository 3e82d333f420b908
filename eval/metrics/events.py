"""Event scores in the ACE / TextEE conventions: triggers, arguments and attributes.

- ``trigger_identification``: a predicted trigger is correct when its span equals a gold trigger's span;
  ``trigger_classification`` also needs the same event type. Triggers are matched on exact spans, one-to-one;
  identification prefers pairs of the same type, so its pairs include classification's.
- ``argument_identification``: a predicted argument is correct when it matches a gold argument of an event of
  the same type; ``argument_classification`` also needs the same role. The ``_attached`` variants instead
  need the argument's event to be paired with the gold argument's event by trigger classification (same
  trigger span and type), TextEE's stricter reading.
- An argument mention matches per ``options.argument_match``: ``exact`` (same spans), ``overlap`` (sharing at
  least ``options.overlap`` of the gold mention's code points, at least one), or ``coref`` (the predicted
  mention has exactly the spans of a gold mention of the gold argument's entity, see
  :mod:`newsbench.eval.metrics.referents`).
- ``attribute_<name>``: accuracy of polarity, modality, genericity and tense over the trigger-identification
  pairs whose gold event has that attribute; a missing predicted value is wrong.

Per-label keys: triggers and argument identification by event type, argument classification by role,
attributes by gold value. A matched pair and a missed item count under the gold label, a spurious item under
the predicted label, so per-label counts add up to the totals. Events whose trigger touches the gold's
ignore regions are dropped on both sides, with their arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from newsbench.eval.metrics.confusion import span_confusion
from newsbench.eval.metrics.describe import event_json, item_key, mention_json
from newsbench.eval.metrics.match import (
    Pair,
    Weight,
    exact_pairs,
    keyed_pairs,
    optimal_matching,
    overlapping_pairs,
)
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.referents import Referents
from newsbench.eval.metrics.results import DocResult, ItemKey
from newsbench.eval.metrics.scope import IgnoreRegions, task_types
from newsbench.eval.metrics.tally import Near, Sheet
from newsbench.model import Document, Event, Mention
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Offsets, dice, offsets

TASK = "events"
TRIGGER_METRICS = ("trigger_identification", "trigger_classification")
ARGUMENT_METRICS = (
    "argument_identification",
    "argument_classification",
    "argument_identification_attached",
    "argument_classification_attached",
)
ATTRIBUTE_METRICS = tuple(f"attribute_{name}" for name in Event.ATTRIBUTES)
METRICS = TRIGGER_METRICS + ARGUMENT_METRICS + ATTRIBUTE_METRICS


class _Arg(NamedTuple):
    """An argument in scope (a named tuple: one is made per argument of every event, both sides)."""

    event: int
    owner: Event
    role: str
    mention: Mention
    offsets: Offsets


def score_events(
    gold: Document, pred: Document, options: ScoreOptions, result: DocResult, collect_errors: bool
) -> None:
    sheet = Sheet(result, TASK, collect_errors)
    ignore = IgnoreRegions(gold.ignore)
    types = task_types(options.types, TASK)
    golds = _scored_events(gold, ignore, types)
    preds = _scored_events(pred, ignore, types)
    gold_args = _arguments(gold, golds)
    pred_args = _arguments(pred, preds)
    candidates = _argument_candidates(gold, gold_args, pred_args, options)
    agreement = _agreement(golds, preds, gold_args, pred_args, candidates)

    same_span = exact_pairs(
        [(e.trigger.start, e.trigger.end) for e in golds], [(e.trigger.start, e.trigger.end) for e in preds]
    )

    def identification_weight(pair: Pair) -> Weight:
        g, p = pair
        return 1.0, (golds[g].type == preds[p].type) * 0.5 + agreement.get(pair, 0.0) * 0.5

    identified = optimal_matching(same_span, identification_weight)
    classified = optimal_matching(
        [(g, p) for g, p in same_span if golds[g].type == preds[p].type],
        lambda pair: (1.0, agreement.get(pair, 0.0)),
    )
    _count_triggers("trigger_identification", golds, preds, identified, identified, sheet)
    _count_triggers("trigger_classification", golds, preds, classified, identified, sheet)
    _count_attributes(golds, preds, identified, sheet)

    attached = set(classified)
    tests: dict[str, Callable[[_Arg, _Arg], bool]] = {
        "argument_identification": lambda g, p: golds[g.event].type == preds[p.event].type,
        "argument_classification": lambda g, p: (
            golds[g.event].type == preds[p.event].type and g.role == p.role
        ),
        "argument_identification_attached": lambda g, p: (g.event, p.event) in attached,
        "argument_classification_attached": lambda g, p: (g.event, p.event) in attached and g.role == p.role,
    }

    def argument_weight(pair: Pair) -> Weight:
        return 1.0, _argument_tiebreak(gold_args[pair[0]], pred_args[pair[1]], attached)

    labels = {
        False: ([golds[a.event].type for a in gold_args], [preds[a.event].type for a in pred_args]),
        True: ([a.role for a in gold_args], [a.role for a in pred_args]),
    }
    partners: dict[int, list[int]] = {}
    for g, p in sorted(candidates) if collect_errors else ():
        partners.setdefault(g, []).append(p)
    for metric, test in tests.items():
        passed = [(g, p) for g, p in candidates if test(gold_args[g], pred_args[p])]
        by_role = metric.startswith("argument_classification")
        near = _Near(metric, gold_args, pred_args, partners, attached)
        matching = optimal_matching(passed, argument_weight)
        _count_arguments(metric, labels[by_role], gold_args, pred_args, matching, sheet, near)
    sheet.close()
    result.confusion[TASK] = span_confusion(
        ((_trigger(e), e.type) for e in golds), ((_trigger(e), e.type) for e in preds)
    )


class _Near:
    """Why a gold and a predicted argument whose mentions match fail one metric: their events' types
    differ, their events are not paired (the attached metrics) or their roles differ (the classification
    metrics); ``None`` when none of these explains it. ``partners`` lists, per gold argument, the
    predicted arguments whose mentions match it, in order."""

    def __init__(
        self,
        metric: str,
        gold_args: Sequence[_Arg],
        pred_args: Sequence[_Arg],
        partners: dict[int, list[int]],
        attached: set[Pair],
    ) -> None:
        self.metric = metric
        self.gold_args = gold_args
        self.pred_args = pred_args
        self.attached = attached
        self.partners = partners

    def __call__(self, g: int, p: int) -> str | None:
        gold, pred = self.gold_args[g], self.pred_args[p]
        if gold.owner.type != pred.owner.type:
            return "event type"
        if self.metric.endswith("_attached") and (gold.event, pred.event) not in self.attached:
            return "event"
        if self.metric.startswith("argument_classification") and gold.role != pred.role:
            return "role"
        return None


def _agreement(
    golds: Sequence[Event],
    preds: Sequence[Event],
    gold_args: Sequence[_Arg],
    pred_args: Sequence[_Arg],
    candidates: set[Pair],
) -> dict[Pair, float]:
    """For event pairs, the share of their arguments that match in the same role, in ``[0, 1]``.

    It breaks ties between triggers with the same span (two gold events on one word), so the attached
    argument scores pair each predicted event with the gold event whose arguments it found.
    """
    shared_args: dict[Pair, int] = {}
    for g, p in candidates:
        if gold_args[g].role == pred_args[p].role:
            key = gold_args[g].event, pred_args[p].event
            shared_args[key] = shared_args.get(key, 0) + 1
    return {
        (g, p): min(1.0, n / max(len(golds[g].arguments), len(preds[p].arguments), 1))
        for (g, p), n in shared_args.items()
    }


def _scored_events(doc: Document, ignore: IgnoreRegions, types: frozenset[str] | None) -> list[Event]:
    """Events in scope (and of the types kept), in a canonical order so matching ignores list order."""
    kept = [e for e in doc.events if not ignore.covers(_trigger(e)) and (types is None or e.type in types)]
    return sorted(kept, key=lambda e: (_trigger(e), e.type, e.id))


def _trigger(e: Event) -> Offsets:
    return ((e.trigger.start, e.trigger.end),)


def _arguments(doc: Document, events: Sequence[Event]) -> list[_Arg]:
    mentions = doc.mention_index()
    out = []
    for i, event in enumerate(events):
        for j, arg in enumerate(event.arguments):
            if arg.mention not in mentions:
                path = f"$.events[{doc.events.index(event)}].arguments[{j}].mention"
                raise NewsbenchError([Problem("-", doc.id, path, f"no mention with id {arg.mention!r}")])
            mention = mentions[arg.mention]
            out.append(_Arg(i, event, arg.role, mention, offsets(mention.spans)))
    return sorted(out, key=lambda a: (a.event, a.role, a.offsets, a.mention.id))


def _argument_candidates(
    gold: Document, gold_args: Sequence[_Arg], pred_args: Sequence[_Arg], options: ScoreOptions
) -> set[Pair]:
    """Argument pairs whose mentions match per ``options.argument_match``, whatever their events and roles."""
    if options.argument_match == "overlap":
        found = overlapping_pairs(
            [a.offsets for a in gold_args], [a.offsets for a in pred_args], options.overlap
        )
        return {(g, p) for g, p, _ in found}
    if options.argument_match == "coref":
        referents = Referents(gold)
        return keyed_pairs(
            [[referents.of_gold(a.mention.id)] for a in gold_args],
            [referents.of_pred(a.mention) for a in pred_args],
        )
    return exact_pairs([a.offsets for a in gold_args], [a.offsets for a in pred_args])


def _argument_tiebreak(g: _Arg, p: _Arg, attached: set[Pair]) -> float:
    """Among equally good pairings, prefer the argument of the paired event, in the same role, closest in
    span."""
    same_event, same_role = (g.event, p.event) in attached, g.role == p.role
    return same_event * 0.5 + same_role * 0.25 + dice(g.offsets, p.offsets) * 0.25


def _count_triggers(
    metric: str,
    golds: Sequence[Event],
    preds: Sequence[Event],
    matching: Sequence[Pair],
    identified: Sequence[Pair],
    sheet: Sheet,
) -> None:
    missed, spurious = sheet.count_matching(
        metric, matching, [e.type for e in golds], [e.type for e in preds]
    )
    if not sheet.errors_on:
        return
    partner = dict(identified)

    def near(g: int, left: set[int]) -> Near | None:
        # The span is right and the type is not: one error (a type confusion), counted FN and FP.
        other = partner.get(g)
        if other is None or other not in left:
            return None
        return other, f"type differs: gold {golds[g].type}, predicted {preds[other].type}", "type"

    def missed_reason(g: int) -> str:
        other = partner.get(g)
        if other is None:
            return "no predicted trigger has its span"
        return f"its span's predicted trigger (type {preds[other].type}) went to another gold trigger"

    sheet.unmatched(
        metric,
        missed,
        spurious,
        (golds, preds),
        event_json,
        item_key,
        layer="triggers",
        reasons=(missed_reason, "it was matched to no gold trigger"),
        near=near,
    )


def _count_attributes(
    golds: Sequence[Event], preds: Sequence[Event], identified: Sequence[Pair], sheet: Sheet
) -> None:
    judged: dict[str, list[tuple[str, bool]]] = {name: [] for name in Event.ATTRIBUTES}
    for g, p in identified:
        for name in Event.ATTRIBUTES:
            expected, found = getattr(golds[g], name), getattr(preds[p], name)
            if expected is None:
                continue
            judged[name].append((expected, found == expected))
            if found != expected and sheet.errors_on:
                reason = f"{name}: gold {expected}, predicted {found}"
                sheet.error(
                    f"attribute_{name}",
                    "INC",
                    reason,
                    (golds[g], preds[p]),
                    event_json,
                    item_key,
                    layer="triggers",
                    cause=name,
                )
    for name, items in judged.items():
        sheet.count_judged(f"attribute_{name}", items)


def _count_arguments(
    metric: str,
    labels: tuple[Sequence[str], Sequence[str]],
    gold_args: Sequence[_Arg],
    pred_args: Sequence[_Arg],
    matching: Sequence[Pair],
    sheet: Sheet,
    near: _Near,
) -> None:
    """Count one argument metric; ``labels`` are the gold and predicted arguments' labels (event types, or
    roles for the classification metrics). ``near(g, p)`` is why a missed gold and a spurious predicted
    argument whose mentions match were not paired by this metric (``None`` when their mentions do not
    match): the two are then one error, listed once with that cause."""
    missed, spurious = sheet.count_matching(metric, matching, *labels)
    if not sheet.errors_on:
        return

    def paired(g: int, left: set[int]) -> Near | None:
        found = next(
            ((p, cause) for p in near.partners.get(g, ()) if p in left and (cause := near(g, p))), None
        )
        if found is None:
            return None
        p, cause = found
        gold, pred = gold_args[g], pred_args[p]
        reason = {
            "event type": f"event type differs: gold {gold.owner.type}, predicted {pred.owner.type}",
            "event": "its event is not the gold argument's event (triggers not matched)",
            "role": f"role differs: gold {gold.role}, predicted {pred.role}",
        }[cause]
        return p, reason, cause

    sheet.unmatched(
        metric,
        missed,
        spurious,
        (gold_args, pred_args),
        _arg_json,
        _arg_key,
        layer="arguments",
        reasons=("no predicted argument was matched to it", "it was matched to no gold argument"),
        near=paired,
    )


def _arg_json(arg: _Arg) -> dict[str, Any]:
    return {**mention_json(arg.mention), "role": arg.role, "event": event_json(arg.owner)}


def _arg_key(arg: _Arg) -> ItemKey:
    """The merge key of an argument described by :func:`_arg_json`."""
    return arg.mention.id, arg.role, arg.owner.id
