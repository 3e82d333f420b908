"""``report.html`` and ``comparison.html``: one self-contained page each, no scripts and no network.

The pages are Jinja2 templates (``templates/``) with autoescaping: every value a template writes is escaped
unless it is markup the templates made, so a ``<script>`` in a news article stays text. Values are escaped
as :func:`html.escape` spells entities (``&quot;``, ``&#x27;``), which keeps pages byte-identical to those
of earlier releases. Charts are inline SVG: their geometry is computed here (:class:`Chart`), their markup
is in the templates: per-label F1 bars with 95% interval whiskers, and systems side by side in a comparison.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from newsbench.eval.metrics.catalog import label_field
from newsbench.eval.metrics.results import ErrorRecord
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.markdown import (
    HEADLINE_HEADER,
    PAIRED_TESTS_HEADER,
    RANKING_HEADER,
    caveats,
    grouping,
    headline_rows,
    paired_test_rows,
    pct,
    ranking_rows,
)
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import Interval

MAX_ERRORS = 500
"""Errors listed in the page; errors.jsonl has all of them, or a bounded sample (``--errors``)."""

PALETTE = ("#3b6ea5", "#d08c2b", "#4a9a5b", "#b5484b", "#7b5ea7", "#5f8f99", "#a1785c", "#8a8a8a")
ERROR_HEADER = ("document", "task", "metric", "kind", "gold", "predicted", "reason")


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


def _item_text(item: dict[str, object] | None) -> str:
    if not item:
        return ""
    for key in ("text", "type", "role", "label"):
        if key in item and item[key] is not None:
            return f"{key}: {item[key]}" if key != "text" else str(item[key])
    return str(item)


def _error_rows(errors: Sequence[ErrorRecord]) -> list[list[str]]:
    return [
        [e.doc_id, e.task, e.metric, e.kind, _item_text(e.gold), _item_text(e.pred), e.reason]
        for e in errors[:MAX_ERRORS]
    ]


def report_html(report: Report) -> str:
    charts = []
    for task, metric in report.metrics():
        totals = report.totals[(task, metric)]
        if not totals.per_label:
            continue
        bars = [
            Bar(label, 0, counts.f1, report.interval((task, metric, label)))
            for label, counts in totals.per_label.items()
        ]
        by = label_field(metric).removeprefix("per_")
        charts.append(
            {"task": task, "metric": metric, "by": by, "chart": bar_chart(f"{task} {metric}", bars, [])}
        )
    return (
        templates()
        .get_template("report.html")
        .render(
            title="newsbench score report",
            report=report,
            headline_header=HEADLINE_HEADER,
            headline_rows=headline_rows(report),
            charts=charts,
            caveats=caveats(report),
            zero_divisions=report.zero_divisions(),
            errors_shown=min(len(report.errors), MAX_ERRORS),
            errors_total=report.error_total,
            error_header=ERROR_HEADER,
            error_rows=_error_rows(report.errors),
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
            caveats=caveats(comparison.reports[comparison.baseline]),
            grouping=grouping(comparison),
            chart_data=bar_chart("F1 by metric and system", bars, names),
            ranking_header=RANKING_HEADER,
            ranking_rows=ranking_rows(comparison),
            paired_header=PAIRED_TESTS_HEADER,
            paired_rows=paired_test_rows(comparison),
        )
    )
