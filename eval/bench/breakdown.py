"""Per-source figures of a benchmark section: each system's headline F1 on each source's documents alone.

A corpus that mixes government statements, Wikipedia and Wikinews can rank systems one way overall and another
way per source; the breakdown shows that. Each source's figure rests on few documents, so it carries its
document count and no interval or rank: the section's overall ranking is the one to cite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from newsbench.eval.bench.runfolder import headline_scores
from newsbench.eval.evaluate import score
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.run.runner import SystemRun
from newsbench.model import Document
from newsbench.provenance import by_family, by_subset

JSON = dict[str, Any]


def source_groups(gold: Sequence[Document], by: str) -> dict[str, list[Document]]:
    """Gold documents by source family or by subset, names in order."""
    return by_family(gold) if by == "family" else by_subset(gold)


def breakdown(
    gold: Sequence[Document],
    runs: Sequence[SystemRun],
    options: ScoreOptions,
    headline: dict[str, str],
    by: str,
) -> JSON:
    """``{"by": …, "sources": [{"name", "documents", "tasks": {task: {system: {P, R, F1}}}}]}``."""
    plain = replace(options, bootstrap=0)  # a few documents per source: no interval would mean anything
    sources = []
    for name, docs in source_groups(gold, by).items():
        ids = {d.id for d in docs}
        tasks: JSON = {}
        for run in runs:
            predictions = [p for p in run.predictions if p.id in ids]
            report = score(docs, predictions, **asdict(plain))
            for task, scores in headline_scores(report, headline).items():
                tasks.setdefault(task, {})[run.system.name] = {
                    key: scores[key] for key in ("precision", "recall", "f1")
                }
        sources.append({"name": name, "documents": len(docs), "tasks": tasks})
    return {"by": by, "sources": sources}
