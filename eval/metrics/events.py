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

from collections.abc import Collection, Sequence
from operator import attrgetter

from newsbench.eval.metrics.arguments import ARGUMENT_METRICS, Arguments, argument_candidates, score_arguments
from newsbench.eval.metrics.confusion import span_confusion
from newsbench.eval.metrics.describe import event_json, item_key
from newsbench.eval.metrics.match import Pair, Weight, exact_pairs, optimal_matching
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.metrics.scope import IgnoreRegions, task_types
from newsbench.eval.metrics.tally import Matched, Near, Sheet, add_judgement, tally_matching
from newsbench.model import Document, Event
from newsbench.spans import Offsets

TASK = "events"
TRIGGER_METRICS = ("trigger_identification", "trigger_classification")
ATTRIBUTE_METRICS = tuple(f"attribute_{name}" for name in Event.ATTRIBUTES)
METRICS = TRIGGER_METRICS + ARGUMENT_METRICS + ATTRIBUTE_METRICS


def score_events(
    gold: Document, pred: Document, options: ScoreOptions, result: DocResult, collect_errors: bool
) -> None:
    sheet = Sheet(result, TASK, collect_errors)
    ignore = IgnoreRegions(gold.ignore)
    types = task_types(options.types, TASK)
    golds = _scored_events(gold, ignore, types)
    preds = _scored_events(pred, ignore, types)
    gold_args = Arguments(gold, golds)
    pred_args = Arguments(pred, preds)
    gold_types = [e.type for e in golds]
    pred_types = [e.type for e in preds]
    gold_spans = [(e.trigger.start, e.trigger.end) for e in golds]
    pred_spans = [(e.trigger.start, e.trigger.end) for e in preds]
    # The identical spans pair the confusion's items by equality alone, so plain (start, end) pairs serve.
    result.confusion[TASK] = span_confusion(
        zip(gold_spans, gold_types, strict=True), zip(pred_spans, pred_types, strict=True)
    )
    if not golds and not preds:
        sheet.close()
        return
    candidates = argument_candidates(gold, gold_args, pred_args, options) if gold_args and pred_args else []
    agreement = _Agreement(golds, preds, gold_args, pred_args, candidates)

    same_span = exact_pairs(gold_spans, pred_spans)

    def identification_weight(pair: Pair) -> Weight:
        g, p = pair
        return 1.0, (gold_types[g] == pred_types[p]) * 0.5 + agreement(pair) * 0.5

    identified = optimal_matching(same_span, identification_weight)
    classified = optimal_matching(
        [(g, p) for g, p in same_span if gold_types[g] == pred_types[p]],
        lambda pair: (1.0, agreement(pair)),
    )
    by_identification = tally_matching(identified, gold_types, pred_types, sheet.errors_on)
    # Where every identified pair has the right type, the two metrics count alike: tallied once.
    by_classification = (
        by_identification
        if classified == identified
        else tally_matching(classified, gold_types, pred_types, sheet.errors_on)
    )
    _count_triggers("trigger_identification", golds, preds, by_identification, identified, sheet)
    _count_triggers("trigger_classification", golds, preds, by_classification, identified, sheet)
    _count_attributes(golds, preds, identified, sheet)
    if gold_args or pred_args:
        score_arguments(gold_args, pred_args, candidates, set(classified), sheet)
    sheet.close()


class _Agreement:
    """For event pairs, the share of their arguments that match in the same role, in ``[0, 1]``.

    It breaks ties between triggers with the same span (two gold events on one word), so the attached
    argument scores pair each predicted event with the gold event whose arguments it found. Only pairs in
    competition are weighed, which most documents have none of, so the shares are counted on first use.
    """

    def __init__(
        self,
        golds: Sequence[Event],
        preds: Sequence[Event],
        gold_args: Arguments,
        pred_args: Arguments,
        candidates: Collection[Pair],
    ) -> None:
        self._events = golds, preds
        self._arguments = gold_args, pred_args
        self._candidates = candidates
        self._shares: dict[Pair, float] | None = None

    def __call__(self, pair: Pair) -> float:
        if self._shares is None:
            self._shares = self._count()
        return self._shares.get(pair, 0.0)

    def _count(self) -> dict[Pair, float]:
        golds, preds = self._events
        gold_args, pred_args = self._arguments
        gold_roles, pred_roles = gold_args.roles, pred_args.roles
        gold_events, pred_events = gold_args.events, pred_args.events
        shared_args: dict[Pair, int] = {}
        for g, p in self._candidates:
            if gold_roles[g] == pred_roles[p]:
                key = gold_events[g], pred_events[p]
                shared_args[key] = shared_args.get(key, 0) + 1
        return {
            (g, p): min(1.0, n / max(len(golds[g].arguments), len(preds[p].arguments), 1))
            for (g, p), n in shared_args.items()
        }


def _scored_events(doc: Document, ignore: IgnoreRegions, types: frozenset[str] | None) -> list[Event]:
    """Events in scope (and of the types kept), in a canonical order so matching ignores list order."""
    kept = [
        e
        for e in doc.events
        if (types is None or e.type in types) and not (ignore and ignore.covers(_trigger(e)))
    ]
    kept.sort(key=_event_order)
    return kept


def _event_order(e: Event) -> tuple[int, int, str, str]:
    """Trigger span, type, id: the order of ``(_trigger(e), e.type, e.id)``, as one flat tuple."""
    return e.trigger.start, e.trigger.end, e.type, e.id


def _trigger(e: Event) -> Offsets:
    return ((e.trigger.start, e.trigger.end),)


def _count_triggers(
    metric: str,
    golds: Sequence[Event],
    preds: Sequence[Event],
    matched: Matched,
    identified: Sequence[Pair],
    sheet: Sheet,
) -> None:
    """Count one trigger metric from its tallied matching, whose labels are the events' types."""
    sheet.count_rows(metric, matched.rows)
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
        matched.missed,
        matched.spurious,
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
    """Judge each attribute the gold event of an identified pair has; errors pair by pair, attribute by
    attribute."""
    rows: dict[str, dict[str, list[int]]] = {name: {} for name in Event.ATTRIBUTES}
    for g, p in identified:
        gold, pred = golds[g], preds[p]
        for name, expected, found in zip(Event.ATTRIBUTES, _attributes(gold), _attributes(pred), strict=True):
            if expected is None:
                continue
            add_judgement(rows[name], expected, found == expected)
            if found != expected and sheet.errors_on:
                reason = f"{name}: gold {expected}, predicted {found}"
                sheet.error(
                    f"attribute_{name}",
                    "INC",
                    reason,
                    (gold, pred),
                    event_json,
                    item_key,
                    layer="triggers",
                    cause=name,
                )
    for metric, judged in zip(ATTRIBUTE_METRICS, rows.values(), strict=True):
        sheet.count_rows(metric, judged)


_attributes = attrgetter(*Event.ATTRIBUTES)
"""An event's attributes, as a tuple in the order of ``Event.ATTRIBUTES``."""
