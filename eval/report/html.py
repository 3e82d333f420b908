"""``report.html`` and ``comparison.html``: one self-contained page each, nothing loaded from the network.

The pages are Jinja2 templates (``templates/``) with autoescaping: every value a template writes is escaped
unless it is markup the templates made, so a ``<script>`` in a news article stays text. Values are escaped
as :func:`html.escape` spells entities (``&quot;``, ``&#x27;``). Charts are inline SVG: their geometry is
computed here (:class:`Chart`), their markup is in the templates: one chart per task of every metric's F1
with its 95% interval whisker and value, and systems side by side in a comparison. The score report's
error browser is a small inline script over errors embedded as JSON (``tojson``, which escapes ``<``, ``>``
and ``&``, so no document text can end the data block); the comparison page has no script.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsbench.eval.report.browser import Embedded, embedded_errors
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.markdown import (
    HEADLINE_HEADER,
    PAIRED_TESTS_HEADER,
    RANKING_HEADER,
    caveats,
    comparison_caveats,
    grouping,
    headline_rows,
    paired_test_rows,
    pct,
    ranking_rows,
)
from newsbench.eval.report.report import Report
from newsbench.eval.report.tables import (
    confusion_tables,
    document_table,
    error_summary,
    glossary_table,
    label_table_list,
    macro_table,
)
from newsbench.eval.stats.bootstrap import Interval
from newsbench.wording import counted

PALETTE = ("#3b6ea5", "#d08c2b", "#4a9a5b", "#b5484b", "#7b5ea7", "#5f8f99", "#a1785c", "#8a8a8a")


def _escaped(value: object) -> object:
    """Every value a template writes, escaped as the standard library does (markup made by templates passes)."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def _numeric_text(value: object) -> bool:
    """A table cell that reads as a number (right-aligned)."""
    text = str(value)
    return text[:1].isdigit() or (text[:1] in "-+[" and text[1:2].isdigit())


@cache
def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("newsbench.eval.report", "templates"),
        autoescape=True,
        finalize=_escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.tests["numeric_text"] = _numeric_text
    env.filters["counted"] = counted
    return env


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, series (system) index, value and optional interval."""

    label: str
    series: int
    value: float | None
    """``None`` (not applicable) draws no bar and labels it ``n/a``."""
    interval: Interval | None


@dataclass(frozen=True)
class Chart:
    """A bar chart's geometry: horizontal bars on a 0-100% axis, grouped by label, one colour per series."""

    title: str
    width: int
    height: int
    left: int
    bar_height: int
    ticks: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    legend: list[dict[str, Any]]


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def bar_chart(title: str, bars: Sequence[Bar], series_names: Sequence[str]) -> Chart:
    """The chart of ``bars``, with interval whiskers and, for several series, a legend."""
    labels = list(dict.fromkeys(b.label for b in bars))
    n_series = max(len(series_names), 1)
    bar_h, gap, left, width = 12, 8, 250, 420
    group_h = bar_h * n_series + gap
    height = 30 + group_h * len(labels) + 24 * (n_series > 1)
    ticks = [{"x": _fmt(left + width * tick / 100), "value": tick} for tick in range(0, 101, 20)]
    groups = []
    for g, label in enumerate(labels):
        top = 24 + g * group_h
        drawn = []
        for bar in (b for b in bars if b.label == label):
            y = top + bar.series * bar_h
            whisker = None
            value = bar.value or 0.0
            reach = value
            if bar.interval is not None:
                reach = max(reach, bar.interval.high)
                lo, hi = left + width * bar.interval.low, left + width * bar.interval.high
                mid = y + (bar_h - 2) / 2
                whisker = (
                    f"M{_fmt(lo)} {_fmt(mid)}H{_fmt(hi)}M{_fmt(lo)} {_fmt(mid - 4)}V{_fmt(mid + 4)}"
                    f"M{_fmt(hi)} {_fmt(mid - 4)}V{_fmt(mid + 4)}"
                )
            drawn.append(
                {
                    "y": y,
                    "width": _fmt(width * value),
                    "label_x": _fmt(left + width * reach + 4),
                    "colour": PALETTE[bar.series % len(PALETTE)],
                    "series": series_names[bar.series] if series_names else "",
                    "percent": pct(bar.value),
                    "whisker": whisker,
                }
            )
        groups.append({"label": label, "y": _fmt(top + bar_h * n_series / 2 + 4), "bars": drawn})
    legend = (
        [
            {"x": left + i * 130, "colour": PALETTE[i % len(PALETTE)], "name": name}
            for i, name in enumerate(series_names)
        ]
        if n_series > 1
        else []
    )
    return Chart(title, left + width + 60, height, left, bar_h, ticks, groups, legend)


