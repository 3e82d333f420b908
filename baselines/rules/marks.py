"""Quotation marks: where quoted stretches of text begin and end, paragraph by paragraph.

A quotation that reaches the end of its paragraph unclosed runs on into the next paragraph when that one
opens with a mark; :mod:`.quotes` attributes what is found here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .segments import Segment, paragraphs

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
ANY_MARK = OPEN_MARKS + CLOSE_MARKS + STRAIGHT


@dataclass
class Marked:
    """One quotation, possibly over several paragraphs: its content ranges (one per paragraph) and where its
    first opening and last closing marks sit."""

    open_at: int
    close_at: int | None
    content: list[tuple[int, int]]


def _pieces(text: str, para: Segment) -> list[Marked]:
    """Quoted stretches of one paragraph, in order; an unclosed one ends at the paragraph end."""
    out: list[Marked] = []
    open_at: int | None = None
    for i in range(para.start, para.end):
        ch = text[i]
        opening = ch in OPEN_MARKS or (ch == STRAIGHT and open_at is None)
        closing = ch in CLOSE_MARKS or (ch == STRAIGHT and open_at is not None)
        if opening and open_at is None:
            open_at = i
        elif closing and open_at is not None:
            if i > open_at + 1:
                out.append(Marked(open_at, i, [(open_at + 1, i)]))
            open_at = None
    line_end = para.end
    while line_end < len(text) and text[line_end] not in "\r\n":
        line_end += 1  # a run-on quote's content ends at the line break (the schema's rule), spaces and all
    if open_at is not None and para.end > open_at + 1:
        out.append(Marked(open_at, None, [(open_at + 1, line_end)]))
    return out


def quoted_stretches(text: str) -> list[Marked]:
    """All quotations, with a run-on quote joined to the paragraphs that continue it."""
    out: list[Marked] = []
    pending: Marked | None = None
    for para in paragraphs(text):
        pieces = _pieces(text, para)
        if pending is not None and pieces and pieces[0].open_at == para.start:
            first = pieces.pop(0)
            pending.content += first.content
            pending.close_at = first.close_at
            if first.close_at is not None:
                out.append(pending)
                pending = None
        elif pending is not None:
            out.append(pending)
            pending = None
        for piece in pieces:
            if piece.close_at is None:
                pending = piece
            else:
                out.append(piece)
    if pending is not None:
        out.append(pending)
    return out
