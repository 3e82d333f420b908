"""Sufficient statistics for scores: a small value object that adds up across documents.

Every number newsbench reports is computed from sums of :class:`Counts`, kept per document, so micro
averages, bootstrap resamples and paired tests only ever add counts; nothing is recomputed from the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsbench.eval.metrics.shared import BOUND


@dataclass(frozen=True, slots=True)
class Counts:
    """Credit and totals for one metric over some documents.

    ``tp`` is the credit earned (fractional when partial matches earn partial credit), ``pos`` the number of
    gold items and ``act`` the number of predicted items, so precision is ``tp/act`` and recall ``tp/pos``.
    ``cor inc par mis spu`` are the SemEval-2013 categories where a metric defines them (entity modes) and
    stay 0 elsewhere. An accuracy is kept as ``tp`` correct out of ``pos == act`` judged items.
    """

    tp: float = 0.0
    pos: int = 0
    act: int = 0
    cor: int = 0
    inc: int = 0
    par: int = 0
    mis: int = 0
    spu: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        """Read back as the reading process's shared instance (:func:`shared_counts`): statistics come back
        from worker processes by the hundred thousand, and the generic way a slotted data class pickles
        (a Python call per instance each way, then every field set one by one) was most of the cost of
        handing them over."""
        return shared_counts, (
            (self.tp, self.pos, self.act, self.cor, self.inc, self.par, self.mis, self.spu),
        )

    def __add__(self, other: Counts) -> Counts:
        # Spelled out rather than looped over dataclasses.fields(): scoring adds counts hundreds of
        # thousands of times, and the generic form was a measurable share of a corpus's scoring time.
        return Counts(
            self.tp + other.tp,
            self.pos + other.pos,
            self.act + other.act,
            self.cor + other.cor,
            self.inc + other.inc,
            self.par + other.par,
            self.mis + other.mis,
            self.spu + other.spu,
        )

    @classmethod
    def total(cls, items: Iterable[Counts]) -> Counts:
        out = cls()
        for item in items:
            out = out + item
        return out

    @property
    def fp(self) -> float:
        return self.act - self.tp

    @property
    def fn(self) -> float:
        return self.pos - self.tp

    @property
    def precision(self) -> float | None:
        """``None`` when nothing was predicted: a precision over no items is not applicable, not 0."""
        return self.tp / self.act if self.act else None

    @property
    def recall(self) -> float | None:
        """``None`` when the gold has no items."""
        return self.tp / self.pos if self.pos else None

    @property
    def f1(self) -> float | None:
        """``None`` when there is neither gold nor prediction; 0 when only one side has items."""
        denominator = self.pos + self.act
        return 2 * self.tp / denominator if denominator else None

    @property
    def undefined(self) -> tuple[str, ...]:
        """Which of precision, recall, f1 are not applicable (divisions by zero, reported as null)."""
        out = []
        if not self.act:
            out.append("precision")
        if not self.pos:
            out.append("recall")
        if not self.pos + self.act:
            out.append("f1")
        return tuple(out)


SHARED: dict[tuple[float, ...], Counts] = {}
"""The instances :func:`shared_counts` hands out, by value; the hottest loops look here before calling it."""


def shared_counts(value: tuple[float, ...]) -> Counts:
    """``Counts(*value)`` (``tp`` then seven whole numbers), one shared instance per value.

    Documents keep counts under a hundred keys each and most values recur (one hit, one miss), so sharing
    the immutable instances saves building hundreds of thousands of equal objects per corpus. The table is
    emptied when it reaches :data:`newsbench.eval.metrics.shared.BOUND`, so memory stays bounded on any
    input.
    """
    found = SHARED.get(value)
    if found is None:
        if len(SHARED) >= BOUND:
            SHARED.clear()
        tp, pos, act, cor, inc, par, mis, spu = value
        found = SHARED[value] = Counts(
            tp, int(pos), int(act), int(cor), int(inc), int(par), int(mis), int(spu)
        )
    return found