def task_charts(report: Report) -> list[dict[str, Any]]:
    """One chart per task: every scored metric's micro F1 with its interval whisker and value label."""
    charts = []
    for task in report.options.tasks:
        bars = [
            Bar(metric, 0, report.totals[(t, metric)].micro.f1, report.interval((t, metric, "")))
            for t, metric in report.metrics()
            if t == task
        ]
        if bars:
            charts.append({"task": task, "chart": bar_chart(f"{task}: F1 by metric", bars, [])})
    return charts


def browser_note(report: Report, embedded: Embedded) -> str:
    """What the error browser holds, and what errors.jsonl beside the page holds: every error, a sample of
    them (``--errors sample``, the default of ``score``) or none (``--errors none``: no file, nothing kept)."""
    if not report.errors_counted:
        return "No error was kept (--errors none), so there is nothing to browse and no errors.jsonl."
    listed = len(report.error_records)
    total = listed if report.error_count is None else report.error_count
    sample = listed < total
    errors = "errors of the sample" if sample else "errors"
    if embedded.per_document is None:
        here = f"All {listed} {errors} are here"
    elif embedded.documents is not None:
        here = (
            f"{len(embedded.records)} of the {listed} {errors} are here (the first error of each of the "
            f"first {embedded.documents} documents with errors)"
        )
    else:
        here = f"{len(embedded.records)} of the {listed} {errors} are here (each document's first {embedded.per_document})"
    if sample:
        return (
            f"{here}; errors.jsonl beside this page holds the same sample, {listed} of {total} errors, each "
            "with the metrics it affects."
        )
    return f"{here}; errors.jsonl beside this page lists every error with the metrics it affects."


def report_html(report: Report) -> str:
    records = report.error_records
    embedded = embedded_errors(records)
    return (
        templates()
        .get_template("report.html")
        .render(
            title="newsbench score report",
            report=report,
            headline_header=HEADLINE_HEADER,
            headline_rows=headline_rows(report),
            charts=task_charts(report),
            caveats=caveats(report),
            zero_divisions=report.zero_divisions(),
            label_tables=label_table_list(report),
            confusion_tables=confusion_tables(report),
            document_table=document_table(report),
            error_summary=error_summary(report),
            macro_table=macro_table(report),
            glossary_table=glossary_table(report),
            browser_note=browser_note(report, embedded),
            error_data=embedded.records,
        )
    )


def comparison_html(comparison: Comparison) -> str:
    names = list(comparison.systems)
    bars = []
    for mid in comparison.metrics():
        for i, name in enumerate(names):
            report = comparison.reports[name]
            totals = None if mid[0] in report.not_attempted else report.totals.get(mid)
            if totals is not None:
                interval = comparison.reports[name].interval((*mid, ""))
                bars.append(Bar(f"{mid[0]} {mid[1]}", i, totals.micro.f1, interval))
    return (
        templates()
        .get_template("comparison.html")
        .render(
            title="newsbench comparison",
            comparison=comparison,
            first=comparison.reports[comparison.baseline],
            caveats=comparison_caveats(comparison),
            grouping=grouping(comparison),
            chart_data=bar_chart("F1 by metric and system", bars, names),
            ranking_header=RANKING_HEADER,
            ranking_rows=ranking_rows(comparison),
            paired_header=PAIRED_TESTS_HEADER,
            paired_rows=paired_test_rows(comparison),
        )
    )
