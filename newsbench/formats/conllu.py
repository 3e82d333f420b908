"""Just enough CoNLL-U for the WebAnno importer: sentence text, words with part of speech and heads, and
document metadata comments (``# meta::title = …``, ``# newpar``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsbench.formats.output import read_text_file
from newsbench.problems import NewsbenchError, Problem


@dataclass(frozen=True)
class Word:
    form: str
    upos: str
    head: int
    """1-based index of the syntactic head within the sentence; 0 for the root."""


@dataclass
class Sentence:
    text: str | None = None
    new_paragraph: bool = False
    words: list[Word] = field(default_factory=list)


@dataclass
class ConlluDocument:
    meta: dict[str, str] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)


def read_conllu(path: Path) -> ConlluDocument:
    """Words of every sentence; multiword-token ranges and empty nodes are skipped (GUM has none in news)."""
    doc = ConlluDocument()
    current = Sentence()
    for n, line in enumerate(read_text_file(path).splitlines(), start=1):
        if not line.strip():
            if current.words:
                doc.sentences.append(current)
            current = Sentence(new_paragraph=False)
        elif line.startswith("#"):
            key, _, value = line[1:].strip().partition("=")
            key, value = key.strip(), value.strip()
            if key == "text":
                current.text = value
            elif key.startswith("newpar"):
                current.new_paragraph = True
            elif key.startswith("meta::") or key == "newdoc id":
                doc.meta[key.removeprefix("meta::")] = value
        else:
            cols = line.split("\t")
            if len(cols) != 10:
                raise NewsbenchError(
                    [Problem(str(path), None, f"line {n}", "a word line needs 10 tab-separated columns")]
                )
            if "-" in cols[0] or "." in cols[0]:
                continue
            current.words.append(Word(cols[1], cols[3], int(cols[6]) if cols[6].isdigit() else 0))
    if current.words:
        doc.sentences.append(current)
    return doc


def head_word(words: list[Word], indexes: list[int]) -> int:
    """The 0-based index, among ``indexes``, of the first word whose head lies outside them (the phrase head)."""
    inside = {i + 1 for i in indexes}
    for i in sorted(indexes):
        if words[i].head not in inside:
            return i
    return min(indexes)
