"""Plain-text and Markdown tables for terminal summaries and reports."""

from __future__ import annotations

from collections.abc import Sequence


def _cells(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[str(c) for c in row] for row in rows]


def text_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to width; numbers (and cells starting with a digit) right-aligned."""
    body = _cells(rows)
    widths = [
        max(len(str(h)), *(len(r[i]) for r in body)) if body else len(str(h)) for i, h in enumerate(header)
    ]

    def line(cells: Sequence[str]) -> str:
        out = []
        for cell, width in zip(cells, widths, strict=True):
            numeric = cell[:1].isdigit() or (cell[:1] == "-" and cell[1:2].isdigit())
            out.append(cell.rjust(width) if numeric else cell.ljust(width))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line([str(h) for h in header]), rule, *(line(r) for r in body)])


def markdown_text(text: str) -> str:
    """User text (system, label, corpus names, reasons) made inert in Markdown: HTML special characters become
    entities, so a renderer shows ``<script>`` as text rather than running it, and a table cell's ``|`` and
    line breaks cannot break the table."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    esc = markdown_text

    lines = ["| " + " | ".join(esc(str(h)) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in _cells(rows)]
    return "\n".join(lines)
