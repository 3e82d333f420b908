"""Properties every score must have, on random documents with all three layers (hypothesis)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_helpers import SYSTEM, event, mention, quote

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.document import METRICS, score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Document, Entity, Event, Mention, Quote

TEXT = "Ann met Bo in Rome . “ We won , ” said Cy 😀 . Zoe\u0301 left Oslo .\r\nThe end . " + "x " * 20
ANNOTATED = 80  # annotations fall in [0, 80); the rest is left for spurious predictions
TYPES = ("PER", "ORG")
EVENT_TYPES = ("Conflict.Attack", "Contact.Meet")
ROLES = ("Attacker", "Target", "Place")

OPTIONS = [
    ScoreOptions(),
    ScoreOptions(
        mention_kinds=("NAM", "NOM"), partial_credit="graded", argument_match="overlap", overlap=0.5
    ),
    ScoreOptions(argument_match="coref"),
]


def _span(lo: int, hi: int) -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(lo, hi - 1), st.integers(1, 6)).map(lambda t: (t[0], min(t[0] + t[1], hi)))


def _spans(lo: int, hi: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    """One span, or two apart (a discontinuous item)."""
    return st.one_of(
        _span(lo, hi).map(lambda s: [s]),
        st.tuples(_span(lo, hi), _span(lo, hi)).filter(lambda t: t[0][1] < t[1][0]).map(list),
    )


@st.composite
def _layers(
    draw: st.DrawFn, lo: int = 0, hi: int = ANNOTATED, prefix: str = ""
) -> dict[str, tuple[object, ...]]:
    mentions = tuple(
        mention(
            TEXT,
            f"{prefix}m{i}",
            draw(_spans(lo, hi)),
            draw(st.sampled_from(TYPES)),
            draw(st.sampled_from(("NAM", "NOM"))),
        )
        for i in range(draw(st.integers(0, 6)))
    )
    ids = [m.id for m in mentions]
    entities = []
    if ids:
        cluster = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
        if cluster:
            entities.append(Entity(f"{prefix}e0", "PER", tuple(cluster)))
    events = []
    for i in range(draw(st.integers(0, 3))):
        roles = (
            draw(st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from(ids)), unique=True, max_size=3))
            if ids
            else []
        )
        polarity = draw(st.sampled_from(("positive", "negative", None)))
        attrs = {"polarity": polarity} if polarity else {}
        events.append(
            event(
                TEXT, f"{prefix}v{i}", draw(st.sampled_from(EVENT_TYPES)), draw(_span(lo, hi)), roles, **attrs
            )
        )
    quotes = tuple(
        quote(
            TEXT,
            f"{prefix}q{i}",
            draw(_spans(lo, hi)),
            draw(st.sampled_from(("direct", "indirect"))),
            draw(st.one_of(st.none(), _span(lo, hi))),
            draw(st.one_of(st.none(), st.sampled_from(ids))) if ids else None,
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return {"mentions": mentions, "entities": tuple(entities), "events": tuple(events), "quotes": quotes}


def _predict(data: st.DataObject, gold: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    """A prediction near the gold: some gold items kept (a few retyped), plus random ones."""
    noise = data.draw(_layers(prefix="p"))
    keep = data.draw(st.lists(st.booleans(), min_size=len(gold["mentions"]), max_size=len(gold["mentions"])))
    mentions = [
        replace(m, type=data.draw(st.sampled_from(TYPES)))
        for m, kept in zip(gold["mentions"], keep, strict=True)
        if kept and isinstance(m, Mention)
    ]
    kept_ids = {m.id for m in mentions}
    events = [
        replace(
            e,
            type=data.draw(st.sampled_from(EVENT_TYPES)),
            arguments=tuple(a for a in e.arguments if a.mention in kept_ids),
        )
        for e in data.draw(
            st.lists(st.sampled_from(gold["events"]), unique=True) if gold["events"] else st.just([])
        )
        if isinstance(e, Event)
    ]
    quotes = [
        replace(q, speaker=q.speaker if q.speaker in kept_ids else None)
        for q in data.draw(
            st.lists(st.sampled_from(gold["quotes"]), unique=True) if gold["quotes"] else st.just([])
        )
        if isinstance(q, Quote)
    ]
    return {
        "mentions": (*mentions, *noise["mentions"]),
        "entities": noise["entities"],
        "events": (*events, *noise["events"]),
        "quotes": (*quotes, *noise["quotes"]),
    }


def _pair(
    gold_layers: dict[str, tuple[object, ...]], pred_layers: dict[str, tuple[object, ...]]
) -> tuple[Document, Document]:
    gold = Document(id="d1", text=TEXT, **gold_layers)  # type: ignore[arg-type]
    return gold, Document(id=gold.id, text=TEXT, system=SYSTEM, **pred_layers)  # type: ignore[arg-type]


def _result(gold: Document, pred: Document, options: ScoreOptions) -> DocResult:
    return score_document(gold, pred, options)


def _errors(result: DocResult) -> list[str]:
    return sorted(json.dumps(e.to_json(), sort_keys=True) for e in result.errors)


@settings(max_examples=40, deadline=None)
@given(_layers(), st.sampled_from(OPTIONS))
def test_perfect_predictions_score_one_everywhere(
    layers: dict[str, tuple[object, ...]], options: ScoreOptions
) -> None:
    gold, pred = _pair(layers, layers)
    result = _result(gold, pred, options)
    for key, c in result.stats.items():
        assert c.pos == c.act, key
        if c.pos:
            assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0), key
    assert result.errors == []


def _shuffled(layers: dict[str, tuple[object, ...]], order: st.DataObject) -> dict[str, tuple[object, ...]]:
    out: dict[str, tuple[object, ...]] = {}
    for name, items in layers.items():
        shuffled: list[Any] = order.draw(st.permutations(items))
        if name == "events":
            shuffled = [
                replace(e, arguments=tuple(order.draw(st.permutations(e.arguments)))) for e in shuffled
            ]
        out[name] = tuple(shuffled)
    return out


@settings(max_examples=40, deadline=None)
@given(_layers(), st.sampled_from(OPTIONS), st.data())
def test_order_of_annotations_never_changes_a_number(
    gold_layers: dict[str, tuple[object, ...]], options: ScoreOptions, order: st.DataObject
) -> None:
    pred_layers = _predict(order, gold_layers)
    before = _result(*_pair(gold_layers, pred_layers), options)
    after = _result(*_pair(_shuffled(gold_layers, order), _shuffled(pred_layers, order)), options)
    assert after.stats == before.stats
    assert _errors(after) == _errors(before)


@settings(max_examples=40, deadline=None)
@given(_layers(), st.sampled_from(OPTIONS), st.data())
def test_per_label_counts_sum_to_the_totals(
    gold_layers: dict[str, tuple[object, ...]], options: ScoreOptions, data: st.DataObject
) -> None:
    pred_layers = _predict(data, gold_layers)
    result = _result(*_pair(gold_layers, pred_layers), options)
    assert {key[:2] for key in result.stats} == {(task, m) for task in options.tasks for m in METRICS[task]}
    for task, metric, label in result.stats:
        if label:
            continue
        parts = [c for (t, m, lab), c in result.stats.items() if (t, m) == (task, metric) and lab]
        total = Counts.total(parts)
        assert abs(total.tp - result.stats[task, metric, ""].tp) < 1e-9
        assert replace(total, tp=0.0) == replace(result.stats[task, metric, ""], tp=0.0), (task, metric)


def _add(
    layers: dict[str, tuple[object, ...]], extra: dict[str, tuple[object, ...]]
) -> dict[str, tuple[object, ...]]:
    return {name: (*layers[name], *extra[name]) for name in layers}


@settings(max_examples=40, deadline=None)
@given(_layers(), _layers(lo=ANNOTATED, hi=len(TEXT) - 1, prefix="s"), st.sampled_from(OPTIONS), st.data())
def test_adding_spurious_predictions_never_raises_precision(
    gold_layers: dict[str, tuple[object, ...]],
    spurious: dict[str, tuple[object, ...]],
    options: ScoreOptions,
    data: st.DataObject,
) -> None:
    pred_layers = _predict(data, gold_layers)
    before = _result(*_pair(gold_layers, pred_layers), options)
    after = _result(*_pair(gold_layers, _add(pred_layers, spurious)), options)
    for key, c in after.stats.items():
        earlier = before.stats.get(key, Counts()).precision
        # Precision over no prediction is not applicable; adding predictions can only define it.
        if earlier is not None:
            assert c.precision is not None and c.precision <= earlier + 1e-12, key
        assert c.tp == before.stats.get(key, Counts()).tp, key


MONOTONE = (
    [("entities", m) for m in ("strict", "exact", "type", "partial")]
    + [
        ("events", m)
        for m in (
            "trigger_identification",
            "trigger_classification",
            "argument_identification",
            "argument_classification",
        )
    ]
    + [("quotes", m) for m in ("content_exact", "content_overlap", "cue", "end_to_end")]
)


@settings(max_examples=40, deadline=None)
@given(_layers(), _layers(prefix="s"), st.sampled_from(OPTIONS), st.data())
def test_adding_any_prediction_never_lowers_the_credit(
    gold_layers: dict[str, tuple[object, ...]],
    extra: dict[str, tuple[object, ...]],
    options: ScoreOptions,
    data: st.DataObject,
) -> None:
    """An optimal matching keeps its pairs when candidates are added; a greedy one need not."""
    pred_layers = _predict(data, gold_layers)
    before = _result(*_pair(gold_layers, pred_layers), options)
    after = _result(*_pair(gold_layers, _add(pred_layers, extra)), options)
    for key in MONOTONE:
        assert after.stats[(*key, "")].tp >= before.stats[(*key, "")].tp - 1e-9, key
