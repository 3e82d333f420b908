"""``newsbench run SYSTEM…``: run systems over a corpus split into a run folder, scored and summarised.

Exit status: 0 when every system produced a valid prediction for every document; 3 when the run is
partial -- some (system, document) raised, hung past ``--timeout`` or returned an invalid prediction; those
documents are scored as empty predictions and listed in ``failures.jsonl`` -- and 1 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES, description
from newsbench.corpus import SPLITS, load_corpus
from newsbench.eval.bench.benchmark import CorpusRun, RunSettings, prepare_systems, run_corpus
from newsbench.eval.bench.runfolder import failure_counts, headline_scores
from newsbench.eval.bench.suite import load_suite
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.markdown import pct
from newsbench.eval.run.cache import PredictionCache, default_dir
from newsbench.eval.run.runner import Work
from newsbench.problems import NewsbenchError, Problem
from newsbench.registry import discover, get_system
from newsbench.table import text_table

PARTIAL = 3
"""Exit status of a run in which some documents failed for some system (the rest was run and scored)."""
DEFAULT_TIMEOUT = 300.0
ALL = "all"


def add_run_options(p: argparse.ArgumentParser, timeout_default: str) -> None:
    """Options shared by ``run`` and ``bench``: where results go and how the work is done."""
    p.add_argument("--out", type=Path, default=Path("runs"), help="folder for run folders (default: runs)")
    p.add_argument(
        "--jobs", type=int, default=1, help="documents extracted in parallel processes (default: 1)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        help=f"seconds one document may take before it is stopped and recorded as failed ({timeout_default}; "
        "0 = no limit)",
    )
    p.add_argument(
        "--cache",
        type=Path,
        help="prediction cache folder (default: $NEWSBENCH_CACHE/predictions or .cache/newsbench/predictions)",
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write cached predictions")


def settings_from(args: argparse.Namespace, timeout_default: float | None) -> RunSettings:
    if args.jobs < 1:
        raise NewsbenchError(f"--jobs must be at least 1, not {args.jobs}")
    timeout = timeout_default if args.timeout is None else args.timeout
    if timeout is not None and timeout < 0:
        raise NewsbenchError(f"--timeout must be positive (or 0 for no limit), not {timeout:g}")
    cache = None if args.no_cache else PredictionCache(args.cache or default_dir())
    return RunSettings(cache=cache, jobs=args.jobs, timeout=timeout or None)


def report_work(work: Work, folder: Path) -> None:
    """Where predictions came from, on stderr: it differs between runs, so it is never in the run folder."""
    note = f"{work.cached} prediction(s) from cache, {work.extracted} extracted"
    if work.unreadable_cache_entries:
        note += f"; {work.unreadable_cache_entries} unreadable cache entries recomputed"
    if work.unwritable_cache_entries:
        note += f"; {work.unwritable_cache_entries} predictions could not be cached"
    print(note, file=sys.stderr)
    print(f"run folder: {folder}", file=sys.stderr)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help=SUMMARIES["run"],
        description=description(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "systems", nargs="+", metavar="SYSTEM", help="registered system names (see newsbench systems)"
    )
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    p.add_argument(
        "--split",
        choices=(*SPLITS, ALL),
        default="test",
        help="split to run on (default: test; all = every document)",
    )
    add_run_options(p, f"default {DEFAULT_TIMEOUT:g}")
    p.set_defaults(func=run)


def summary_table(result: CorpusRun, headline: dict[str, str]) -> str:
    tasks = list(headline)
    rows = []
    for run, report in zip(result.runs, result.reports, strict=True):
        scores = headline_scores(report, headline)
        counts = failure_counts(run)
        failed = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "0"
        rows.append(
            [run.system.name, run.system.version, len(run.outcomes), failed]
            + [pct(scores[t]["f1"]) if t in scores else "-" for t in tasks]
        )
    header = ["system", "version", "docs", "failed"] + [f"{t} {headline[t]} F1 (%)" for t in tasks]
    return text_table(header, rows)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, DEFAULT_TIMEOUT)
    entries = discover()
    chosen = [get_system(name, entries) for name in args.systems]
    NewsbenchError.collect(
        Problem("-", None, "$", f"system {e.name} is not available: {e.availability.reason}")
        for e in chosen
        if not e.available
    )
    corpus = load_corpus(args.corpus)
    if args.split != ALL and not corpus.splits:
        raise NewsbenchError(f"{args.corpus} has no manifest, so no splits; use --split all")
    split = None if args.split == ALL else args.split
    extractors, skipped = prepare_systems(chosen, corpus.split("train") if split != "train" else [])
    NewsbenchError.collect(
        Problem("-", None, "$", f"system {s.name} cannot run: {s.reason}") for s in skipped
    )
    headline = load_suite().headline
    name = args.corpus.resolve().name
    result = run_corpus(
        extractors, corpus.split(split), args.out, (name, split), ScoreOptions(), settings, headline
    )
    print(summary_table(result, headline))
    report_work(result.work, result.folder)
    if result.partial:
        print("the run is partial: see failures.jsonl in the run folder", file=sys.stderr)
        return PARTIAL
    return 0
