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

from newsbench.cachedir import cache_root
from newsbench.cachestore import keep_bounded
from newsbench.commands.help import SUMMARIES, description
from newsbench.commands.scoring import add_gold_options, add_scoring_options, score_options, split_of
from newsbench.corpus import is_corpus
from newsbench.eval.bench.benchmark import CorpusRun, RunSettings, prepare_systems, run_corpus, training_split
from newsbench.eval.bench.cost import COST_HEADER, TokenPrice, cost_row, system_cost
from newsbench.eval.bench.runfolder import failure_counts, headline_scores
from newsbench.eval.bench.suite import load_suite
from newsbench.eval.report.markdown import pct
from newsbench.eval.run.cache import PredictionCache, default_dir
from newsbench.eval.run.dask_executor import DaskExecutor, dask_missing
from newsbench.eval.run.executors import Executor, InProcess, ProcessPool
from newsbench.eval.run.gold import corpus_split
from newsbench.eval.run.runner import Work
from newsbench.problems import NewsbenchError, Problem, UsageError
from newsbench.registry import discover, get_system
from newsbench.table import text_table
from newsbench.wording import counted

NOT_ATTEMPTED = "not attempted"
"""The cell of a task a system declares it does not attempt (crf: events, quotes): n/a, never 0."""
PARTIAL = 3
"""Exit status of a run in which some documents failed for some system (the rest was run and scored)."""
DEFAULT_TIMEOUT = 300.0
EXECUTORS = ("inline", "pool", "dask")


def add_run_options(p: argparse.ArgumentParser, timeout_default: str) -> None:
    """Options shared by ``run`` and ``bench``: where results go and how the work is done."""
    p.add_argument("--out", type=Path, default=Path("runs"), help="folder for run folders (default: runs)")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="documents extracted in parallel processes, and each system's predictions scored in that many "
        "local processes, also with --executor dask (default: 1); the run folder is the same bytes",
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
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="where documents are extracted: inline (this process; a third-party plug-in in a forked copy), pool (--jobs local processes) or dask "
        "(a Dask cluster; pip install 'newsbench[dask]'); default: inline, or pool with --jobs/--timeout",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use with --executor dask (e.g. tcp://host:8786); default: a local cluster "
        "of --jobs workers",
    )
    p.add_argument(
        "--token-price",
        metavar="PROMPT,COMPLETION",
        type=_price,
        help="price per million prompt and completion tokens, for the cost column (e.g. 0.15,0.60)",
    )
    p.add_argument(
        "--endpoint-calls",
        type=int,
        metavar="N",
        help="with --executor dask: at most N extractions by endpoint-calling systems (llm) at once, "
        "across the whole cluster",
    )


def _price(text: str) -> TokenPrice:
    try:
        return TokenPrice.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def settings_from(args: argparse.Namespace, timeout_default: float | None) -> RunSettings:
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    timeout = timeout_default if args.timeout is None else args.timeout
    if timeout is not None and timeout < 0:
        raise UsageError(f"--timeout must be positive (or 0 for no limit), not {timeout:g}")
    cache = None if args.no_cache else PredictionCache(args.cache or default_dir())
    return RunSettings(
        cache=cache,
        jobs=args.jobs,
        timeout=timeout or None,
        executor=executor_from(args, timeout or None),
        token_price=args.token_price,
    )


def executor_from(args: argparse.Namespace, timeout: float | None) -> Executor | None:
    """The executor the options name; None leaves the choice to ``--jobs`` and ``--timeout``."""
    kind = args.executor or ("dask" if args.scheduler else None)
    if kind != "dask" and (args.scheduler or args.endpoint_calls is not None):
        raise UsageError("--scheduler and --endpoint-calls need --executor dask")
    if args.endpoint_calls is not None and args.endpoint_calls < 1:
        raise UsageError(f"--endpoint-calls must be at least 1, not {args.endpoint_calls}")
    if kind == "inline":
        if args.timeout:  # asked for explicitly: a limit that would be silently ignored is refused instead
            raise UsageError(
                f"--timeout {args.timeout:g}: --executor inline extracts one document after another with no "
                "time limit; use --executor pool to stop a document after a time, or --timeout 0"
            )
        return InProcess()
    if kind == "pool":
        return ProcessPool(args.jobs, timeout)
    if kind == "dask":
        missing = dask_missing()
        if missing is not None:
            raise NewsbenchError(f"--executor dask: {missing}")
        return DaskExecutor(
            args.scheduler, workers=max(2, args.jobs), endpoint_calls=args.endpoint_calls, timeout=timeout
        )
    return None


