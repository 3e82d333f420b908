"""Per-source figures of a benchmark section: each system's headline F1 on each source's documents alone.

A corpus that mixes government statements, Wikipedia and Wikinews can rank systems one way overall and another
way per source; the breakdown shows that. Each source's figure rests on few documents, so it carries its
document count and no interval or rank: the section's overall ranking is the one to cite.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from newsbench.eval.bench.runfolder import headline_scores
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.run.gold import GoldSet
from newsbench.eval.streaming import score_scanned
from newsbench.provenance import family_of, subset_of

if TYPE_CHECKING:
    from newsbench.eval.bench.corpus_run import CorpusRun

JSON = dict[str, Any]


def source_groups(gold: GoldSet, by: str) -> dict[str, list[int]]:
    """Positions of the gold documents by source family or by subset, names in order (each document read
    once to find its source)."""
    source = family_of if by == "family" else subset_of
    groups: dict[str, list[int]] = {}
    for position, doc in enumerate(gold.documents()):
        groups.setdefault(source(doc), []).append(position)
    return dict(sorted(groups.items()))


def breakdown(run: CorpusRun, options: ScoreOptions, headline: dict[str, str], by: str) -> JSON:
    """``{"by": …, "sources": [{"name", "documents", "tasks": {task: {system: {P, R, F1}}}}]}``, each
    source's documents scored from the run's predictions files, one pair at a time."""
    assert run.gold is not None and run.written is not None, "a corpus run keeps what it wrote"
    gold, written = run.gold, run.written
    plain = replace(options, bootstrap=0)  # a few documents per source: no interval would mean anything
    sources = []
    for name, positions in source_groups(gold, by).items():
        docs = [gold.items[p] for p in positions]
        ids = {item.id for item in docs}
        tasks: JSON = {}
        for system, scanned in zip(run.runs, written, strict=True):
            predictions = [p for p in scanned if p.id in ids]
            report = score_scanned(docs, predictions, held=gold.held, **asdict(plain))
            for task, scores in headline_scores(report, headline).items():
                tasks.setdefault(task, {})[system.system.name] = {
                    key: scores[key] for key in ("precision", "recall", "f1")
                }
        sources.append({"name": name, "documents": len(docs), "tasks": tasks})
    return {"by": by, "sources": sources}
