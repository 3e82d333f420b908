"""Small builders for scoring tests: documents from offsets, and reading counts back out of a result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Argument, Document, Entity, Event, Mention, Quote, SystemInfo
from newsbench.spans import Span

SYSTEM = SystemInfo("test", "0")

Spans = tuple[int, int] | Sequence[tuple[int, int]]


def spans_of(text: str, spans: Spans) -> tuple[Span, ...]:
    """``(start, end)`` or a list of them (a discontinuous item) as spans of ``text``."""
    if isinstance(spans[0], int):
        start, end = spans
        return (Span.of(text, int(start), int(end)),)  # type: ignore[arg-type]
    pairs: Sequence[tuple[int, int]] = spans  # type: ignore[assignment]
    return tuple(Span.of(text, s, e) for s, e in pairs)


def find(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def mention(text: str, mid: str, spans: Spans, type_: str = "PER", kind: str = "NAM") -> Mention:
    return Mention(mid, spans_of(text, spans), type_, kind)


def event(
    text: str,
    eid: str,
    type_: str,
    trigger: tuple[int, int],
    args: Sequence[tuple[str, str]] = (),
    **attrs: str,
) -> Event:
    arguments = tuple(Argument(role, mid) for role, mid in args)
    return Event(eid, type_, Span.of(text, *trigger), arguments, **attrs)


def quote(
    text: str,
    qid: str,
    content: Spans,
    type_: str = "direct",
    cue: tuple[int, int] | None = None,
    speaker: str | None = None,
) -> Quote:
    return Quote(qid, type_, spans_of(text, content), Span.of(text, *cue) if cue else None, speaker)


def entity(eid: str, type_: str, *mention_ids: str) -> Entity:
    return Entity(eid, type_, tuple(mention_ids))


def gold_doc(
    text: str, doc_id: str = "d1", ignore: Sequence[tuple[int, int]] = (), **layers: object
) -> Document:
    regions = tuple(Span.of(text, s, e) for s, e in ignore)
    return Document(id=doc_id, text=text, ignore=regions, **layers)  # type: ignore[arg-type]


def pred_doc(gold: Document, **layers: object) -> Document:
    return Document(id=gold.id, text=gold.text, system=SYSTEM, **layers)  # type: ignore[arg-type]


def score(gold: Document, pred: Document, **options: Any) -> DocResult:
    return score_document(gold, pred, ScoreOptions(**options))


def counts(result: DocResult, task: str, metric: str, label: str = "") -> Counts:
    return result.stats.get((task, metric, label), Counts())


def categories(c: Counts) -> tuple[int, int, int, int, int]:
    """``(COR, INC, PAR, MIS, SPU)``."""
    return c.cor, c.inc, c.par, c.mis, c.spu


def labels(result: DocResult, task: str, metric: str) -> dict[str, Counts]:
    return {key[2]: value for key, value in result.stats.items() if key[:2] == (task, metric) and key[2]}
