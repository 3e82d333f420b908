"""The score report: totals, intervals and notes for one system, and its canonical JSON form.

``to_json`` is what ``report.json`` holds. Its key paths are fixed so scripts can rely on them
(``tasks.<task>.<metric>.micro.f1``, ``….per_type.<TYPE>…``, ``….macro…``, ``….ci95.f1``), every float is
rounded to 6 decimals and nothing depends on the clock, so scoring the same inputs with the same options
gives the same bytes. A number that is not applicable (a division by zero: precision with nothing
predicted, recall with no gold, F1 with neither) is ``null``, never 0, and its key path is listed under
``zero_division``; a task the gold does not annotate at all is left empty and listed under ``not_scored``
with the reason, so no system, oracle included, shows a score for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from newsbench.eval.metrics.aggregate import MetricId, MetricTotals
from newsbench.eval.metrics.catalog import display_key, label_field
from newsbench.eval.metrics.confusion import Confusion
from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult, ErrorRecord, StatKey
from newsbench.eval.metrics.scoring import Pairs, score_pairs
from newsbench.eval.report.analysis import confusion_json, confusions, per_document_json
from newsbench.eval.report.errors import corpus_errors, sorted_errors
from newsbench.eval.stats.bootstrap import CONFIDENCE, Interval
from newsbench.eval.stats.sample import small_sample_note
from newsbench.jsonio import dumps_canonical
from newsbench.problems import PredictionProblems
from newsbench.wording import counted

DECIMALS = 6
SEMEVAL_MODES = ("strict", "exact", "type", "partial")
"""Entity modes that also report the SemEval-2013 categories COR, INC, PAR, MIS and SPU."""

JSON = dict[str, Any]

CODE_POINT_METRICS = {("quotes", "content_overlap"): ("quotes", "content_exact")}
"""Metrics whose credit and totals count code points, not items -> the metric over the same items, whose
gold and predicted counts are the item counts shown beside them (gold quotes by type are the same in both;
predicted quotes by type are counted as ``content_exact`` counts them). The code point totals are reported
as ``gold_code_points`` and ``predicted_code_points``, so no item-count column ever holds characters."""


def number(value: float | None) -> float | int | None:
    """Rounded to 6 decimals; whole numbers as integers, and never ``-0``, so output bytes are stable.

    ``None`` (not applicable) stays ``None``.
    """
    if value is None:
        return None
    rounded = round(float(value), DECIMALS) + 0.0
    return int(rounded) if rounded.is_integer() else rounded


@dataclass(frozen=True)
class ScoreRow:
    """One metric's headline numbers: fractions (``None`` when not applicable) and item counts.

    ``unreliable`` is true when the report rests on fewer gold documents than
    :data:`~newsbench.eval.stats.sample.MIN_RELIABLE_DOCUMENTS`: the interval (if any) is then not to be
    trusted (:attr:`Report.small_sample` says why).
    """

    task: str
    metric: str
    precision: float | None
    recall: float | None
    f1: float | None
    ci_low: float | None
    ci_high: float | None
    gold: int
    predicted: int
    unreliable: bool = False


@dataclass(frozen=True)
class Report:
    """Everything ``score`` found for one system on one gold set.

    ``results`` (per-document statistics, in gold id order) are kept for paired tests; ``errors`` for the
    error outputs. Neither is part of ``report.json``. Scoring builds no error records (they were a fifth
    of its time and most callers want numbers only), so unless ``collected`` says the ``results`` carry
    their errors, ``errors`` rescores the kept ``pairs`` with errors on, once, on first use. A report
    made without pairs takes its errors from its ``results``. ``pairs`` (whose gold texts give each error
    its sentence) and ``collected`` are means, not findings: they are left out of equality, ``repr`` and
    the JSON.
    """

    signature: str
    options: ScoreOptions
    totals: dict[MetricId, MetricTotals]
    intervals: dict[StatKey, Interval]
    gold_documents: int
    predicted_documents: int
    missing: tuple[str, ...] = ()
    suite_hash: str | None = None
    results: list[DocResult] = field(default_factory=list, repr=False)
    pairs: Pairs | None = field(default=None, repr=False, compare=False)
    not_attempted: tuple[str, ...] = ()
    """Tasks the system declares it does not attempt (``run`` and ``bench`` know the declaration): left out
    of the tables and averages like a task not scored, and named as not attempted, never shown as 0."""
    prediction_problems: PredictionProblems | None = None
    """The predictions' mistakes that were scored as given (unallowed roles, clusters mixing types …), as
    found when they were read; None when the caller passed documents without saying (``null`` in the JSON)."""
    kept_records: Sequence[JSON] | None = field(default=None, repr=False, compare=False)
    """Set by streaming scoring, which writes errors.jsonl as it goes and keeps only what it wrote (all, or
    the sample ``--errors`` chose) for the HTML page, or a view that reads them back from the file; ``error_count`` is then how many errors there were."""
    error_count: int | None = field(default=None, repr=False, compare=False)
    error_groups: dict[Any, int] | None = field(default=None, repr=False, compare=False)
    """Set by streaming scoring: every error found per ``(task, layer, reason)``, those left out of a sample
    included; the error summary counts these rather than the records kept."""
    errors_counted: bool = field(default=True, repr=False, compare=False)
    """False when scoring built no error records (``--errors none``): the error summary is n/a, not 0."""
    collected: bool = field(default=False, repr=False, compare=False)
    """Whether ``results`` carry their error records (scored with errors on)."""

    @cached_property
    def _error_results(self) -> list[DocResult]:
        if self.collected or self.pairs is None:
            return self.results
        return score_pairs(self.pairs, self.options, True)

    @cached_property
    def errors(self) -> list[ErrorRecord]:
        """Every error under every metric that counts it, in a stable order; found on first use, as only
        outputs need it. :attr:`error_records` lists each error once."""
        ordered: list[ErrorRecord] = sorted_errors(self._error_results)
        return ordered

    @cached_property
    def error_records(self) -> Sequence[JSON]:
        """``errors.jsonl``'s records: each error once, with the metrics it affects and its sentence
        (:mod:`newsbench.eval.report.errors`), documents in gold id order; after streaming scoring, the
        records it kept (:attr:`kept_records`)."""
        if self.kept_records is not None:
            return self.kept_records
        found = self._error_results
        texts = [doc.text for doc in self.pairs.gold] if self.pairs is not None else [None] * len(found)
        return corpus_errors(found, texts)

    def error_tally(self) -> Counter[tuple[str, str]] | None:
        """Errors per ``(layer, reason)``, each error once; None when errors were not counted."""
        if not self.errors_counted:
            return None
        tally: Counter[tuple[str, str]] = Counter()
        if self.error_groups is not None:
            for (_, layer, reason), n in self.error_groups.items():
                tally[layer, reason] += n
        else:
            tally.update((r["layer"], r["reason"]) for r in self.error_records)
        return tally

    @cached_property
    def confusion(self) -> dict[str, Confusion]:
        """Type confusion matrices of the scored tasks that have one (see :mod:`newsbench.eval.report.analysis`)."""
        return confusions(self.results, [t for t in self.options.tasks if t not in self.not_scored])

    @property
    def degenerate(self) -> str | None:
        """Why there are no confidence intervals, when a bootstrap over documents cannot give real ones."""
        if self.gold_documents == 1:
            return (
                "one gold document: a document-level bootstrap can only redraw that one document, so every "
                "interval would collapse to the point score"
            )
        if self.options.bootstrap == 0:
            return "bootstrap resampling was turned off (--bootstrap 0)"
        return None

    @cached_property
    def not_scored(self) -> dict[str, str]:
        """Task -> why it is not scored: the gold has no item of the task in any document.

        Such a task says nothing about any system (an oracle would "score" 0 or n/a on it), so its metrics
        are left out of the report's tables, averages and rankings instead of showing as 0.
        """
        gold: dict[str, int] = {}
        for (task, _), totals in self.totals.items():
            gold[task] = gold.get(task, 0) + totals.micro.pos
        return {
            task: f"the gold has no {task} annotations in its {counted(self.gold_documents, 'document')}"
            for task in self.options.tasks
            if not gold.get(task, 0)
        }

    @cached_property
    def left_out(self) -> dict[str, JSON]:
        """What a view could not hold: mentions the token-level CoNLL view leaves out, per side.

        The ``conll`` view and the span modes read the same mentions in scope, so ``strict``'s counts minus
        ``conll``'s are the mentions IOB2 could not tag: nested or overlapping ones (the longest is kept) and
        ones that collapse onto another's tokens.
        """
        strict, conll = self.totals.get(("entities", "strict")), self.totals.get(("entities", "conll"))
        if strict is None or conll is None or "entities" in self.not_scored:
            return {}
        per_document: JSON = {}
        for result in self.results:
            doc_strict = result.stats.get(("entities", "strict", ""))
            doc_conll = result.stats.get(("entities", "conll", ""), Counts())
            if doc_strict is None:
                continue
            gold, predicted = doc_strict.pos - doc_conll.pos, doc_strict.act - doc_conll.act
            if gold or predicted:
                per_document[result.doc_id] = {"gold": gold, "predicted": predicted}
        return {
            "entities.conll": {
                "gold": strict.micro.pos - conll.micro.pos,
                "predicted": strict.micro.act - conll.micro.act,
                "of_gold": strict.micro.pos,
                "of_predicted": strict.micro.act,
                "reason": "IOB2 tags one mention per token: of nested or overlapping mentions only the longest "
                "is kept",
                "per_document": dict(sorted(per_document.items())),
            }
        }

    @property
    def nothing_predicted(self) -> tuple[str, ...]:
        """Scored tasks the gold has items of and no prediction any: recall 0, precision n/a, as a file of a
        system that does not attempt the task shows too (a file cannot say so; ``run`` knows: not_attempted)."""
        skipped = {*self.not_scored, *self.not_attempted}
        tasks = [task for task in self.options.tasks if task not in skipped]
        counts = {task: [t.micro for (name, _), t in self.totals.items() if name == task] for task in tasks}
        return tuple(
            task for task, c in counts.items() if not any(x.act for x in c) and any(x.pos for x in c)
        )

    @property
    def small_sample(self) -> str | None:
        """Why intervals are unreliable on so few gold documents (see :mod:`newsbench.eval.stats.sample`)."""
        return small_sample_note(self.gold_documents)

    def metrics(self) -> list[MetricId]:
        """Scored metric ids in display order (metrics of tasks in :attr:`not_scored` are left out)."""
        skipped = {*self.not_scored, *self.not_attempted}
        return sorted(
            (mid for mid in self.totals if mid[0] not in skipped), key=lambda mid: display_key(*mid)
        )

    def items(self, mid: MetricId, label: str = "") -> tuple[int, int]:
        """Gold and predicted *items* of a metric (of one label when given), whatever unit it scores in."""
        totals = self.totals.get(CODE_POINT_METRICS.get(mid, mid))
        if totals is None:
            return (0, 0)
        counts = totals.per_label.get(label) if label else totals.micro
        return (0, 0) if counts is None else (counts.pos, counts.act)

    def interval(self, key: StatKey) -> Interval | None:
        return None if self.degenerate else self.intervals.get(key)

    def f1(self, task: str, metric: str, label: str = "") -> float | None:
        """Micro F1 of one metric (of one label when given) as a fraction; ``None`` when not applicable.

        Raises ``KeyError`` naming the known metrics when ``(task, metric)`` was not scored.
        """
        totals = self.totals.get((task, metric))
        if totals is None or task in self.not_scored or task in self.not_attempted:
            known = ", ".join(f"{t}/{m}" for t, m in self.metrics())
            raise KeyError(f"{task}/{metric} was not scored; scored metrics: {known}")
        counts = totals.per_label.get(label) if label else totals.micro
        return None if counts is None else counts.f1

    def table(self) -> list[ScoreRow]:
        """One row per scored metric, in display order: the numbers of ``report.md``'s table, as fractions."""
        rows = []
        unreliable = self.small_sample is not None
        for mid in self.metrics():
            micro = self.totals[mid].micro
            found = self.interval((*mid, ""))
            rows.append(
                ScoreRow(
                    *mid,
                    micro.precision,
                    micro.recall,
                    micro.f1,
                    None if found is None else found.low,
                    None if found is None else found.high,
                    *self.items(mid),
                    unreliable,
                )
            )
        return rows

    def dataframe(self) -> Any:
        """:meth:`table` as a ``pandas.DataFrame`` (pandas is optional: ``ImportError`` says how to get it)."""
        try:
            import pandas
        except ImportError as err:  # pragma: no cover - pandas comes with the datasets dependency
            raise ImportError("report.dataframe() needs pandas: pip install pandas") from err
        return pandas.DataFrame([asdict(row) for row in self.table()])

    def zero_divisions(self) -> list[str]:
        """Key paths (below ``tasks``) of every number that was a division by zero and is reported as null."""
        out: list[str] = []
        for task, metric in self.metrics():
            totals = self.totals[(task, metric)]
            base = f"{task}.{metric}"
            out += [f"{base}.micro.{name}" for name in totals.micro.undefined]
            macro = totals.macro
            out += [
                f"{base}.macro.{name}"
                for name in ("precision", "recall", "f1")
                if getattr(macro, name) is None
            ]
            for label, counts in totals.per_label.items():
                out += [f"{base}.{label_field(metric)}.{label}.{name}" for name in counts.undefined]
        return out

    def _counts_json(self, mid: MetricId, counts: Counts, label: str = "") -> JSON:
        gold, predicted = self.items(mid, label)
        out: JSON = {
            "precision": number(counts.precision),
            "recall": number(counts.recall),
            "f1": number(counts.f1),
            "tp": number(counts.tp),
            "fp": number(counts.fp),
            "fn": number(counts.fn),
            "gold": gold,
            "predicted": predicted,
        }
        if mid in CODE_POINT_METRICS:
            out.update(gold_code_points=counts.pos, predicted_code_points=counts.act)
        if mid[0] == "entities" and mid[1] in SEMEVAL_MODES:
            out.update(cor=counts.cor, inc=counts.inc, par=counts.par, mis=counts.mis, spu=counts.spu)
        return out

    def _ci_json(self, key: StatKey) -> JSON:
        found = self.interval(key)
        if found is None:
            return {"f1": None}
        return {"f1": [number(found.low), number(found.high)], "documents": found.documents}

    def _metric_json(self, mid: MetricId) -> JSON:
        totals = self.totals[mid]
        macro = totals.macro
        per_label = {}
        for label, counts in totals.per_label.items():
            per_label[label] = self._counts_json(mid, counts, label) | {"ci95": self._ci_json((*mid, label))}
        return {
            "micro": self._counts_json(mid, totals.micro),
            "macro": {
                "precision": number(macro.precision),
                "recall": number(macro.recall),
                "f1": number(macro.f1),
                "labels": macro.labels,
            },
            "ci95": self._ci_json((*mid, "")),
            label_field(mid[1]): per_label,
        }

    def to_json(self) -> JSON:
        tasks: JSON = {task: {} for task in self.options.tasks}
        for mid in self.metrics():
            tasks.setdefault(mid[0], {})[mid[1]] = self._metric_json(mid)
        options = asdict(self.options)
        options["tasks"] = list(self.options.tasks)
        options["mention_kinds"] = list(self.options.mention_kinds)
        options["types"] = list(self.options.types)
        return {
            "signature": self.signature,
            "suite_sha256": self.suite_hash,
            "options": options,
            "bootstrap": {
                "resamples": self.options.bootstrap,
                "seed": self.options.seed,
                "confidence": CONFIDENCE,
                "unit": "document",
                "method": "percentile",
                "undefined_resamples": "left out: a resample with no item on either side has no F1",
            },
            "documents": {
                "gold": self.gold_documents,
                "predicted": self.predicted_documents,
                "missing_predictions": list(self.missing),
            },
            "degenerate": self.degenerate,
            "small_sample": self.small_sample,
            "zero_division": self.zero_divisions(),
            "not_scored": dict(sorted(self.not_scored.items())),
            "not_attempted": list(self.not_attempted),
            "left_out": self.left_out,
            "prediction_problems": None
            if self.prediction_problems is None
            else self.prediction_problems.to_json(),
            "tasks": tasks,
            "confusion": confusion_json(self.confusion),
            "per_document": per_document_json(
                self.results, [t for t in self.options.tasks if t not in self.not_scored], number
            ),
        }

    def dumps(self) -> str:
        """The canonical ``report.json`` text."""
        return dumps_canonical(self.to_json())
