"""``report.md`` and ``comparison.md``: the tables a paper or README needs, plus the terminal summary rows.

Scores are shown as percentages with two decimals (headers say ``%``); the JSON report keeps the fractions.
A number that is not applicable shows as ``n/a``; an interval on fewer documents than the reliable minimum
carries a ``†`` and the note that explains it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import Interval
from newsbench.eval.stats.sample import MIN_RELIABLE_DOCUMENTS
from newsbench.table import markdown_table, markdown_text
from newsbench.wording import counted

if TYPE_CHECKING:  # the tables import this module for its number formats
    from newsbench.eval.report.tables import Table

HEADLINE_HEADER = ("task", "metric", "P (%)", "R (%)", "F1 (%)", "F1 95% CI (%)", "gold", "predicted")


NOT_APPLICABLE = "n/a"
UNRELIABLE = "†"


def pct(value: float | None) -> str:
    return NOT_APPLICABLE if value is None else f"{100 * value:.2f}"


def interval_text(interval: Interval | None, unreliable: bool = False) -> str:
    """``[low, high]`` in percent, marked unreliable when the report rests on few documents or the interval's
    items lie in few documents (a per-type interval of a rare type)."""
    if interval is None:
        return "–"
    few = unreliable or interval.documents < MIN_RELIABLE_DOCUMENTS
    return f"[{pct(interval.low)}, {pct(interval.high)}]" + (UNRELIABLE if few else "")


def count_text(value: float) -> str:
    return f"{value:g}"


def _cells(counts: Counts, interval: Interval | None, unreliable: bool, items: tuple[int, int]) -> list[str]:
    """P, R, F1 and interval in percent; then the gold and predicted *items* (never code points)."""
    return [
        pct(counts.precision),
        pct(counts.recall),
        pct(counts.f1),
        interval_text(interval, unreliable),
        count_text(items[0]),
        count_text(items[1]),
    ]


def headline_rows(report: Report) -> list[list[str]]:
    """One row per metric: task, metric, P, R, F1, interval, gold and predicted counts."""
    return [
        [
            task,
            metric,
            *_cells(
                report.totals[(task, metric)].micro,
                report.interval((task, metric, "")),
                report.small_sample is not None,
                report.items((task, metric)),
            ),
        ]
        for task, metric in report.metrics()
    ]


SHOWN_DOCUMENTS = 10
"""How many documents a left-out note names (most left out first); report.json lists them all."""


def _by_document(counts: dict[str, dict[str, int]]) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1]["gold"] - item[1]["predicted"], item[0]))
    shown = ", ".join(f"{doc} {c['gold']}/{c['predicted']}" for doc, c in ranked[:SHOWN_DOCUMENTS])
    more = len(ranked) - SHOWN_DOCUMENTS
    return shown + (f" and {more} more documents (all in report.json, left_out)" if more > 0 else "")


_ITEM = {"entities": "entity mention", "events": "event", "quotes": "quote"}
"""What one item of each task is called in a sentence."""


def nothing_predicted(report: Report, system: str | None = None) -> list[tuple[str, str]]:
    """A caveat per task the predictions hold nothing of (:attr:`Report.nothing_predicted`): a prediction
    file cannot say whether its system attempts a task, so the reader is told how to read that 0. With
    ``system`` (a comparison, where ``--tasks`` would drop the task for every system) the caveat names it."""
    blank = report.nothing_predicted
    scored = {mid[0] for mid in report.metrics()}
    rest = [t for t in report.options.tasks if t not in blank and t in scored]
    found = []
    for task in blank:
        documents = f"documents predicted by {system}" if system else "predicted documents"
        text = (
            f"none of the {report.predicted_documents} {documents} holds any {_ITEM[task]}, so its recall "
            "is 0 and its precision n/a"
        )
        if system:
            text += (
                f"; if {system} does not attempt {task}, that 0 is not a score (run and bench, which know "
                "what a system attempts, show such a task as not attempted)"
            )
        elif rest:
            text += (
                f"; if the system does not attempt {task}, leave it out with --tasks {','.join(rest)} (run "
                "and bench, which know what a system attempts, show such a task as not attempted)"
            )
        title = f"Nothing predicted by {system}: {task}" if system else f"Nothing predicted: {task}"
        found.append((title, text))
    return found


NAMED_MISSING = 5
"""Up to this many missing document ids are named; more are cut there, with an ellipsis."""


def missing_text(missing: Sequence[str]) -> str:
    """How many gold documents had no prediction, naming them (the first :data:`NAMED_MISSING`)."""
    more = len(missing) - NAMED_MISSING
    shown = ", ".join(missing[:NAMED_MISSING]) + (f", … ({more} more)" if more > 0 else "")
    return f"{counted(len(missing), 'gold document')} had no prediction and count as empty: {shown}"


def comparison_caveats(comparison: Comparison) -> list[tuple[str, str]]:
    """The baseline's caveats about the gold and the options (the same for every system), then each
    system's own: gold documents it has no prediction of, tasks it predicted nothing of, mentions a view
    left out of its predictions."""
    first = comparison.reports[comparison.baseline]
    own = {*nothing_predicted(first), *left_out(first)}
    found = [caveat for caveat in caveats(first) if caveat not in own]
    for name in comparison.systems:
        report = comparison.reports[name]
        if report.missing:
            found.append((f"Missing predictions of {name}", missing_text(report.missing)))
        found += nothing_predicted(report, name)
        found += left_out(report, name)
    return found


def caveats(report: Report) -> list[tuple[str, str]]:
    """What a reader must know before trusting the numbers: unscored tasks, small samples, no intervals."""
    found = [(f"Not scored: {task}", reason) for task, reason in report.not_scored.items()]
    found += [
        (
            f"Not attempted: {task}",
            "the system declares it does not attempt this task, so it has no score (not 0)",
        )
        for task in report.not_attempted
    ]
    found += nothing_predicted(report)
    if report.options.types:
        found.append(
            (
                "Types scored",
                f"only {', '.join(report.options.types)} (--types), on both sides, in each task that has "
                "them; other tasks whole",
            )
        )
    if report.degenerate:
        found.append(("No confidence intervals", report.degenerate))
    if report.small_sample:
        found.append((f"{UNRELIABLE} Small sample", report.small_sample))
    else:
        intervals = report.intervals
        few = [key for key, interval in intervals.items() if interval.documents < MIN_RELIABLE_DOCUMENTS]
        if few and not report.degenerate:
            found.append(
                (
                    f"{UNRELIABLE} Intervals on few documents",
                    f"{len(few)} of {len(intervals)} intervals rest on items in fewer than "
                    f"{MIN_RELIABLE_DOCUMENTS} documents (rare types, roles or values, or a task few documents "
                    f"have): resampling documents moves them only through those, so they are too narrow to "
                    f"trust; they are marked {UNRELIABLE}",
                )
            )
    problems = report.prediction_problems and report.prediction_problems.note()
    if problems:
        found.append(("Prediction problems", problems))
    found += left_out(report)
    return found


def left_out(report: Report, system: str | None = None) -> list[tuple[str, str]]:
    """A caveat per view that leaves mentions out (the CoNLL view keeps one mention per token); with
    ``system`` (a comparison) it names whose predictions the counts are of."""
    found = []
    for view, n in report.left_out.items():
        if n["gold"] or n["predicted"]:
            whose = f" ({system})" if system else ""
            found.append(
                (
                    f"Left out of {view}{whose}",
                    f"{n['gold']} of {n['of_gold']} gold and {n['predicted']} of {n['of_predicted']} predicted "
                    f"mentions ({n['reason']}); by document (gold/predicted): {_by_document(n['per_document'])}",
                )
            )
    return found


def caveat_lines(found: Sequence[tuple[str, str]]) -> list[str]:
    return [f"**{markdown_text(title)}:** {markdown_text(text)}." for title, text in found]


def _provenance(report: Report) -> list[str]:
    lines = [f"Signature: `{report.signature}`", ""]
    lines.append(
        f"{counted(report.gold_documents, 'gold document')}, {counted(report.predicted_documents, 'prediction')}; "
        f"{missing_text(report.missing) if report.missing else 'every gold document had a prediction'}."
    )
    if not report.degenerate:
        lines.append(
            f"Intervals: 95% percentile bootstrap over documents, {report.options.bootstrap} resamples, "
            f"seed {report.options.seed}; resamples in which a metric has no item on either side are left "
            f"out of its interval. `n/a`: not applicable (nothing to divide by), never counted as 0."
        )
    return [*lines, *caveat_lines(caveats(report))]


def report_markdown(report: Report) -> str:
    lines = ["# newsbench score report", "", *_provenance(report), "", "## Scores (micro-averaged, %)", ""]
    lines += [markdown_table(HEADLINE_HEADER, headline_rows(report)), ""]
    # Imported here: the tables format numbers with this module's helpers, so they import it.
    from newsbench.eval.report.tables import glossary_table, macro_table

    macro = macro_table(report)
    if macro is not None:
        lines += _table_lines(macro)
    lines += _analysis(report)
    zero = report.zero_divisions()
    if zero:
        lines += [
            "## Divisions by zero",
            "",
            "These numbers had a zero denominator: not applicable, `null` in report.json and `n/a` here:",
            "",
        ]
        lines += [f"- `{path}`" for path in zero]
        lines.append("")
    lines += _table_lines(glossary_table(report))
    return "\n".join(lines).rstrip() + "\n"


def _table_lines(table: Table) -> list[str]:
    """A :class:`newsbench.eval.report.tables.Table` as a titled Markdown section."""
    lines = [f"## {markdown_text(table.title)}", "", f"{markdown_text(table.note)}.", ""]
    return [*lines, markdown_table(table.header, table.rows) if table.rows else table.empty, ""]


def _analysis(report: Report) -> list[str]:
    """The per-type, confusion, per-document and error tables (:mod:`newsbench.eval.report.tables`)."""
    # Imported here: the tables format numbers with this module's helpers, so they import it.
    from newsbench.eval.report.tables import (
        confusion_tables,
        document_table,
        error_summary,
        label_table_list,
    )

    lines: list[str] = []
    tables = [*label_table_list(report), *confusion_tables(report), document_table(report)]
    tables.append(error_summary(report))
    for table in tables:
        lines += _table_lines(table)
    return lines


def ranking_text(groups: Sequence[Sequence[str]]) -> str:
    return "; ".join(f"{rank}: {', '.join(group)}" for rank, group in enumerate(groups, start=1))


def p_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


RANKING_HEADER = ("task", "metric", "groups (best first)")
PAIRED_TESTS_HEADER = (
    "task",
    "metric",
    "baseline",
    "system",
    "ΔF1",
    "p bootstrap",
    "p randomisation",
    "significant",
    "note",
)


def ranking_rows(comparison: Comparison) -> list[list[str]]:
    """Each metric's tie groups, best first, as rows under :data:`RANKING_HEADER`."""
    mark = UNRELIABLE if comparison.small_sample else ""
    return [
        [*mid, ranking_text(comparison.groups[mid]) + mark if mid in comparison.groups else NOT_APPLICABLE]
        for mid in comparison.metrics()
    ]


