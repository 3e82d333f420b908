"""What scoring one document yields: counts per metric key, and the itemised errors behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from newsbench.eval.metrics.confusion import Cell
from newsbench.eval.metrics.counts import Counts

StatKey = tuple[str, str, str]
"""``(task, metric, label)``: label ``""`` is the whole metric; otherwise a type (entities, triggers) or role."""

ItemKey = tuple[str, str | None, str | None]
"""An item's share of the key ``errors.jsonl`` merges records by: its id, and for an argument its role and its
event's id (``None`` otherwise)."""


class ErrorRecord(NamedTuple):
    """One false positive, false negative, partial or mistyped match under one metric.

    ``kind`` is one of ``FP FN PAR INC`` (spurious, missed, partial span, wrong type/role/speaker) and
    ``reason`` says why in words. ``layer`` names the items (``entities``, ``triggers``, ``arguments``,
    ``quotes``, ``cues``) and ``cause`` the error's class (``missed``, ``spurious``, ``type``, ``span``, …,
    see :mod:`newsbench.eval.report.errors`): the same error seen by several metrics has the same layer,
    cause, gold and predicted item, which is how ``errors.jsonl`` lists it once. ``credit`` is the partial
    credit a ``PAR`` earned.

    A named tuple rather than a frozen dataclass: a document's scoring makes hundreds of records, and a
    frozen dataclass sets each field through ``object.__setattr__``, several times the cost of a tuple.
    """

    doc_id: str
    task: str
    metric: str
    kind: str
    reason: str
    gold: dict[str, Any] | None = None
    pred: dict[str, Any] | None = None
    layer: str = ""
    cause: str = ""
    credit: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "task": self.task,
            "metric": self.metric,
            "kind": self.kind,
            "reason": self.reason,
            "gold": self.gold,
            "pred": self.pred,
            "layer": self.layer,
            "cause": self.cause,
            "credit": self.credit,
        }


@dataclass
class DocResult:
    """Sufficient statistics for one (gold, prediction) document pair.

    ``confusion`` holds, per task with a type confusion matrix (entities, events), the cells of items
    paired by identical spans (:func:`newsbench.eval.metrics.confusion.span_confusion`), counted.
    """

    doc_id: str
    stats: dict[StatKey, Counts] = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
    confusion: dict[str, dict[Cell, int]] = field(default_factory=dict)
    leave_out: frozenset[Any] = frozenset()
    """Error groups ``(task, layer, cause)`` whose records are only counted, not built: an errors sample that
    is already complete for them writes none. A scorer may record the merge key of such an error in
    ``left_out`` instead of an :class:`ErrorRecord` (see :func:`newsbench.eval.report.errors.leave_out`)."""
    left_out: set[tuple[Any, ...]] | None = None
