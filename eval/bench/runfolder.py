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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from newsbench import __version__
from newsbench.digest import sha256_text
from newsbench.eval.bench.cost import TokenPrice, system_cost
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.report import Report, number
from newsbench.eval.report.write import write_comparison, write_report
from newsbench.eval.run.runner import SystemRecords, SystemRun, SystemSpec
from newsbench.extractor import Extractor
from newsbench.jsonio import dumps_canonical, replacing, write_atomic
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


def corpus_json(name: str, split: str | None, documents: int, gold_hash: str) -> dict[str, Any]:
    return {"name": name, "split": split, "documents": documents, "sha256": gold_hash}


def systems_json(specs: Sequence[SystemSpec], extractors: Sequence[Extractor]) -> list[dict[str, Any]]:
    return [{**s.to_json(), "package": system_package(x)} for s, x in zip(specs, extractors, strict=True)]


def spec_hash(spec: dict[str, Any]) -> str:
    return sha256_text(dumps_canonical(spec))


def folder_for(out: Path, kind: str, spec: dict[str, Any]) -> Path:
    """``<out>/<kind>-<first 12 hex digits of the spec hash>``: the same spec always lands in the same folder."""
    return out / f"{kind}-{spec_hash(spec)[:HASH_DIGITS]}"


def json_line(data: Any) -> str:
    """One line of a JSON Lines file of the run folder."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _headline_counts(result: DocResult | None, headline: dict[str, str]) -> dict[str, Any]:
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


def document_stats(
    run: SystemRun | SystemRecords, report: Report, headline: dict[str, str]
) -> Iterator[dict[str, Any]]:
    """One row per document: whether the system failed on it, how much it predicted, its headline counts."""
    results: dict[str, DocResult] = {}
    for result in report.results:
        results.setdefault(result.doc_id, result)
    for record in run.records:
        mentions, entities, events, quotes = record.predicted
        yield {
            "doc_id": record.doc_id,
            "status": "ok" if record.failure is None else "failed",
            "failure": None if record.failure is None else record.failure.to_json(),
            "predicted": {"mentions": mentions, "entities": entities, "events": events, "quotes": quotes},
            "scores": _headline_counts(results.get(record.doc_id), headline),
        }


def failure_counts(run: SystemRun | SystemRecords) -> dict[str, int]:
    found = Counter(r.failure.kind for r in run.records if r.failure is not None)
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
    runs: Sequence[SystemRecords],
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
                "documents": len(run.records),
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


def check_file_names(names: Iterable[str]) -> None:
    """Refuse systems whose files would be one file on a case-insensitive file system."""
    clashes = fold_collisions(names)
    if clashes:
        first, second = clashes[0]
        raise NewsbenchError(
            f"systems {first!r} and {second!r} differ only in case: their files would be one file on a "
            "case-insensitive file system; rename one"
        )


def predictions_file(folder: Path, system: str) -> Path:
    """Where a run folder keeps a system's predictions."""
    return folder / "predictions" / f"{file_name(system)}.jsonl"


def report_folder(folder: Path, system: str) -> Path:
    """Where a run folder keeps a system's report (``errors.jsonl`` is written there as scoring goes)."""
    return folder / "reports" / file_name(system)


def write_run(
    folder: Path,
    spec: dict[str, Any],
    runs: Sequence[SystemRecords],
    reports: Sequence[Report],
    headline: dict[str, str],
    price: TokenPrice | None = None,
    comparison: Comparison | None = None,
) -> None:
    """Write the files of a run folder that come after scoring (see the module docstring; the predictions
    and each report's ``errors.jsonl`` are written as the run goes), and the comparison of its systems when
    there is one; each write is atomic."""
    check_file_names(run.system.name for run in runs)
    write_atomic(folder / SPEC_FILE, dumps_canonical(spec))
    failures: list[dict[str, Any]] = []
    for run, report in zip(runs, reports, strict=True):
        name = file_name(run.system.name)
        with replacing(folder / "documents" / f"{name}.jsonl") as tmp, tmp.open("w", encoding="utf-8") as out:
            out.writelines(json_line(row) for row in document_stats(run, report, headline))
        write_report(report, report_folder(folder, run.system.name), errors=None)
        failures += [
            {"system": run.system.name, "doc_id": r.doc_id, **r.failure.to_json()}
            for r in run.records
            if r.failure is not None
        ]
    write_atomic(folder / FAILURES_FILE, "".join(json_line(f) for f in failures))
    write_atomic(folder / SUMMARY_FILE, dumps_canonical(summary_json(spec, runs, reports, headline, price)))
    if comparison is not None:
        write_comparison(comparison, folder)
