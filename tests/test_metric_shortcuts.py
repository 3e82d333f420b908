"""The shortcuts of event and quote scoring count what the plain formulations count (hypothesis).

Scorers count rows straight into the sheet, share one tally among metrics that end in the same matching,
and sort items by flat keys; each is checked here against the straightforward way of doing the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from test_metric_properties import OPTIONS, _layers, _pair, _predict

from newsbench.eval.metrics import arguments, events, quotes
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.lazy import lazy
from newsbench.eval.metrics.match import Pair, exact_pairs, optimal_matching
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult, StatKey
from newsbench.eval.metrics.scope import IgnoreRegions, task_types
from newsbench.eval.metrics.tally import Sheet, add_judgement, declare
from newsbench.model import Document
from newsbench.spans import offsets

LABELS = st.sampled_from(("A", "B", "C", ""))


@st.composite
def _matching(draw: st.DrawFn) -> tuple[list[str], list[str], list[Pair]]:
    """Gold and predicted labels, and a one-to-one matching between them, sorted."""
    gold = draw(st.lists(LABELS, max_size=8))
    pred = draw(st.lists(LABELS, max_size=8))
    targets = draw(st.permutations(range(len(pred))))  # gold g may pair with targets[g], if there is one
    keep = draw(st.lists(st.booleans(), min_size=len(gold), max_size=len(gold)))
    return gold, pred, sorted((g, p) for (g, p), kept in zip(enumerate(targets), keep, strict=False) if kept)


def _count_matching_by_labels(
    sheet: Sheet, metric: str, matching: Sequence[Pair], gold: Sequence[str], pred: Sequence[str]
) -> tuple[list[int], list[int]]:
    """:meth:`Sheet.count_matching` the plain way: a row per label, counted through ``count_labels``."""
    rows: dict[str, list[int]] = {label: [0, 0, 0] for label in [*gold, *pred]}
    for label in gold:
        rows[label][1] += 1
    for g, _ in matching:
        rows[gold[g]][0] += 1
        rows[gold[g]][2] += 1
    spurious = [p for p in range(len(pred)) if p not in {p for _, p in matching}]
    for p in spurious:
        rows[pred[p]][2] += 1
    missed = [g for g in range(len(gold)) if g not in {g for g, _ in matching}]
    counted = [
        (label, hit, pos, act, 0, 0, 0, 0) for label, (hit, pos, act) in sorted(rows.items()) if pos or act
    ]
    sheet.count_labels(metric, counted)
    return (missed, spurious) if sheet.errors_on else ([], [])


def _stats(fill: Callable[[Sheet], object], errors_on: bool) -> tuple[list[tuple[StatKey, object]], object]:
    """A fresh document's statistics, in order, after ``fill`` counts into one closed sheet; and what
    ``fill`` returned."""
    result = DocResult("d")
    declare(result, "events", ["m", "n"])
    sheet = Sheet(result, "events", errors_on)
    returned = fill(sheet)
    sheet.close()
    return list(result.stats.items()), returned


@settings(max_examples=300, deadline=None)
@given(_matching(), _matching(), st.booleans())
def test_count_matching_counts_as_counting_each_label(
    first: tuple[list[str], list[str], list[Pair]],
    second: tuple[list[str], list[str], list[Pair]],
    errors: bool,
) -> None:
    """Two matchings of one metric, then one of another: the sums, their key order and the unmatched items
    are those of counting a row per label."""

    def fast(sheet: Sheet) -> object:
        gold, pred, matching = first
        once = sheet.count_matching("m", matching, gold, pred)
        gold, pred, matching = second
        return (
            once,
            sheet.count_matching("m", matching, gold, pred),
            sheet.count_matching("n", matching, gold, pred),
        )

    def plain(sheet: Sheet) -> object:
        gold, pred, matching = first
        once = _count_matching_by_labels(sheet, "m", matching, gold, pred)
        gold, pred, matching = second
        return (
            once,
            _count_matching_by_labels(sheet, "m", matching, gold, pred),
            _count_matching_by_labels(sheet, "n", matching, gold, pred),
        )

    assert _stats(fast, errors) == _stats(plain, errors)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABELS, st.booleans()), max_size=10), st.lists(st.tuples(LABELS, st.booleans())))
def test_judgements_added_as_judged_count_as_counting_each_label(
    first: list[tuple[str, bool]], second: list[tuple[str, bool]]
) -> None:
    def plain(sheet: Sheet) -> None:
        for judged in (first, second):
            rows: dict[str, list[int]] = {}
            for label, correct in judged:
                rows.setdefault(label, [0, 0])
                rows[label][0] += correct
                rows[label][1] += 1
            sheet.count_labels("m", [(label, r, n, n, 0, 0, 0, 0) for label, (r, n) in sorted(rows.items())])

    def fast(sheet: Sheet) -> None:
        for judged in (first, second):
            rows: dict[str, list[int]] = {}
            for label, correct in judged:
                add_judgement(rows, label, correct)
            sheet.count_rows("m", rows)

    assert _stats(fast, True) == _stats(plain, True)


@settings(max_examples=100, deadline=None)
@given(_layers(), st.data())
def test_events_quotes_and_arguments_are_sorted_by_their_plain_keys(
    layers: dict[str, tuple[object, ...]], data: st.DataObject
) -> None:
    gold, pred = _pair(layers, _predict(data, layers))
    ignore = IgnoreRegions(())
    for doc in (gold, pred):
        scored = events._scored_events(doc, ignore, None)
        assert scored == sorted(doc.events, key=lambda e: (events._trigger(e), e.type, e.id))
        mentions = doc.mention_index()
        plain = sorted(
            (
                arguments._Arg(i, e, arg.role, mentions[arg.mention], offsets(mentions[arg.mention].spans))
                for i, e in enumerate(scored)
                for arg in e.arguments
            ),
            key=lambda a: (a.event, a.role, a.offsets, a.mention.id),
        )
        assert arguments.Arguments(doc, scored).items == plain
        found, where = quotes._scored_quotes(doc, ignore, None)
        assert found == sorted(doc.quotes, key=lambda q: (offsets(q.content), q.type, q.id))
        assert where == [offsets(q.content) for q in found]


def _arguments_one_by_one(
    gold: Document, pred: Document, options: ScoreOptions
) -> list[tuple[StatKey, object]]:
    """The argument metrics' statistics, each metric matching the candidates that pass its test on its own,
    as the scorer did before metrics shared their matchings and tallies."""
    ignore, types = IgnoreRegions(gold.ignore), task_types(options.types, events.TASK)
    golds = events._scored_events(gold, ignore, types)
    preds = events._scored_events(pred, ignore, types)
    gold_args, pred_args = arguments.Arguments(gold, golds), arguments.Arguments(pred, preds)
    candidates = arguments.argument_candidates(gold, gold_args, pred_args, options)
    agreement = events._Agreement(golds, preds, gold_args, pred_args, candidates)
    same_span = exact_pairs([events._trigger(e) for e in golds], [events._trigger(e) for e in preds])
    classified = optimal_matching(
        [(g, p) for g, p in same_span if golds[g].type == preds[p].type], lambda pair: (1.0, agreement(pair))
    )
    attached = set(classified)
    gs, ps = gold_args.items, pred_args.items
    tests: dict[str, Callable[[arguments._Arg, arguments._Arg], bool]] = {
        "argument_identification": lambda g, p: g.owner.type == p.owner.type,
        "argument_classification": lambda g, p: g.owner.type == p.owner.type and g.role == p.role,
        "argument_identification_attached": lambda g, p: (g.event, p.event) in attached,
        "argument_classification_attached": lambda g, p: (g.event, p.event) in attached and g.role == p.role,
    }
    result = DocResult(gold.id)
    declare(result, events.TASK, arguments.ARGUMENT_METRICS)
    sheet = Sheet(result, events.TASK, errors_on=False)
    for metric, test in tests.items():
        passed = [(g, p) for g, p in sorted(candidates) if test(gs[g], ps[p])]
        matching = optimal_matching(
            passed, lambda pair: (1.0, arguments._argument_tiebreak(gold_args, pred_args, pair, attached))
        )
        if metric.startswith("argument_classification"):
            labels = [a.role for a in gs], [a.role for a in ps]
        else:
            labels = [a.owner.type for a in gs], [a.owner.type for a in ps]
        sheet.count_matching(metric, matching, *labels)
    sheet.close()
    return list(result.stats.items())


@settings(max_examples=150, deadline=None)
@given(_layers(), st.sampled_from(OPTIONS), st.data())
def test_argument_metrics_count_as_matching_each_metric_on_its_own(
    gold_layers: dict[str, tuple[object, ...]], options: ScoreOptions, data: st.DataObject
) -> None:
    gold, pred = _pair(gold_layers, _predict(data, gold_layers))
    options = replace(options, tasks=(events.TASK,))
    result = score_document(gold, pred, options, collect_errors=False)
    counted = [(key, c) for key, c in result.stats.items() if key[1] in arguments.ARGUMENT_METRICS]
    assert counted == _arguments_one_by_one(gold, pred, options)


def test_a_lazy_attribute_is_made_once_on_first_read_as_a_cached_property_is() -> None:
    made: list[int] = []

    class Holder:
        @lazy
        def index(self) -> dict[str, int]:
            """The index."""
            made.append(1)
            return {"a": 1}

    holder = Holder()
    assert made == []
    first = holder.index
    assert holder.index is first and vars(holder)["index"] is first and made == [1]
    assert isinstance(Holder.index, lazy) and Holder.index.__doc__ == "The index."
