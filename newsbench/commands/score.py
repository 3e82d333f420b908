"""``newsbench score --corpus GOLD PRED``: score one system, print a summary, write the reports."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.commands.scoring import (
    ALL,
    add_gold_options,
    add_scoring_options,
    require_one_system,
    require_predictions,
    scoring_options,
    set_aside,
    split_hint,
    split_of,
)
from newsbench.corpus import MANIFEST, is_corpus, load_corpus, read_documents, scan_corpus
from newsbench.eval import score
from newsbench.eval.metrics.scoring import PairScorer, make_options
from newsbench.eval.report.errors_file import (
    ERROR_MODES,
    ERRORS_FILE,
    SAMPLE_PER_GROUP,
    RecordsFile,
    errors_file,
)
from newsbench.eval.report.markdown import HEADLINE_HEADER, caveats, headline_rows, missing_text
from newsbench.eval.report.report import Report
from newsbench.eval.report.write import write_report
from newsbench.eval.streaming import pairing_problems, score_scanned
from newsbench.model import Document
from newsbench.parallel import jobs_option, jobs_or_cores
from newsbench.problems import NewsbenchError, PredictionProblems, UsageError
from newsbench.scan import BATCH, Scanned, scan_all
from newsbench.table import text_table


def add_executor_options(p: argparse.ArgumentParser) -> None:
    """``--out``, ``--executor`` and ``--scheduler`` of ``score`` and ``compare``."""
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
    p.add_argument(
        "--jobs",
        type=jobs_option,
        metavar="N",
        help="read, check and score documents in N processes (0, and the default on Linux: one per core; "
        f"input of {BATCH} documents or fewer stays in one process); the report is the same bytes",
    )


def read_gold(args: argparse.Namespace) -> list[Document]:
    """The gold documents ``--corpus`` and ``--split`` name: a corpus folder's documents (those its manifest
    lists, not its agreement annotations), of one split if asked; any other folder or file as it is."""
    split = _corpus_split(args)
    if is_corpus(Path(args.corpus)):
        return load_corpus(args.corpus).split(split)
    return [item.document for item in read_documents([args.corpus], prediction=False)]


def scan_gold(args: argparse.Namespace) -> list[Scanned]:
    """:func:`read_gold` keeping no document: where each one is, checked."""
    split = _corpus_split(args)
    if is_corpus(Path(args.corpus)):
        return scan_corpus(args.corpus, split, jobs=jobs_or_cores(args.jobs))
    return scan_all([args.corpus], prediction=False, skip=MANIFEST, jobs=jobs_or_cores(args.jobs))


def _corpus_split(args: argparse.Namespace) -> str | None:
    """The split ``--split`` asks for; refused for a folder or file without a manifest, which has none."""
    split = split_of(args)
    if split is not None and not is_corpus(Path(args.corpus)):
        raise NewsbenchError(f"--split {split}: {args.corpus} has no manifest, so no splits; use --split all")
    return split


def scorer_from(args: argparse.Namespace) -> PairScorer | None:
    """The Dask scorer ``--executor dask`` (or ``--scheduler``) asks for; None scores in this process."""
    if args.executor != "dask" and args.scheduler is None:
        return None
    if args.jobs is not None and args.jobs > 1:
        raise UsageError(
            f"--jobs {args.jobs} scores in local processes; --executor dask scores on the cluster's workers"
        )
    if importlib.util.find_spec("distributed") is None:
        raise NewsbenchError("--executor dask: Dask is not installed: pip install 'newsbench[dask]'")
    from newsbench.eval.metrics.distributed import DaskScorer

    return DaskScorer(args.scheduler)


def register(sub: Any) -> None:
    p = sub.add_parser("score", help=SUMMARIES["score"])
    add_gold_options(p, None, ALL)
    p.add_argument("pred", nargs="?", type=Path, metavar="PRED", help="prediction folder or document file")
    p.add_argument("--pred", dest="pred_option", type=Path, help=argparse.SUPPRESS)  # the older spelling
    add_scoring_options(p)
    add_executor_options(p)
    p.add_argument(
        "--errors",
        choices=ERROR_MODES,
        default="sample",
        help=f"what errors.jsonl (with --out) holds: every error, the first {SAMPLE_PER_GROUP} of each task, "
        "layer and reason (default: sample), or nothing",
    )
    p.set_defaults(func=run)


def prediction_path(args: argparse.Namespace) -> Path:
    """PRED, given as the positional argument (as ``compare`` takes them) or with the older ``--pred``."""
    if (args.pred is None) == (args.pred_option is None):
        raise UsageError("score takes one prediction folder or file: PRED (or --pred PRED)")
    return Path(args.pred if args.pred is not None else args.pred_option)


def _summary(report: Report, args: argparse.Namespace, predicted: list[str]) -> None:
    print(text_table(HEADLINE_HEADER, headline_rows(report)))
    print()
    print(f"signature: {report.signature}")
    for title, text in caveats(report):
        print(f"note: {title.lower()}: {text}")
    if report.missing:
        print(f"note: {missing_text(report.missing)}")
        hint = split_hint(args, predicted)
        if hint:
            print(f"note: {hint}")


def _wrote(paths: list[Path]) -> None:
    for path in paths:
        print(f"wrote {path}", file=sys.stderr)


def _on_cluster(args: argparse.Namespace, scorer: PairScorer) -> None:
    """Scoring on a Dask cluster: the documents are read into memory and shipped to it."""
    options = scoring_options(args)
    gold = read_gold(args)
    pred_path = prediction_path(args)
    require_one_system(pred_path)
    loaded = read_documents([pred_path], prediction=True)
    aside = set_aside(args, (item.document.id for item in loaded))
    loaded = [item for item in loaded if item.document.id not in aside]
    require_predictions(args, pred_path, len(loaded), len(gold))
    report = score(
        gold,
        [item.document for item in loaded],
        locations={item.document.id: item.file for item in loaded},
        collect_errors=args.out is not None and args.errors != "none",
        scorer=scorer,
        label=pred_path.stem if pred_path.is_file() else pred_path.name,
        prediction_problems=PredictionProblems.count(item.tolerated for item in loaded),
        **options,
    )
    # The files first: a reader that stops early (``| head``) closes stdout, and the report must not go too.
    written = write_report(report, args.out, args.errors) if args.out is not None else []
    _summary(report, args, [item.document.id for item in loaded])
    _wrote(written)


def run(args: argparse.Namespace) -> int:
    """Documents are read one at a time and only their statistics kept (:mod:`newsbench.eval.streaming`);
    errors.jsonl is written as scoring goes."""
    scorer = scorer_from(args)  # before reading anything: a missing extra is reported at once
    if scorer is not None:
        _on_cluster(args, scorer)
        return 0
    options = scoring_options(args)
    gold = scan_gold(args)
    pred_path = prediction_path(args)
    require_one_system(pred_path)
    pred = scan_all([pred_path], prediction=True, skip=MANIFEST, jobs=jobs_or_cores(args.jobs))
    aside = set_aside(args, (str(item.id) for item in pred))
    pred = [item for item in pred if item.id not in aside]
    require_predictions(args, pred_path, len(pred), len(gold))
    # Every check that can refuse the input runs before the errors file is opened (which creates --out).
    make_options(**options)
    NewsbenchError.collect(pairing_problems({g.id: g for g in gold if g.id is not None}, pred))
    mode = args.errors if args.out is not None else "none"
    target = (args.out or Path(".")) / ERRORS_FILE
    label = pred_path.stem if pred_path.is_file() else pred_path.name
    # Every error of --errors all goes to the file only; the pages read them back from it once it is written.
    with errors_file(target, mode, keep=mode != "all") as sink:
        report = score_scanned(
            gold, pred, errors=sink, label=f"scoring {label}", jobs=jobs_or_cores(args.jobs), **options
        )
    if sink is not None and mode == "all":
        report = replace(report, kept_records=RecordsFile(target, sink.written))
    # The files first: a reader that stops early (``| head``) closes stdout, and the report must not go too.
    written = write_report(report, args.out, errors=None) if args.out is not None else []
    _summary(report, args, [str(item.id) for item in pred])
    _wrote(written)
    if sink is not None:
        print(f"wrote {target}", file=sys.stderr)
        print(f"note: {sink.summary()}", file=sys.stderr)
    return 0
