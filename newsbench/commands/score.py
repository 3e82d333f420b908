"""``newsbench score --gold GOLD --pred PRED``: score one system, print a summary, write the reports."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import MANIFEST, document_root, read_documents
from newsbench.eval import score
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.eval.metrics.scoring import PairScorer, make_options
from newsbench.eval.report.errors_file import ERROR_MODES, ERRORS_FILE, SAMPLE_PER_GROUP, errors_file
from newsbench.eval.report.markdown import HEADLINE_HEADER, caveats, headline_rows
from newsbench.eval.report.report import Report
from newsbench.eval.report.write import write_report
from newsbench.eval.streaming import pairing_problems, score_scanned
from newsbench.problems import NewsbenchError, PredictionProblems
from newsbench.scan import scan_all
from newsbench.table import text_table

DEFAULTS = ScoreOptions()


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def add_scoring_arguments(p: argparse.ArgumentParser) -> None:
    """The options shared by ``score`` and ``compare``: every field of ScoreOptions."""
    p.add_argument("--gold", type=Path, required=True, help="gold corpus folder or document file")
    p.add_argument(
        "--tasks", type=_names, default=DEFAULTS.tasks, help=f"comma list (default: {','.join(TASKS)})"
    )
    p.add_argument(
        "--mention-kinds",
        type=_names,
        default=DEFAULTS.mention_kinds,
        help="entity mention kinds to score, comma list of NAM,NOM,PRO (default: NAM)",
    )
    p.add_argument(
        "--overlap",
        type=float,
        default=DEFAULTS.overlap,
        help="least fraction of a gold span a prediction must cover in lenient modes (default: 0 = any)",
    )
    p.add_argument(
        "--partial",
        choices=("half", "graded"),
        default=DEFAULTS.partial_credit,
        help="credit of a partial match in the partial mode: half, or graded by character-overlap F1 "
        f"(default: {DEFAULTS.partial_credit})",
    )
    p.add_argument(
        "--args",
        choices=("exact", "overlap", "coref"),
        default=DEFAULTS.argument_match,
        help="how a predicted event argument matches a gold one: exact spans, overlapping spans, or coref "
        f"(a mention of the gold argument's entity) (default: {DEFAULTS.argument_match})",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=DEFAULTS.bootstrap,
        help=f"bootstrap resamples (0 = none; default: {DEFAULTS.bootstrap})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=DEFAULTS.seed,
        help=f"random seed for resampling (default: {DEFAULTS.seed})",
    )
    p.add_argument("--out", type=Path, help="folder for the report files (default: print only)")
    p.add_argument(
        "--executor",
        choices=("inline", "dask"),
        default="inline",
        help="where documents are scored: inline (this process, default) or dask (a Dask cluster; "
        "pip install 'newsbench[dask]'); the report is the same bytes either way",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler for --executor dask (e.g. tcp://host:8786); default: a local cluster",
    )


def scorer_from(args: argparse.Namespace) -> PairScorer | None:
    """The Dask scorer ``--executor dask`` (or ``--scheduler``) asks for; None scores in this process."""
    if args.executor != "dask" and args.scheduler is None:
        return None
    if importlib.util.find_spec("distributed") is None:
        raise NewsbenchError("--executor dask: Dask is not installed: pip install 'newsbench[dask]'")
    from newsbench.eval.metrics.distributed import DaskScorer

    return DaskScorer(args.scheduler)


def scoring_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "tasks": args.tasks,
        "mention_kinds": args.mention_kinds,
        "overlap": args.overlap,
        "partial_credit": args.partial,
        "argument_match": args.args,
        "bootstrap": args.bootstrap,
        "seed": args.seed,
    }


def register(sub: Any) -> None:
    p = sub.add_parser("score", help=SUMMARIES["score"])
    add_scoring_arguments(p)
    p.add_argument("--pred", type=Path, required=True, help="prediction folder or document file")
    p.add_argument(
        "--errors",
        choices=ERROR_MODES,
        default="sample",
        help=f"what errors.jsonl (with --out) holds: every error, the first {SAMPLE_PER_GROUP} of each task, "
        "metric and kind (default: sample), or nothing",
    )
    p.set_defaults(func=run)


def _in_memory(args: argparse.Namespace, scorer: PairScorer) -> Report:
    """Scoring on a cluster: the documents are read into memory and shipped to it."""
    gold = [item.document for item in read_documents([document_root(args.gold)], prediction=False)]
    loaded = read_documents([args.pred], prediction=True)
    report = score(
        gold,
        [item.document for item in loaded],
        locations={item.document.id: item.file for item in loaded},
        collect_errors=args.out is not None and args.errors != "none",
        scorer=scorer,
        prediction_problems=PredictionProblems.count(item.tolerated for item in loaded),
        **scoring_options(args),
    )
    _summary(report)
    if args.out is not None:
        _wrote(write_report(report, args.out, args.errors))
    return report


def _summary(report: Report) -> None:
    print(text_table(HEADLINE_HEADER, headline_rows(report)))
    print()
    print(f"signature: {report.signature}")
    for title, text in caveats(report):
        print(f"note: {title.lower()}: {text}")
    if report.missing:
        print(f"note: {len(report.missing)} gold document(s) had no prediction and count as empty")


def _wrote(paths: list[Path]) -> None:
    for path in paths:
        print(f"wrote {path}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Documents are read one at a time and only their statistics kept (:mod:`newsbench.eval.streaming`);
    errors.jsonl is written as scoring goes."""
    scorer = scorer_from(args)  # before reading anything: a missing extra is reported at once
    if scorer is not None:
        _in_memory(args, scorer)
        return 0
    gold = scan_all([document_root(args.gold)], prediction=False, skip=MANIFEST)
    pred = scan_all([args.pred], prediction=True, skip=MANIFEST)
    # Every check that can refuse the input runs before the errors file is opened (which creates --out).
    make_options(**scoring_options(args))
    NewsbenchError.collect(pairing_problems({g.id: g for g in gold if g.id is not None}, pred))
    mode = args.errors if args.out is not None else "none"
    target = (args.out or Path(".")) / ERRORS_FILE
    with errors_file(target, mode) as sink:
        report = score_scanned(gold, pred, errors=sink, **scoring_options(args))
        _summary(report)
        if args.out is not None:
            _wrote(write_report(report, args.out, errors=None))
    if sink is not None:
        print(f"wrote {target}", file=sys.stderr)
        print(f"note: {sink.summary()}", file=sys.stderr)
    return 0
