"""The WebAnno TSV 3.x file: header layers, token rows and their stacked cell values, parsed without
interpreting them (:mod:`newsbench.formats.webanno` turns them into documents)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsbench.problems import NewsbenchError, Problem

_STACK = re.compile(r"(?<!\\)\|")
_VALUE = re.compile(r"^(?P<label>.*?)(?:\[(?P<id>\d+)\])?$", re.DOTALL)
TARGET = re.compile(r"^(?P<addr>\d+-\d+(?:\.\d+)?)(?:\[(?P<src>\d+)_(?P<tgt>\d+)\])?$")
"""A relation's target: a token address (``3-4``, or ``3-4.1`` for a sub-token) with optional ids."""
LINK = re.compile(r"^(?P<label>.*)->(?P<chain>\d+)-(?P<link>\d+)(?:\[\d+\])?$", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r"}


def unescape(value: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), value)


@dataclass(frozen=True)
class Layer:
    kind: str
    """``SP`` span, ``RL`` relation or ``CH`` chain."""
    name: str
    features: tuple[str, ...]
    column: int
    """Index of the layer's first feature column in a token row."""


@dataclass
class Token:
    address: str
    index: int
    """Position among all tokens of the document."""
    sentence: int
    units: tuple[int, int]
    text: str
    cells: list[str]


@dataclass
class Tsv:
    layers: list[Layer] = field(default_factory=list)
    sentences: list[list[str]] = field(default_factory=list)
    """``#Text=`` lines of each sentence."""
    tokens: list[Token] = field(default_factory=list)
    subtokens: int = 0


def parse_tsv(content: str, file: str) -> Tsv:
    tsv = Tsv()
    column = 3
    lines = content.splitlines()
    if not lines or not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise NewsbenchError(
            [Problem(file, None, "line 1", "not WebAnno TSV 3.x (expected '#FORMAT=WebAnno TSV 3…')")]
        )
    in_sentence = False
    problems: list[Problem] = []  # every bad row of the file at once, not one per attempt
    for n, line in enumerate(lines, start=1):
        if line.startswith(("#T_SP=", "#T_RL=", "#T_CH=")):
            name, *features = line[6:].split("|")
            tsv.layers.append(Layer(line[3:5], name, tuple(features), column))
            column += len(features)
        elif line.startswith("#Text="):
            if not in_sentence:
                tsv.sentences.append([])
                in_sentence = True
            tsv.sentences[-1].append(unescape(line[6:]))
        elif not line.strip():
            in_sentence = False
        elif not line.startswith("#"):
            cells = line.split("\t")
            if len(cells) < column:
                message = f"expected {column} columns, found {len(cells)}: {line!r}"
                problems.append(Problem(file, None, f"line {n}", message))
                continue
            if "." in cells[0]:
                tsv.subtokens += 1
                continue
            try:
                begin, end = (int(x) for x in cells[1].split("-"))
            except ValueError:
                problems.append(Problem(file, None, f"line {n}", f"bad offsets {cells[1]!r} in {line!r}"))
                continue
            in_sentence = False
            tsv.tokens.append(
                Token(
                    cells[0], len(tsv.tokens), len(tsv.sentences) - 1, (begin, end), unescape(cells[2]), cells
                )
            )
    NewsbenchError.collect(problems)
    return tsv


def cell_values(cell: str) -> list[tuple[str, str | None]]:
    """``(label, id)`` of each stacked value of a cell; ``_`` is no value."""
    if cell in ("_", ""):
        return []
    out = []
    for raw in _STACK.split(cell):
        m = _VALUE.match(raw)
        assert m is not None  # the pattern matches every string
        out.append((unescape(m.group("label")), m.group("id")))
    return out
