"""Evaluation: score a system's predictions against gold, or compare several systems with paired tests.

``score(gold_docs, pred_docs, **options)`` gives the same :class:`Report` (and so the same numbers) as
``newsbench score``; ``compare(gold_docs, [(name, pred_docs), …], **options)`` the same
:class:`Comparison` as ``newsbench compare``. Options are the fields of :class:`ScoreOptions`.

Error records are not built while scoring unless ``collect_errors=True``: a report finds them on first use
of ``Report.errors`` by scoring its documents again. A caller that will write the error outputs anyway
(``errors.jsonl``, ``report.html``) saves that second pass by asking for them up front; the numbers and
the files are the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsbench.eval.metrics.aggregate import metric_totals
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.scoring import (
    PRED_SOURCE,
    PairScorer,
    make_options,
    pair_documents,
    score_pairs,
)
from newsbench.eval.metrics.stat_arrays import StatArrays
from newsbench.eval.report.comparison import Comparison, compare_reports
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import bootstrap_intervals
from newsbench.eval.stats.signature import documents_hash, make_signature
from newsbench.eval.stats.significance import RANDOMIZATION_TRIALS
from newsbench.model import Document
from newsbench.problems import PredictionProblems

__all__ = ["compare", "score"]


def _score(
    gold_docs: Sequence[Document],
    pred_docs: Sequence[Document],
    options: ScoreOptions,
    suite_hash: str | None,
    source: str,
    gold_hash: str,
    locations: Mapping[str, str] | None,
    collect_errors: bool,
    scorer: PairScorer | None = None,
    label: str = "",
    prediction_problems: PredictionProblems | None = None,
) -> Report:
    pairs = pair_documents(gold_docs, pred_docs, source, locations)
    results = score_pairs(pairs, options, collect_errors, scorer, f"scoring {label or source}")
    stats = StatArrays.of(results)
    sums = stats.sums()
    return Report(
        signature=make_signature(gold_hash, documents_hash(pred_docs), options, suite_hash),
        options=options,
        totals=metric_totals(sums),
        intervals=bootstrap_intervals(stats, sorted(sums), options.bootstrap, options.seed),
        gold_documents=len(pairs.gold),
        predicted_documents=len(pred_docs),
        missing=tuple(pairs.missing),
        suite_hash=suite_hash,
        results=results,
        pairs=pairs,
        collected=collect_errors,
        prediction_problems=prediction_problems,
    )


def score(
    gold_docs: Sequence[Document],
    pred_docs: Sequence[Document],
    *,
    suite_hash: str | None = None,
    locations: Mapping[str, str] | None = None,
    collect_errors: bool = False,
    scorer: PairScorer | None = None,
    label: str = "",
    prediction_problems: PredictionProblems | None = None,
    **options: Any,
) -> Report:
    """Score predictions against gold.

    ``suite_hash`` (a benchmark suite's SHA-256) joins the signature; ``locations`` (prediction id -> file)
    lets error messages name the file a bad prediction came from; ``collect_errors`` builds the error
    records while scoring rather than on first use; ``scorer`` computes the per-document statistics
    elsewhere (:class:`newsbench.eval.metrics.distributed.DaskScorer`), giving the same report; ``label``
    names the system on the progress bar (on a terminal); ``prediction_problems`` are the predictions'
    mistakes found when they were read, for the report (null there when not given: documents passed in
    memory were not checked here).
    """
    checked = make_options(**options)
    return _score(
        gold_docs,
        pred_docs,
        checked,
        suite_hash,
        PRED_SOURCE,
        documents_hash(gold_docs),
        locations,
        collect_errors,
        scorer,
        label,
        prediction_problems,
    )


def compare(
    gold_docs: Sequence[Document],
    systems: Sequence[tuple[str, Sequence[Document]]],
    *,
    suite_hash: str | None = None,
    trials: int = RANDOMIZATION_TRIALS,
    locations: Mapping[str, Mapping[str, str]] | None = None,
    collect_errors: bool = False,
    scorer: PairScorer | None = None,
    **options: Any,
) -> Comparison:
    """Score every system, then test every pair; the first system is the baseline.

    ``locations`` maps a system name to its prediction id -> file map, for error messages;
    ``collect_errors`` and ``scorer`` are as for :func:`score`.
    """
    checked = make_options(**options)
    gold_hash = documents_hash(gold_docs)
    where = locations or {}
    reports = [
        (
            name,
            _score(
                gold_docs, docs, checked, suite_hash, name, gold_hash, where.get(name), collect_errors, scorer
            ),
        )
        for name, docs in systems
    ]
    return compare_reports(reports, trials=trials)
