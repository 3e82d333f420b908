"""Event argument scores: the four argument metrics of :mod:`newsbench.eval.metrics.events`.

An argument is matched through its mention (per ``options.argument_match``) and then must pass its
metric's test: the same event type, also the same role, the argument's event paired with the gold
argument's event by trigger classification, or that and the same role. See the events module for the
conventions; this one holds the arguments' reading, matching, counting and errors.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from operator import itemgetter
from typing import Any, NamedTuple, NoReturn

from newsbench.eval.metrics.describe import event_json, mention_json
from newsbench.eval.metrics.lazy import lazy
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
from newsbench.eval.metrics.results import ItemKey
from newsbench.eval.metrics.tally import Matched, Near, Sheet, tally_matching
from newsbench.model import Argument, Document, Event, Mention
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Offsets, dice, offsets

ARGUMENT_METRICS = (
    "argument_identification",
    "argument_classification",
    "argument_identification_attached",
    "argument_classification_attached",
)


class _Arg(NamedTuple):
    """An argument in scope, as its error records describe it."""

    event: int
    owner: Event
    role: str
    mention: Mention
    offsets: Offsets


class Arguments:
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

    @lazy
    def items(self) -> list[_Arg]:
        """The arguments as error records describe them."""
        return [
            _Arg(event, owner, role, mention, where)
            for event, owner, role, mention, where in zip(
                self.events, self._owners, self.roles, self.mentions, self.offsets, strict=True
            )
        ]


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


def argument_candidates(
    gold: Document, gold_args: Arguments, pred_args: Arguments, options: ScoreOptions
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


def _argument_tiebreak(gold_args: Arguments, pred_args: Arguments, pair: Pair, attached: set[Pair]) -> float:
    """Among equally good pairings, prefer the argument of the paired event, in the same role, closest in
    span."""
    g, p = pair
    same_event = (gold_args.events[g], pred_args.events[p]) in attached
    same_role = gold_args.roles[g] == pred_args.roles[p]
    return same_event * 0.5 + same_role * 0.25 + dice(gold_args.offsets[g], pred_args.offsets[p]) * 0.25


def score_arguments(
    gold_args: Arguments,
    pred_args: Arguments,
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
        gold_args: Arguments,
        pred_args: Arguments,
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


def _argument_errors(
    metric: str,
    matched: Matched,
    gold_args: Arguments,
    pred_args: Arguments,
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


def _near_reason(cause: str, gold_args: Arguments, pred_args: Arguments, g: int, p: int) -> str:
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
