"""What scoring one document yields: counts per metric key, and the itemised errors behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsbench.eval.metrics.counts import Counts

StatKey = tuple[str, str, str]
"""``(task, metric, label)``: label ``""`` is the whole metric; otherwise a type (entities, triggers) or role."""


@dataclass(frozen=True)
class ErrorRecord:
    """One false positive, false negative, partial or mistyped match, for ``errors.jsonl``.

    ``kind`` is one of ``FP FN PAR INC`` (spurious, missed, partial span, wrong type/role/speaker).
    """

    doc_id: str
    task: str
    metric: str
    kind: str
    reason: str
    gold: dict[str, Any] | None = None
    pred: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "task": self.task,
            "metric": self.metric,
            "kind": self.kind,
            "reason": self.reason,
            "gold": self.gold,
            "pred": self.pred,
        }


@dataclass
class DocResult:
    """Sufficient statistics for one (gold, prediction) document pair."""

    doc_id: str
    stats: dict[StatKey, Counts] = field(default_factory=dict)
    errors: list[ErrorRecord] = field(default_factory=list)
