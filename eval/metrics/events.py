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

from collections.abc import Callable, Collection, Sequence
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, NoReturn

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
from newsbench.eval.metrics.tally import Matched, Near, Sheet, add_judgement, tally_matching
from newsbench.model import Argument, Document, Event, Mention
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
    """An argument in scope, as its error records describe it."""

    event: int
    owner: Event
    role: str
    mention: Mention
    offsets: Offsets


class _Arguments:
    """One side's arguments in scope, in a canonical order (by event, role, spans, mention id), as columns.

    Matching reads the same few fields of every argument many times over (its event, role, event type and
    spans), so each is one list, indexed like the arguments; the :class:`_Arg` tuples that error records
    describe are made only when a sheet asks for them.
    """

    def __init__(self, doc: Document, events: Sequence[Event]) -> None:
        rows = _argument_rows(doc, events)
        self.events: Sequence[int] = ()
        self.roles: Sequence[str] = ()
        self.offsets: Sequence[Offsets] = ()
        self.mentions: Sequence[Mention] = ()
        self._owners: Sequence[Event] = ()
        if rows:
            self.events, self.roles, self.offsets, _, self.mentions, self._owners = zip(*rows, strict=True)
        self.types = [events[i].type for i in self.events]
        """Each argument's event type."""

    def __len__(self) -> int:
        return len(self.events)

    @cached_property
    def items(self) -> list[_Arg]:
        """The arguments as error records describe them."""
        return [
            _Arg(event, owner, role, mention, where)
            for event, owner, role, mention, where in zip(
                self.events, self._owners, self.roles, self.mentions, self.offsets, strict=True
            )
        ]


def score_events(
    gold: Document, pred: Document, options: ScoreOptions, result: DocResult, collect_errors: bool
) -> None:
    sheet = Sheet(result, TASK, collect_errors)
    ignore = IgnoreRegions(gold.ignore)
    types = task_types(options.types, TASK)
    golds = _scored_events(gold, ignore, types)
    preds = _scored_events(pred, ignore, types)
    gold_args = _Arguments(gold, golds)
    pred_args = _Arguments(pred, preds)
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
    candidates = _argument_candidates(gold, gold_args, pred_args, options) if gold_args and pred_args else []
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
        _score_arguments(gold_args, pred_args, candidates, set(classified), sheet)
    sheet.close()


def _score_arguments(
    gold_args: _Arguments,
    pred_args: _Arguments,
    candidates: Collection[Pair],
    attached: set[Pair],
    sheet: Sheet,
) -> None:
    """The four argument metrics, each matching the ``candidates`` (arguments whose mentions match) that
    pass its test: the same event type, then also the same role, or the same paired events (``attached``,
    which implies the same type), then also the same role.

    The metrics share one weighting, so metrics whose candidates pass alike share one matching: in most
    documents every candidate passes every test."""
    gold_events, pred_events = gold_args.events, pred_args.events
    gold_roles, pred_roles = gold_args.roles, pred_args.roles
    gold_types, pred_types = gold_args.types, pred_args.types
    identification = [(g, p) for g, p in candidates if gold_types[g] == pred_types[p]]
    on_attached = [(g, p) for g, p in identification if (gold_events[g], pred_events[p]) in attached]
    passed = {
        "argument_identification": identification,
        "argument_classification": [(g, p) for g, p in identification if gold_roles[g] == pred_roles[p]],
        "argument_identification_attached": on_attached,
        "argument_classification_attached": [
            (g, p) for g, p in on_attached if gold_roles[g] == pred_roles[p]
        ],
    }

    def argument_weight(pair: Pair) -> Weight:
        return 1.0, _argument_tiebreak(gold_args, pred_args, pair, attached)

    labels = {False: (gold_types, pred_types), True: (gold_roles, pred_roles)}
    partners: dict[int, list[int]] = {}
    for g, p in sorted(candidates) if sheet.errors_on else ():
        partners.setdefault(g, []).append(p)
    # The pairs of each list come in the candidates' order, so equal sets of pairs are equal tuples.
    matchings: dict[tuple[Pair, ...], list[Pair]] = {}
    how = _arg_json(sheet)
    tallies: dict[tuple[bool, tuple[Pair, ...]], Matched] = {}
    for metric, pairs in passed.items():
        by_role = metric.startswith("argument_classification")
        key = tuple(pairs)
        matched = tallies.get((by_role, key))
        if matched is None:
            matching = matchings.get(key)
            if matching is None:
                matching = matchings[key] = optimal_matching(pairs, argument_weight)
            matched = tallies[by_role, key] = tally_matching(matching, *labels[by_role], sheet.errors_on)
        sheet.count_rows(metric, matched.rows)
        if sheet.errors_on:
            near = _Near(metric, gold_args, pred_args, partners, attached)
            _argument_errors(metric, matched, gold_args, pred_args, sheet, near, how)


class _Near:
    """Why a gold and a predicted argument whose mentions match fail one metric: their events' types
    differ, their events are not paired (the attached metrics) or their roles differ (the classification
    metrics); ``None`` when none of these explains it. ``partners`` lists, per gold argument, the
    predicted arguments whose mentions match it, in order."""

    def __init__(
        self,
        metric: str,
        gold_args: _Arguments,
        pred_args: _Arguments,
        partners: dict[int, list[int]],
        attached: set[Pair],
    ) -> None:
        self.metric = metric
        self.gold_args = gold_args
        self.pred_args = pred_args
        self.attached = attached
        self.partners = partners

    def __call__(self, g: int, p: int) -> str | None:
        gold, pred = self.gold_args, self.pred_args
        if gold.types[g] != pred.types[p]:
            return "event type"
        if self.metric.endswith("_attached") and (gold.events[g], pred.events[p]) not in self.attached:
            return "event"
        if self.metric.startswith("argument_classification") and gold.roles[g] != pred.roles[p]:
            return "role"
        return None


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
        gold_args: _Arguments,
        pred_args: _Arguments,
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


