"""Adding counts to a document result under fixed keys, so that per-label counts always sum to the total."""

from __future__ import annotations

from collections.abc import Iterable

from newsbench.eval.counts import Counts
from newsbench.eval.results import DocResult


def declare(result: DocResult, task: str, metrics: Iterable[str]) -> None:
    """Create every metric's overall key, zero if nothing is counted, so reports have fixed key paths."""
    for metric in metrics:
        result.add((task, metric, ""), Counts())


def tally(result: DocResult, task: str, metric: str, label: str | None, counts: Counts) -> None:
    """Count under the overall key and, given a label, under that label too: each item has exactly one label,
    so the per-label keys of a metric add up to its overall key."""
    result.add((task, metric, ""), counts)
    if label is not None:
        result.add((task, metric, label), counts)
