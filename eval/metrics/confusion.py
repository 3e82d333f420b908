"""Confusion counts: how often a reference label met each other label, the one table behind every confusion
matrix newsbench prints (the score report's entity and trigger matrices, the agreement report's token table).

A cell is ``(gold label, predicted label)``. In a score report a side may be ``None``: ``(T, None)`` is a gold
item of type T with no predicted partner ("missed"), ``(None, T)`` a predicted item with no gold partner
("spurious"). Which items pair is the caller's definition; :func:`span_confusion` gives the one score
reports use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsbench.eval.metrics.shared import shared

Cell = tuple[str | None, str | None]


@dataclass(frozen=True)
class Confusion:
    """Counts per ``(gold, predicted)`` cell; zero cells are left out."""

    cells: Mapping[Cell, int] = field(default_factory=dict)

    @staticmethod
    def of(cells: Iterable[Cell]) -> Confusion:
        """One count per cell listed."""
        return Confusion(dict(Counter(cells)))

    @staticmethod
    def total(parts: Iterable[Mapping[Cell, int]]) -> Confusion:
        """The cell-wise sum of several count tables (documents, say)."""
        summed: Counter[Cell] = Counter()
        for part in parts:
            summed.update(part)
        return Confusion({cell: n for cell, n in summed.items() if n})

    def gold_labels(self) -> list[str]:
        return sorted({g for g, _ in self.cells if g is not None})

    def predicted_labels(self) -> list[str]:
        return sorted({p for _, p in self.cells if p is not None})

    def nested(self) -> dict[str, dict[str, int]]:
        """gold label -> predicted label -> count, over cells with a label on both sides, sorted."""
        out: dict[str, dict[str, int]] = {}
        for (g, p), n in sorted(self.cells.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")):
            if g is not None and p is not None:
                out.setdefault(g, {})[p] = n
        return out

    def missed(self) -> dict[str, int]:
        """gold label -> gold items with no partner."""
        return {g: n for (g, p), n in sorted(self.cells.items(), key=_key) if p is None and g is not None}

    def spurious(self) -> dict[str, int]:
        """predicted label -> predicted items with no partner."""
        return {p: n for (g, p), n in sorted(self.cells.items(), key=_key) if g is None and p is not None}

    def to_json(self) -> dict[str, Any]:
        return {
            "gold_labels": self.gold_labels(),
            "predicted_labels": self.predicted_labels(),
            "cells": self.nested(),
            "missed": self.missed(),
            "spurious": self.spurious(),
        }

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        """The matrix as a table: the column labels, then one row per gold label (its name first).

        Columns are every label seen on either side, plus ``missed`` when some gold item had no partner;
        rows the same labels plus ``spurious`` when some prediction had none. Labels are listed on both
        axes alike so the diagonal is the agreement.
        """
        labels = sorted(set(self.gold_labels()) | set(self.predicted_labels()))
        has_missed = any(p is None for _, p in self.cells)
        has_spurious = any(g is None for g, _ in self.cells)
        columns: list[str | None] = [*labels, *([None] if has_missed else [])]
        row_keys: list[str | None] = [*labels, *([None] if has_spurious else [])]
        header = [*labels, *(["missed"] if has_missed else [])]
        rows = [
            ["spurious" if g is None else g, *(self.cells.get((g, p), 0) for p in columns)] for g in row_keys
        ]
        return header, rows


def _key(item: tuple[Cell, int]) -> tuple[str, str]:
    (g, p), _ = item
    return g or "", p or ""


def span_confusion(
    gold: Iterable[tuple[Hashable, str]], pred: Iterable[tuple[Hashable, str]]
) -> dict[Cell, int]:
    """The counted cells of items paired by identical spans: ``(where, label)`` on each side.

    Items pair only when their spans are identical (nervaluate's and spaCy's reading of a type confusion:
    the boundaries are right, the type may not be). Within one set of identical spans, items of the same
    label pair first (so the diagonal counts what strict matching counts as correct), then the rest pair in
    label order; an item left over is missed (gold) or spurious (predicted). Items whose spans only overlap
    are missed and spurious here: a boundary error is not a type confusion.
    """
    # Nearly every span holds one item a side: those are kept as a bare label, and only the labels of a
    # span that repeats on a side as a list, so no list is made per span.
    gold_at, gold_more = _by_span(gold)
    pred_at, pred_more = _by_span(pred)
    counts: dict[Cell, int] = {}
    # Spans in order of first sight, gold side first, as the cells of one document are always listed.
    for where, label in gold_at.items():
        found = pred_at.get(where)
        if (gold_more or pred_more) and (where in gold_more or where in pred_more):
            preds = pred_more.get(where) or ([] if found is None else [found])
            for cell in _group_cells(gold_more.get(where) or [label], preds):
                counts[cell] = counts.get(cell, 0) + 1
            continue
        one: Cell = (label, found)
        counts[one] = counts.get(one, 0) + 1
    for where, label in pred_at.items():
        if where in gold_at:
            continue
        if where in pred_more:
            for cell in _group_cells([], pred_more[where]):
                counts[cell] = counts.get(cell, 0) + 1
            continue
        one = (None, label)
        counts[one] = counts.get(one, 0) + 1
    cells = _CELLS
    return {cells.get(cell) or shared(cells, cell): n for cell, n in counts.items()}


_CELLS: dict[Cell, Cell] = {}
"""The cells of every document's confusion counts, shared (:mod:`newsbench.eval.metrics.shared`)."""


def _by_span(items: Iterable[tuple[Hashable, str]]) -> tuple[dict[Hashable, str], dict[Hashable, list[str]]]:
    """Each span's first label, in order of first sight, and every label of a span seen more than once."""
    first: dict[Hashable, str] = {}
    more: dict[Hashable, list[str]] = {}
    for where, label in items:
        before = first.get(where)
        if before is None:
            first[where] = label
        else:
            listed = more.get(where)
            if listed is None:
                more[where] = [before, label]
            else:
                listed.append(label)
    return first, more


def _group_cells(golds: list[str], preds: list[str]) -> list[Cell]:
    """The cells of several items on one span: same labels first, then the rest in label order."""
    left_gold, left_pred = Counter(golds), Counter(preds)
    same = left_gold & left_pred
    cells: list[Cell] = []
    for label, n in sorted(same.items()):
        cells += [(label, label)] * n
    rest_gold = sorted((left_gold - same).elements())
    rest_pred = sorted((left_pred - same).elements())
    for i in range(max(len(rest_gold), len(rest_pred))):
        cells.append(
            (rest_gold[i] if i < len(rest_gold) else None, rest_pred[i] if i < len(rest_pred) else None)
        )
    return cells