ArgumentRow = tuple[int, str, Offsets, str, Mention, Event]
"""An argument as :func:`_argument_rows` lists it: event index, role, spans, mention id, mention, event."""


def _argument_rows(doc: Document, events: Sequence[Event]) -> list[ArgumentRow]:
    """The arguments of ``events`` (their indices there), sorted by event, role, spans and mention id."""
    if not any(event.arguments for event in events):
        return []
    mentions = doc.mention_index()
    out: list[ArgumentRow] = []
    for i, event in enumerate(events):
        for arg in event.arguments:
            mention = mentions.get(arg.mention)
            if mention is None:
                _no_mention(doc, event, arg)
            spans = mention.spans
            # offsets(spans), inlined for the one-span mention, which is nearly every argument
            where = ((spans[0].start, spans[0].end),) if len(spans) == 1 else offsets(spans)
            out.append((i, arg.role, where, arg.mention, mention, event))
    out.sort(key=_ARGUMENT_ORDER)
    return out


def _no_mention(doc: Document, event: Event, arg: Argument) -> NoReturn:
    j = event.arguments.index(arg)
    path = f"$.events[{doc.events.index(event)}].arguments[{j}].mention"
    raise NewsbenchError([Problem("-", doc.id, path, f"no mention with id {arg.mention!r}")])


_ARGUMENT_ORDER = itemgetter(0, 1, 2, 3)
"""Event, role, spans, mention id: never the mention or event themselves, which have no order."""


def _argument_candidates(
    gold: Document, gold_args: _Arguments, pred_args: _Arguments, options: ScoreOptions
) -> Collection[Pair]:
    """Argument pairs whose mentions match per ``options.argument_match``, whatever their events and roles."""
    if options.argument_match == "overlap":
        found = overlapping_pairs(gold_args.offsets, pred_args.offsets, options.overlap)
        return [(g, p) for g, p, _ in found]
    if options.argument_match == "coref":
        referents = Referents(gold)
        return keyed_pairs(
            [[referents.of_gold(m.id)] for m in gold_args.mentions],
            [referents.of_pred(m) for m in pred_args.mentions],
        )
    return exact_pairs(gold_args.offsets, pred_args.offsets)


def _argument_tiebreak(
    gold_args: _Arguments, pred_args: _Arguments, pair: Pair, attached: set[Pair]
) -> float:
    """Among equally good pairings, prefer the argument of the paired event, in the same role, closest in
    span."""
    g, p = pair
    same_event = (gold_args.events[g], pred_args.events[p]) in attached
    same_role = gold_args.roles[g] == pred_args.roles[p]
    return same_event * 0.5 + same_role * 0.25 + dice(gold_args.offsets[g], pred_args.offsets[p]) * 0.25


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


def _argument_errors(
    metric: str,
    matched: Matched,
    gold_args: _Arguments,
    pred_args: _Arguments,
    sheet: Sheet,
    near: _Near,
    how: Callable[[_Arg], dict[str, Any]],
) -> None:
    """The error records of one argument metric, from its tallied matching. ``near(g, p)`` is why a missed
    gold and a spurious predicted argument whose mentions match were not paired by this metric (``None``
    when their mentions do not match): the two are then one error, listed once with that cause."""

    def paired(g: int, left: set[int]) -> Near | None:
        for p in near.partners.get(g, ()):
            if p in left:
                cause = near(g, p)
                if cause:
                    return p, _near_reason(cause, gold_args, pred_args, g, p), cause
        return None

    sheet.unmatched(
        metric,
        matched.missed,
        matched.spurious,
        (gold_args.items, pred_args.items),
        how,
        _arg_key,
        layer="arguments",
        reasons=("no predicted argument was matched to it", "it was matched to no gold argument"),
        near=paired,
    )


def _near_reason(cause: str, gold_args: _Arguments, pred_args: _Arguments, g: int, p: int) -> str:
    """The reason of an error of ``cause`` (from :class:`_Near`) about gold argument ``g`` and predicted
    argument ``p``."""
    if cause == "event type":
        return f"event type differs: gold {gold_args.types[g]}, predicted {pred_args.types[p]}"
    if cause == "event":
        return "its event is not the gold argument's event (triggers not matched)"
    return f"role differs: gold {gold_args.roles[g]}, predicted {pred_args.roles[p]}"


def _arg_json(sheet: Sheet) -> Callable[[_Arg], dict[str, Any]]:
    """How the sheet's error records show an argument: its mention, role and event. The event is shown as
    the trigger errors show it, through :meth:`Sheet.describe`, so each event is described once per
    document however many of its arguments are wrong."""

    def describe(arg: _Arg) -> dict[str, Any]:
        return {**mention_json(arg.mention), "role": arg.role, "event": sheet.describe(arg.owner, event_json)}

    return describe


def _arg_key(arg: _Arg) -> ItemKey:
    """The merge key of an argument described by :func:`_arg_json`."""
    return arg.mention.id, arg.role, arg.owner.id