def report_work(work: Work, folder: Path) -> None:
    """Where predictions came from, on stderr: it differs between runs, so it is never in the run folder."""
    note = f"{counted(work.cached, 'prediction')} from cache, {work.extracted} extracted"
    if work.unreadable_cache_entries:
        note += f"; {counted(work.unreadable_cache_entries, 'unreadable cache entry', 'unreadable cache entries')} recomputed"
    if work.unwritable_cache_entries:
        note += f"; {work.unwritable_cache_entries} predictions could not be cached"
    print(note, file=sys.stderr)
    print(f"run folder: {folder}", file=sys.stderr)


def bound_caches(settings: RunSettings) -> None:
    """Keep every cache a run writes under its size bound (:func:`newsbench.cachestore.keep_bounded`)."""
    from newsbench.baselines.llm.cache import default_cache_dir

    roots = [cache_root(), default_cache_dir()]
    if settings.cache is not None:
        roots.append(settings.cache.root)
    resolved = [r.resolve() for r in roots]
    chosen = [r for r in dict.fromkeys(resolved) if not any(o != r and o in r.parents for o in resolved)]
    deleted, freed = keep_bounded(chosen)
    if deleted:
        print(
            f"cache: removed {counted(deleted, 'file')} ({counted(freed, 'byte')}) to stay under the size bound",
            file=sys.stderr,
        )


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
    add_gold_options(p, Path("corpus"), "test")
    add_scoring_options(p)
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
            [run.system.name, run.system.version, len(run.records), failed]
            + [
                NOT_ATTEMPTED if t not in run.system.tasks else pct(scores[t]["f1"]) if t in scores else "-"
                for t in tasks
            ]
        )
    header = ["system", "version", "docs", "failed"] + [f"{t} {headline[t]} F1 (%)" for t in tasks]
    return text_table(header, rows)


def cost_table(result: CorpusRun, price: TokenPrice | None) -> str:
    """Per system: failures, unparsed answers, strings located, tokens, wall time and cost (n/a: none)."""
    rows = [cost_row(run.system.name, system_cost(run, price)) for run in result.runs]
    return text_table(COST_HEADER, rows)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, DEFAULT_TIMEOUT)
    # only the systems named are loaded: a broken plug-in elsewhere cannot stop this run
    entries = discover(only=args.systems)
    chosen = [get_system(name, entries) for name in args.systems]
    NewsbenchError.collect(
        Problem("-", None, "$", f"system {e.name} is not available: {e.availability.reason}")
        for e in chosen
        if not e.available
    )
    options = score_options(args)
    split = split_of(args)
    # Each document is checked now and read again from its file when the run needs it: the corpus's lock
    # is held while it is scanned (an add adds files, never changes one the run has seen).
    gold = corpus_split(args.corpus, split)
    if split is not None and not is_corpus(args.corpus):
        raise NewsbenchError(f"--split {split}: {args.corpus} has no manifest, so no splits; use --split all")
    extractors, skipped = prepare_systems(chosen, training_split(args.corpus, split, chosen))
    NewsbenchError.collect(
        Problem("-", None, "$", f"system {s.name} cannot run: {s.reason}") for s in skipped
    )
    headline = {task: metric for task, metric in load_suite().headline.items() if task in options.tasks}
    name = args.corpus.resolve().name
    result = run_corpus(extractors, gold, args.out, (name, split), options, settings, headline)
    print(summary_table(result, headline))
    print()
    print(cost_table(result, args.token_price))
    report_work(result.work, result.folder)
    bound_caches(settings)
    if result.partial:
        print("the run is partial: see failures.jsonl in the run folder", file=sys.stderr)
        return PARTIAL
    return 0
