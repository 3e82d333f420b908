"""The run folder: the spec that names it, and what a run leaves behind for each system.

Layout (every file reproducible: nothing in it depends on the clock, the machine's paths, the cache state
or the number of jobs, so the same spec always gives the same bytes)::

    <out>/<kind>-<spec hash>/
        spec.json                      systems, versions, config hashes, corpus hash, options, packages
        summary.json                   per system: documents, failures by kind, headline F1 with CI, cost
        failures.jsonl                 every failed (system, document) with its reason
        predictions/<system>.jsonl     the predictions as scored, one document per line, by id
        documents/<system>.jsonl       per-document statistics: status, prediction sizes, headline counts
        reports/<system>/report.json   the evaluation report (and its Markdown and HTML forms), errors.jsonl
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from newsbench import __version__
from newsbench.digest import sha256_text
from newsbench.eval.bench.cost import TokenPrice, system_cost
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.report import Report, number
from newsbench.eval.report.write import write_comparison, write_report
from newsbench.eval.run.runner import SystemRun, SystemSpec
from newsbench.extractor import Extractor
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.model import Document
from newsbench.names import file_stem, fold_collisions
from newsbench.problems import NewsbenchError

SPEC_FILE = "spec.json"
SUMMARY_FILE = "summary.json"
FAILURES_FILE = "failures.jsonl"
HASH_DIGITS = 12
FAILURE_KINDS = ("error", "timeout", "invalid")
RECORDED_PACKAGES = ("jsonschema", "numpy", "scipy", "seqeval")
"""Libraries whose versions can change a number or a validation verdict, recorded in every spec."""


def file_name(system: str) -> str:
    """A system name as a file name: itself when safe, else escaped so it neither escapes nor collides."""
    return file_stem(system)


def _dist_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def system_package(extractor: Extractor) -> dict[str, str] | None:
    """The installed distribution that provides an extractor's class, when there is one."""
    top = type(extractor).__module__.split(".")[0]
    for dist in sorted(metadata.packages_distributions().get(top, [])):
        version = _dist_version(dist)
        if version is not None:
            return {"name": dist, "version": version}
    return None


def package_versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "newsbench": __version__}
    for name in RECORDED_PACKAGES:
        version = _dist_version(name)
        if version is not None:
            found[name] = version
    return found


def options_json(options: ScoreOptions) -> dict[str, Any]:
    out = asdict(options)
    out["tasks"] = list(options.tasks)
    out["mention_kinds"] = list(options.mention_kinds)
    return out


def corpus_json(name: str, split: str | None, gold: Sequence[Document], gold_hash: str) -> dict[str, Any]:
    return {"name": name, "split": split, "documents": len(gold), "sha256": gold_hash}


def systems_json(specs: Sequence[SystemSpec], extractors: Sequence[Extractor]) -> list[dict[str, Any]]:
    return [{**s.to_json(), "package": system_package(x)} for s, x in zip(specs, extractors, strict=True)]


def spec_hash(spec: dict[str, Any]) -> str:
    return sha256_text(dumps_canonical(spec))


def folder_for(out: Path, kind: str, spec: dict[str, Any]) -> Path:
    """``<out>/<kind>-<first 12 hex digits of the spec hash>``: the same spec always lands in the same folder."""
    return out / f"{kind}-{spec_hash(spec)[:HASH_DIGITS]}"


def _line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _headline_counts(report: Report, doc_id: str, headline: dict[str, str]) -> dict[str, Any]:
    result = next((r for r in report.results if r.doc_id == doc_id), None)
    out: dict[str, Any] = {}
    for task, metric in headline.items():
        counts = result.stats.get((task, metric, "")) if result is not None else None
        if counts is not None:
            out[task] = {
                "metric": metric,
                "tp": number(counts.tp),
                "gold": counts.pos,
                "predicted": counts.act,
            }
    return out