def paired_test_rows(comparison: Comparison) -> list[list[str]]:
    """Each paired test against the baseline as a row under :data:`PAIRED_TESTS_HEADER`."""
    mark = UNRELIABLE if comparison.small_sample else ""
    return [
        [
            *t.metric,
            t.baseline,
            t.system,
            f"{100 * t.delta_f1:+.2f}",
            p_text(t.p_bootstrap) + mark,
            p_text(t.p_randomization) + mark,
            ("yes" if t.significant(comparison.alpha) else "no") + mark,
            t.note or "",
        ]
        if t.delta_f1 is not None
        else [*t.metric, t.baseline, t.system, *[NOT_APPLICABLE] * 4, t.note or ""]
        for t in comparison.tests
    ]


def grouping(comparison: Comparison) -> str:
    """How the tie groups were formed, as a phrase."""
    if comparison.ranked_by == "approximate_randomization":
        return f"tie groups at p < {comparison.alpha} (approximate randomisation)"
    return "ranks by point F1, ties only where it is equal (too few documents for a valid test)"


def comparison_markdown(comparison: Comparison) -> str:
    names = comparison.systems
    first = comparison.reports[comparison.baseline]
    lines = ["# newsbench comparison", "", f"Signature: `{comparison.signature()}`", ""]
    lines.append(
        f"{counted(first.gold_documents, 'gold document')}; baseline: **{comparison.baseline}**. "
        f"Paired tests over documents: bootstrap ({first.options.bootstrap} resamples) and approximate "
        f"randomisation ({comparison.trials} trials), seed {first.options.seed}; {grouping(comparison)}."
    )
    lines += caveat_lines(comparison_caveats(comparison))
    lines += ["", "## F1 (%) with 95% intervals", ""]
    rows = []
    for mid in comparison.metrics():
        row = [*mid]
        for name in names:
            totals = comparison.reports[name].totals.get(mid)
            interval = comparison.reports[name].interval((*mid, ""))
            unreliable = first.small_sample is not None
            row.append(
                "not attempted"
                if mid[0] in comparison.reports[name].not_attempted
                else "–"
                if totals is None
                else f"{pct(totals.micro.f1)} {interval_text(interval, unreliable)}".strip()
            )
        rows.append(row)
    lines += [markdown_table(("task", "metric", *names), rows), ""]
    lines += ["## Ranking in tie groups", "", markdown_table(RANKING_HEADER, ranking_rows(comparison)), ""]
    lines += ["## Paired tests", "", markdown_table(PAIRED_TESTS_HEADER, paired_test_rows(comparison)), ""]
    return "\n".join(lines).rstrip() + "\n"
