"""The error-analysis tables of ``report.md`` and ``report.html`` as header and rows of text.

Both pages show the same tables (:mod:`newsbench.eval.report.analysis` says what each holds); this module
builds them once, with percentages as the score table shows them, so the two pages cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsbench.eval.metrics.catalog import metric_descriptions
from newsbench.eval.report.analysis import (
    CONFUSION_TASKS,
    HEADLINE,
    PAIRING,
    LabelTable,
    label_tables,
    per_document,
)
from newsbench.eval.report.errors import LAYERS, REASONS
from newsbench.eval.report.errors_file import SAMPLE_PER_GROUP
from newsbench.eval.report.markdown import count_text, interval_text, pct
from newsbench.eval.report.report import Report

MAX_DOCUMENT_ROWS = 200
"""Documents listed in the per-document table of a page; report.json has every document."""


@dataclass(frozen=True)
class Table:
    """A titled table: ``note`` says what it counts, in a sentence."""

    title: str
    note: str
    header: tuple[str, ...]
    rows: list[list[Any]]
    empty: str = "None."
    """What stands in place of a table without rows."""


def _label_table(report: Report, table: LabelTable) -> Table:
    unreliable = report.small_sample is not None
    rows = []
    for label in table.labels:
        lead = table.counts(report.totals, table.lead, label)
        metric, own = table.sources.get(label, (table.lead, label))
        interval = report.interval((table.task, metric, own))
        row: list[Any] = [label]
        if lead is None:
            row += ["–"] * 6
        else:
            row += [pct(lead.precision), pct(lead.recall), pct(lead.f1), interval_text(interval, unreliable)]
            row += [count_text(lead.pos), count_text(lead.act)]
        for metric in table.others:
            found = table.counts(report.totals, metric, label)
            row.append("–" if found is None else pct(found.f1))
        rows.append(row)
    header = (
        table.by,
        "P (%)",
        "R (%)",
        "F1 (%)",
        "F1 95% CI (%)",
        "gold",
        "counted",
        *(f"{m} F1 (%)" for m in table.others),
    )
    if not table.lead:
        note = "Accuracy of each attribute on matched triggers, by the gold value (P = R = F1 = accuracy)"
        return Table(f"{table.task} by {table.by} (%)", note, header, rows)
    note = (
        f"P, R, F1, interval and counts of {table.lead}; then the F1 of the other metrics by {table.by}. "
        f"A label counts a matched or missed item under the gold {table.by}, a spurious one under its own, "
        f"so every item counts under one label and the rows add up to the totals; 'counted' are the "
        f"predictions counted under a label (its precision's denominator): those of the label that matched "
        f"nothing, and those of any label matched to its gold items, so a label nothing was predicted as "
        f"can have some (the confusion matrix shows what each gold item was predicted as)"
    )
    return Table(f"{table.task} by {table.by}: {table.lead} (%)", note, header, rows)


def label_table_list(report: Report) -> list[Table]:
    """Per task and kind of label: the per-type (per-role, per-value) table."""
    return [_label_table(report, t) for t in label_tables(report.metrics(), report.totals)]


def confusion_tables(report: Report) -> list[Table]:
    """The type confusion matrices: rows gold types (and ``spurious``), columns predicted (and ``missed``)."""
    out = []
    for task, confusion in report.confusion.items():
        header, rows = confusion.rows()
        if not rows:
            continue
        note = f"Counts of {CONFUSION_TASKS[task]}: {PAIRING}"
        out.append(
            Table(f"Type confusion: {task} (rows gold, columns predicted)", note, ("gold", *header), rows)
        )
    return out


def document_table(report: Report) -> Table:
    """Per document, each task's headline F1 with its gold and predicted counts (the first documents)."""
    tasks = [t for t in report.options.tasks if t not in report.not_scored and t in HEADLINE]
    found = per_document(report.results[:MAX_DOCUMENT_ROWS], tasks)
    rows = []
    for doc_id, by_task in found.items():
        row: list[Any] = [doc_id]
        for task in tasks:
            counts = by_task[task]
            row += [pct(counts.f1), count_text(counts.pos), count_text(counts.act)]
        rows.append(row)
    header = ("document", *(f"{t} {x}" for t in tasks for x in ("F1 (%)", "gold", "predicted")))
    shown = len(rows)
    metrics = ", ".join(f"{t}: {HEADLINE[t]}" for t in tasks)
    documents = len(report.results)
    note = f"Each task's headline metric ({metrics}) in each document; {shown} of {documents} documents" + (
        ", in id order; report.json's per_document lists all of them" if shown < documents else ""
    )
    return Table("Per document (%)", note, header, rows)


def error_summary(report: Report) -> Table:
    """Errors counted by layer and reason (each error once, whatever the number of metrics it affects);
    every error found, also when ``errors.jsonl`` holds a sample; n/a when no error was counted."""
    title = "Errors by layer and reason"
    counted = report.error_tally()
    if counted is None:
        return Table(
            title, "Not counted: scored with --errors none, which builds no error records", (), [], "n/a."
        )
    reasons = [r for r in REASONS if any(reason == r for _, reason in counted)]
    layers = [layer for layer in LAYERS if any(lay == layer for lay, _ in counted)]
    rows = [
        [layer, *(counted.get((layer, r), 0) for r in reasons), sum(counted[layer, r] for r in reasons)]
        for layer in layers
    ]
    total = sum(counted.values())
    listed = len(report.error_records)
    where = (
        "errors.jsonl lists them with the metrics each affects"
        if listed == total
        else f"errors.jsonl lists {listed} of them, the first {SAMPLE_PER_GROUP} of each task, layer and reason"
    )
    return Table(title, f"{total} errors, each counted once; {where}", ("layer", *reasons, "all"), rows)


def macro_table(report: Report) -> Table | None:
    """Unweighted means over labels of each metric that has labels; None when none has. Precision, recall
    and F1 are each averaged over the labels where they are defined (a label never predicted has no
    precision), so the last column says over how many each mean is taken."""
    rows = []
    for mid in report.metrics():
        totals = report.totals[mid]
        macro = totals.macro
        if not macro.labels:
            continue
        seen = [c for c in totals.per_label.values() if c.pos or c.act]
        counts = (sum(1 for c in seen if c.act), sum(1 for c in seen if c.pos), macro.labels)
        over = str(macro.labels) if len(set(counts)) == 1 else " / ".join(map(str, counts))
        rows.append([*mid, pct(macro.precision), pct(macro.recall), pct(macro.f1), over])
    if not rows:
        return None
    note = (
        "Unweighted means of the per-label figures, each over the labels where it is defined: precision over "
        "labels with predictions, recall over labels with gold items, F1 over labels with either (P / R / F1 "
        "when the three differ)"
    )
    header = ("task", "metric", "P (%)", "R (%)", "F1 (%)", "labels averaged")
    return Table("Macro averages over labels (%)", note, header, rows)


def glossary_table(report: Report) -> Table:
    """What each scored metric counts as correct, from the metric catalogue."""
    described = metric_descriptions()
    rows = [[task, metric, described.get(task, {}).get(metric, "")] for task, metric in report.metrics()]
    note = "What a prediction must get right to count as correct in each metric"
    return Table("What the metrics count", note, ("task", "metric", "counts as correct"), rows)