def document_stats(run: SystemRun, report: Report, headline: dict[str, str]) -> list[dict[str, Any]]:
    """One row per document: whether the system failed on it, how much it predicted, its headline counts."""
    rows = []
    for outcome in run.outcomes:
        doc = outcome.prediction
        rows.append(
            {
                "doc_id": outcome.doc_id,
                "status": "ok" if outcome.failure is None else "failed",
                "failure": None if outcome.failure is None else outcome.failure.to_json(),
                "predicted": {
                    "mentions": len(doc.mentions),
                    "entities": len(doc.entities),
                    "events": len(doc.events),
                    "quotes": len(doc.quotes),
                },
                "scores": _headline_counts(report, outcome.doc_id, headline),
            }
        )
    return rows


def failure_counts(run: SystemRun) -> dict[str, int]:
    found = Counter(o.failure.kind for o in run.outcomes if o.failure is not None)
    return {kind: found.get(kind, 0) for kind in FAILURE_KINDS}


def headline_scores(report: Report, headline: dict[str, str]) -> dict[str, Any]:
    """Task -> the headline metric's micro P/R/F1 and its 95% interval (None when degenerate)."""
    out: dict[str, Any] = {}
    for task, metric in headline.items():
        totals = report.totals.get((task, metric))
        if totals is None or task in report.not_scored or task in report.not_attempted:
            continue
        interval = report.interval((task, metric, ""))
        out[task] = {
            "metric": metric,
            "precision": number(totals.micro.precision),
            "recall": number(totals.micro.recall),
            "f1": number(totals.micro.f1),
            "ci95": None if interval is None else [number(interval.low), number(interval.high)],
        }
    return out


def summary_json(
    spec: dict[str, Any],
    runs: Sequence[SystemRun],
    reports: Sequence[Report],
    headline: dict[str, str],
    price: TokenPrice | None = None,
) -> dict[str, Any]:
    systems = []
    for run, report in zip(runs, reports, strict=True):
        counts = failure_counts(run)
        systems.append(
            {
                "name": run.system.name,
                "version": run.system.version,
                "documents": len(run.outcomes),
                "failures": sum(counts.values()),
                "failures_by_kind": counts,
                "signature": report.signature,
                "scores": {
                    task: scores
                    for task, scores in headline_scores(report, headline).items()
                    if task in run.system.tasks
                },
                "not_attempted": [task for task in headline if task not in run.system.tasks],
                "cost": system_cost(run, price),
            }
        )
    return {"spec_sha256": spec_hash(spec), "partial": any(run.failures for run in runs), "systems": systems}


def write_run(
    folder: Path,
    spec: dict[str, Any],
    runs: Sequence[SystemRun],
    reports: Sequence[Report],
    headline: dict[str, str],
    price: TokenPrice | None = None,
    comparison: Comparison | None = None,
) -> None:
    """Write every file of a run folder (see the module docstring), and the comparison of its systems when
    there is one; each write is atomic."""
    clashes = fold_collisions(run.system.name for run in runs)
    if clashes:
        first, second = clashes[0]
        raise NewsbenchError(
            f"systems {first!r} and {second!r} differ only in case: their files would be one file on a "
            "case-insensitive file system; rename one"
        )
    write_atomic(folder / SPEC_FILE, dumps_canonical(spec))
    failures: list[dict[str, Any]] = []
    for run, report in zip(runs, reports, strict=True):
        name = file_name(run.system.name)
        write_atomic(
            folder / "predictions" / f"{name}.jsonl", "".join(_line(d.to_json()) for d in run.predictions)
        )
        rows = document_stats(run, report, headline)
        write_atomic(folder / "documents" / f"{name}.jsonl", "".join(_line(r) for r in rows))
        write_report(report, folder / "reports" / name)
        failures += [
            {"system": run.system.name, "doc_id": o.doc_id, **o.failure.to_json()}
            for o in run.outcomes
            if o.failure is not None
        ]
    write_atomic(folder / FAILURES_FILE, "".join(_line(f) for f in failures))
    write_atomic(folder / SUMMARY_FILE, dumps_canonical(summary_json(spec, runs, reports, headline, price)))
    if comparison is not None:
        write_comparison(comparison, folder)
