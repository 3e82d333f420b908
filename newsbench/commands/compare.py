"""``newsbench compare --corpus GOLD PRED_A PRED_B …``: systems side by side with paired tests and tie groups."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.commands.score import add_executor_options, read_gold, scan_gold, scorer_from
from newsbench.commands.scoring import (
    ALL,
    add_gold_options,
    add_scoring_options,
    require_one_system,
    require_predictions,
    scoring_options,
    set_aside,
    split_hint,
)
from newsbench.corpus import MANIFEST, read_documents, tolerated_note
from newsbench.eval import compare
from newsbench.eval.metrics.scoring import PairScorer
from newsbench.eval.report.comparison import Comparison, compare_reports
from newsbench.eval.report.markdown import comparison_caveats, pct, ranking_rows
from newsbench.eval.report.write import write_comparison
from newsbench.eval.stats.significance import RANDOMIZATION_TRIALS
from newsbench.eval.streaming import pairing_problems, score_scanned
from newsbench.parallel import jobs_or_cores
from newsbench.problems import NewsbenchError, PredictionProblems, UsageError
from newsbench.scan import scan_all
from newsbench.table import text_table


def register(sub: Any) -> None:
    p = sub.add_parser("compare", help=SUMMARIES["compare"])
    add_gold_options(p, None, ALL)
    p.add_argument(
        "preds",
        nargs="+",
        type=Path,
        metavar="PRED",
        help="prediction folders or files; the first is the baseline",
    )
    p.add_argument(
        "--trials",
        type=int,
        default=RANDOMIZATION_TRIALS,
        help="approximate randomisation trials (default: 10000)",
    )
    add_scoring_options(p)
    add_executor_options(p)
    p.set_defaults(func=run)


def system_names(paths: list[Path]) -> list[str]:
    """A system is named by its file stem or folder name; by its path as given when two names clash."""
    short = [p.stem if p.is_file() else p.name for p in paths]
    counts = Counter(short)
    return [name if counts[name] == 1 else str(path) for name, path in zip(short, paths, strict=True)]


def run(args: argparse.Namespace) -> int:
    scorer = scorer_from(args)  # before reading anything: a missing extra is reported at once
    if len(args.preds) < 2:
        raise UsageError("compare needs at least two prediction sets")
    if args.trials < 1:
        raise UsageError(f"--trials must be at least 1, not {args.trials}")
    for path in args.preds:
        require_one_system(path)
    names = system_names(args.preds)
    if len(set(names)) != len(names):
        raise UsageError(f"the same prediction set is given twice: {', '.join(names)}")
    options = scoring_options(args)
    # Each system's predicted document ids, for the --split hint a partial prediction set gets.
    predicted: dict[str, list[str]] = {}
    if scorer is not None:
        comparison = _on_cluster(args, names, scorer, options, predicted)
    else:
        comparison = _streamed(args, names, options, predicted)
    # The files first: a reader that stops early (``| head``) closes stdout, and the report must not go too.
    written = write_comparison(comparison, args.out) if args.out is not None else []
    rows = []
    for mid, ranking in zip(comparison.metrics(), ranking_rows(comparison), strict=True):
        cells = []
        for name in names:
            totals = comparison.reports[name].totals.get(mid)
            cells.append("-" if totals is None else pct(totals.micro.f1))
        rows.append([*mid, *cells, ranking[-1]])
    print(
        text_table(["task", "metric", *(f"{name} F1 (%)" for name in names), "tie groups (best first)"], rows)
    )
    print()
    print(f"signature: {comparison.signature()}")
    grouped = (
        f"approximate randomisation, p < {comparison.alpha}"
        if comparison.ranked_by == "approximate_randomization"
        else "point F1 (too few documents for a test)"
    )
    print(f"baseline: {comparison.baseline}; groups: {grouped}")
    for title, text in comparison_caveats(comparison):
        print(f"note: {title.lower()}: {text}")
    hints = {split_hint(args, ids) for ids in predicted.values()}
    for hint in sorted(h for h in hints if h):
        print(f"note: {hint}")
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _streamed(
    args: argparse.Namespace, names: list[str], options: dict[str, Any], predicted: dict[str, list[str]]
) -> Comparison:
    """Every system scored from disk one document pair at a time (:mod:`newsbench.eval.streaming`); the
    paired tests need only the per-document statistics the reports keep."""
    gold = scan_gold(args)
    by_id = {item.id: item for item in gold if item.id is not None}
    systems = []
    for name, path in zip(names, args.preds, strict=True):
        pred = scan_all([path], prediction=True, skip=MANIFEST, jobs=jobs_or_cores(args.jobs))
        aside = set_aside(args, (str(item.id) for item in pred), name)
        pred = [item for item in pred if item.id not in aside]
        predicted[name] = [str(item.id) for item in pred]
        require_predictions(args, path, len(pred), len(gold))
        note = PredictionProblems.count(item.tolerated for item in pred).note()
        if note:
            print(f"note: {name}: {note}", file=sys.stderr)
        systems.append((name, pred))
    for _, pred in systems:
        NewsbenchError.collect(pairing_problems(by_id, pred))
    reports = [
        (name, score_scanned(gold, pred, label=f"scoring {name}", jobs=jobs_or_cores(args.jobs), **options))
        for name, pred in systems
    ]
    return compare_reports(reports, trials=args.trials)


def _on_cluster(
    args: argparse.Namespace,
    names: list[str],
    scorer: PairScorer,
    options: dict[str, Any],
    predicted: dict[str, list[str]],
) -> Comparison:
    """Scoring on a Dask cluster: the documents are read into memory and shipped to it."""
    gold = read_gold(args)
    systems = []
    locations = {}
    for name, path in zip(names, args.preds, strict=True):
        loaded = read_documents([path], prediction=True)
        aside = set_aside(args, (item.document.id for item in loaded), name)
        loaded = [item for item in loaded if item.document.id not in aside]
        predicted[name] = [item.document.id for item in loaded]
        require_predictions(args, path, len(loaded), len(gold))
        note = tolerated_note(loaded)
        if note:
            print(f"note: {name}: {note}", file=sys.stderr)
        systems.append((name, [item.document for item in loaded]))
        locations[name] = {item.document.id: item.file for item in loaded}
    return compare(gold, systems, trials=args.trials, locations=locations, scorer=scorer, **options)
