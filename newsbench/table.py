"""Plain-text and Markdown tables for terminal summaries and reports."""

from __future__ import annotations

import re
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


_MD_ALWAYS = re.compile(r"[\\`*<\[\]|]")
"""Characters escaped wherever they are: a backslash, code and emphasis marks, ``<`` (which could open an
HTML tag), link brackets and a table cell's ``|``."""
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
"""An underscore that could open or close emphasis: not one inside a word (``gum_news`` stays as it is)."""
_MD_LEADING = ("#", ">", "-", "+", "=")


def markdown_text(text: str) -> str:
    """User text (system, label, corpus names, reasons) made inert in Markdown with Markdown's own escapes,
    so the file reads as written (``PER -> person``) and renders as written: a backslash before ``<`` keeps
    ``<script>`` text rather than HTML, before ``&`` keeps ``&lt;`` from turning into ``<``, before ``|``
    keeps a table cell whole; line breaks become spaces, and a mark that would start a heading, quote or
    list is escaped. HTML output escapes for HTML on its own (``html.escape``), never this."""
    escaped = _markdown_cell(text)
    return "\\" + escaped if escaped.startswith(_MD_LEADING) else escaped


def _markdown_cell(text: str) -> str:
    """:func:`markdown_text` inside a line, where no mark can start a block (a table cell)."""
    flat = text.replace("\r", " ").replace("\n", " ")
    return _MD_LOOSE_UNDERSCORE.sub(r"\\_", _MD_ENTITY.sub(r"\\&", _MD_ALWAYS.sub(r"\\\g<0>", flat)))


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    esc = _markdown_cell

    lines = ["| " + " | ".join(esc(str(h)) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in _cells(rows)]
    return "\n".join(lines)
