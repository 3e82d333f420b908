"""Writing reports to a folder, each file atomically, so a reader never sees a half-written report."""

from __future__ import annotations

from pathlib import Path

from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.errors import errors_jsonl
from newsbench.eval.report.html import comparison_html, report_html
from newsbench.eval.report.markdown import comparison_markdown, report_markdown
from newsbench.eval.report.report import Report
from newsbench.jsonio import write_atomic


def _write_all(out: Path, files: dict[str, str]) -> list[Path]:
    written = []
    for name, content in files.items():
        write_atomic(out / name, content)
        written.append(out / name)
    return written


def write_report(report: Report, out: Path) -> list[Path]:
    """``report.json``, ``report.md``, ``report.html`` and ``errors.jsonl`` in ``out``."""
    return _write_all(
        out,
        {
            "report.json": report.dumps(),
            "report.md": report_markdown(report),
            "report.html": report_html(report),
            "errors.jsonl": errors_jsonl(report.error_records),
        },
    )


def write_comparison(comparison: Comparison, out: Path) -> list[Path]:
    """``comparison.json``, ``comparison.md`` and ``comparison.html`` in ``out``."""
    return _write_all(
        out,
        {
            "comparison.json": comparison.dumps(),
            "comparison.md": comparison_markdown(comparison),
            "comparison.html": comparison_html(comparison),
        },
    )
