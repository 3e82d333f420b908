"""Writing reports to a folder, each file atomically, so a reader never sees a half-written report."""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from pathlib import Path

from newsbench.eval.report.comparison import Comparison
from newsbench.eval.report.errors_file import ERRORS_FILE, errors_file
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


def write_report(report: Report, out: Path, errors: str | None = "all") -> list[Path]:
    """``report.json``, ``report.md``, ``report.html`` and ``errors.jsonl`` in ``out``.

    ``errors`` is ``all``, ``sample`` or ``none`` (:mod:`newsbench.eval.report.errors_file`), or None when
    scoring has written ``errors.jsonl`` as it went. ``errors.jsonl`` is written first, so the pages say
    what it holds (every error, or how many of them a sample lists) as they do after streaming scoring.
    """
    written = []
    if errors == "none":
        report = replace(report, errors_counted=False)
    elif errors is not None:
        with errors_file(out / ERRORS_FILE, errors) as sink:
            assert sink is not None, "a mode other than none writes a file"
            for _, group in groupby(report.error_records, key=lambda e: e["doc_id"]):
                sink.add(list(group))
        report = replace(
            report, kept_records=sink.kept, error_count=sink.found, error_groups=dict(sink.groups)
        )
        written.append(out / ERRORS_FILE)
    files = {
        "report.json": report.dumps(),
        "report.md": report_markdown(report),
        "report.html": report_html(report),
    }
    return _write_all(out, files) + written


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
