"""``report.html`` and ``comparison.html``: one self-contained page each, no scripts and no network.

Charts are inline SVG drawn here: per-label F1 bars with 95% interval whiskers, and systems side by side
in a comparison. Every string that comes from input data (document text in errors, labels, system names,
ids) goes through :func:`html.escape`, so a ``<script>`` in a news article stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from newsbench.eval.metrics.catalog import label_field
from newsbench.eval.metrics.results import ErrorRecord
from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.markdown import (
    HEADLINE_HEADER,
    PAIRED_TESTS_HEADER,
    RANKING_HEADER,
    headline_rows,
    paired_test_rows,
    pct,
    ranking_rows,
)
from newsbench.eval.report.report import Report
from newsbench.eval.stats.bootstrap import Interval

MAX_ERRORS = 500
"""Errors listed in the page; errors.jsonl always has all of them."""

PALETTE = ("#3b6ea5", "#d08c2b", "#4a9a5b", "#b5484b", "#7b5ea7", "#5f8f99", "#a1785c", "#8a8a8a")

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}code{word-break:break-all}.note{background:#fff6d5;padding:.5em}
svg text{font-size:11px;fill:#222}.err td{font-size:.9em;vertical-align:top}
"""


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, series (system) index, value and optional interval."""

    label: str
    series: int
    value: float
    interval: Interval | None


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def bar_chart(title: str, bars: Sequence[Bar], series_names: Sequence[str]) -> str:
    """Horizontal bars on a 0-100% axis, grouped by label, one colour per series, with interval whiskers."""
    labels = list(dict.fromkeys(b.label for b in bars))
    n_series = max(len(series_names), 1)
    bar_h, gap, left, width = 12, 8, 250, 420
    group_h = bar_h * n_series + gap
    height = 30 + group_h * len(labels) + 24 * (n_series > 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 60}" height="{height}" '
        f'viewBox="0 0 {left + width + 60} {height}"><title>{escape(title)}</title>'
    ]
    for tick in range(0, 101, 20):
        x = left + width * tick / 100
        parts.append(f'<line x1="{_fmt(x)}" y1="20" x2="{_fmt(x)}" y2="{height - 8}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{_fmt(x)}" y="14" text-anchor="middle">{tick}</text>')
    for g, label in enumerate(labels):
        top = 24 + g * group_h
        parts.append(
            f'<text x="{left - 6}" y="{_fmt(top + bar_h * n_series / 2 + 4)}" text-anchor="end">{escape(label)}</text>'
        )
        for bar in (b for b in bars if b.label == label):
            y = top + bar.series * bar_h
            colour = PALETTE[bar.series % len(PALETTE)]
            name = escape(series_names[bar.series]) if series_names else ""
            tip = f"{name} {escape(label)}: F1 {pct(bar.value)}%"
            parts.append(
                f'<rect x="{left}" y="{y}" width="{_fmt(width * bar.value)}" height="{bar_h - 2}" '
                f'fill="{colour}"><title>{tip}</title></rect>'
            )
            if bar.interval is not None:
                lo, hi = left + width * bar.interval.low, left + width * bar.interval.high
                mid = y + (bar_h - 2) / 2
                parts.append(
                    f'<path d="M{_fmt(lo)} {_fmt(mid)}H{_fmt(hi)}M{_fmt(lo)} {_fmt(mid - 4)}V{_fmt(mid + 4)}'
                    f'M{_fmt(hi)} {_fmt(mid - 4)}V{_fmt(mid + 4)}" stroke="#111" fill="none"/>'
                )
    if n_series > 1:
        for i, name in enumerate(series_names):
            x = left + i * 130
            parts.append(
                f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            parts.append(f'<text x="{x + 14}" y="{height - 7}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def table_html(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; every cell escaped, cells that look numeric right-aligned."""

    def cell(value: object) -> str:
        text = str(value)
        numeric = text[:1].isdigit() or (text[:1] in "-+[" and text[1:2].isdigit())
        return f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"

    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: Sequence[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _item_text(item: dict[str, object] | None) -> str:
    if not item:
        return ""
    for key in ("text", "type", "role", "label"):
        if key in item and item[key] is not None:
            return f"{key}: {item[key]}" if key != "text" else str(item[key])
    return str(item)


def _errors_table(errors: Sequence[ErrorRecord]) -> str:
    rows = [
        [e.doc_id, e.task, e.metric, e.kind, _item_text(e.gold), _item_text(e.pred), e.reason]
        for e in errors[:MAX_ERRORS]
    ]
    table = table_html(("document", "task", "metric", "kind", "gold", "predicted", "reason"), rows)
    return f'<div class="err">{table}</div>'


def report_html(report: Report) -> str:
    body = [
        "<h1>newsbench score report</h1>",
        f"<p>Signature: <code>{escape(report.signature)}</code></p>",
        f"<p>{report.gold_documents} gold document(s), {report.predicted_documents} prediction(s); "
        f"{len(report.missing)} gold document(s) had no prediction and count as empty.</p>",
    ]
    if report.degenerate:
        body.append(f'<p class="note">No confidence intervals: {escape(report.degenerate)}.</p>')
    else:
        body.append(
            f"<p>Intervals: 95% percentile bootstrap over documents, {report.options.bootstrap} resamples, "
            f"seed {report.options.seed}.</p>"
        )
    body += ["<h2>Scores (micro-averaged, %)</h2>", table_html(HEADLINE_HEADER, headline_rows(report))]
    for task, metric in report.metrics():
        totals = report.totals[(task, metric)]
        if not totals.per_label:
            continue
        by = label_field(metric).removeprefix("per_")
        bars = [
            Bar(label, 0, counts.f1, report.interval((task, metric, label)))
            for label, counts in totals.per_label.items()
        ]
        body += [
            f"<h3>{escape(task)} · {escape(metric)}: F1 by {by}</h3>",
            bar_chart(f"{task} {metric}", bars, []),
        ]
    zero = report.zero_divisions()
    if zero:
        body += ["<h2>Divisions by zero (reported as 0)</h2>", "<ul>"]
        body += [f"<li><code>{escape(path)}</code></li>" for path in zero]
        body.append("</ul>")
    shown = min(len(report.errors), MAX_ERRORS)
    body += [f"<h2>Errors ({shown} of {len(report.errors)} shown; all are in errors.jsonl)</h2>"]
    body.append(_errors_table(report.errors))
    return page("newsbench score report", body)


def comparison_html(comparison: Comparison) -> str:
    names = list(comparison.systems)
    first = comparison.reports[comparison.baseline]
    body = [
        "<h1>newsbench comparison</h1>",
        f"<p>Signature: <code>{escape(comparison.signature())}</code></p>",
        f"<p>{first.gold_documents} gold document(s); baseline: <b>{escape(comparison.baseline)}</b>; "
        f"tie groups at p &lt; {comparison.alpha} (approximate randomisation, {comparison.trials} trials).</p>",
    ]
    if first.degenerate:
        body.append(f'<p class="note">No confidence intervals: {escape(first.degenerate)}.</p>')
    bars = []
    for mid in comparison.metrics():
        for i, name in enumerate(names):
            totals = comparison.reports[name].totals.get(mid)
            if totals is not None:
                interval = comparison.reports[name].interval((*mid, ""))
                bars.append(Bar(f"{mid[0]} {mid[1]}", i, totals.micro.f1, interval))
    body += ["<h2>F1 by metric</h2>", bar_chart("F1 by metric and system", bars, names)]
    body += ["<h2>Ranking in tie groups</h2>", table_html(RANKING_HEADER, ranking_rows(comparison))]
    body += ["<h2>Paired tests</h2>", table_html(PAIRED_TESTS_HEADER, paired_test_rows(comparison))]
    return page("newsbench comparison", body)
