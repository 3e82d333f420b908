"""The metric catalog (``eval/metrics.json``): display order and plain meaning of each reported metric."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from newsbench.eval.metrics.options import TASKS


@cache
def metric_descriptions() -> dict[str, dict[str, str]]:
    """Task -> metric -> one-line meaning, in display order."""
    text = resources.files("newsbench.eval").joinpath("metrics.json").read_text(encoding="utf-8")
    tasks: dict[str, dict[str, str]] = json.loads(text)["tasks"]
    return tasks


@cache
def display_key(task: str, metric: str) -> tuple[int, int, str]:
    """Sort key: tasks in their canonical order, metrics in catalog order, unknown metrics last by name."""
    order = list(metric_descriptions().get(task, {}))
    task_rank = TASKS.index(task) if task in TASKS else len(TASKS)
    metric_rank = order.index(metric) if metric in order else len(order)
    return task_rank, metric_rank, metric


def label_field(metric: str) -> str:
    """The report key of a metric's per-label breakdown, named for what its labels are.

    Argument classification breaks down by role, event attributes by gold value, and every other metric by
    type (entity type, event type or quote type), as the per-document scorer labels them.
    """
    if metric.startswith("argument_classification"):
        return "per_role"
    if metric.startswith("attribute_"):
        return "per_value"
    return "per_type"
