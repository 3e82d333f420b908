"""spaCy ``Doc.to_json`` export, written without spaCy: ``text``, ``ents`` (start, end, label), ``sents`` and
``tokens`` (id, start, end), all in characters (code points), so ``Doc.from_json`` can rebuild the doc.

Tokens come from :mod:`newsbench.tokens` with one sentence per line of the text. ``ents`` is one flat layer:
what it cannot hold (nested, discontinuous or off-token mentions, kinds, entities, events, quotes, ignore
regions) is reported as left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsbench.formats.contract import FLAT_KINDS, ExportOptions, ExportResult, LeftOut
from newsbench.formats.flat import flat_mentions, line_sentences
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.model import Document

SUFFIX = ".spacy.json"


def to_spacy_json(doc: Document, kinds: Sequence[str] = FLAT_KINDS) -> tuple[dict[str, Any], list[LeftOut]]:
    sentences = line_sentences(doc.text)
    tokens = [t for s in sentences for t in s]
    chunks, notes = flat_mentions(doc, tokens, "spaCy ents", None, kinds)
    data = {
        "text": doc.text,
        "ents": [
            {"start": tokens[a].start, "end": tokens[b - 1].end, "label": label} for a, b, label in chunks
        ],
        "sents": [{"start": s[0].start, "end": s[-1].end} for s in sentences],
        "tokens": [{"id": i, "start": t.start, "end": t.end} for i, t in enumerate(tokens)],
    }
    return data, notes


def export_documents(docs: Sequence[Document], out: Path, options: ExportOptions) -> ExportResult:
    files: list[Path] = []
    notes: list[LeftOut] = []
    for doc in docs:
        data, left = to_spacy_json(doc, options.mention_kinds)
        notes.extend(left)
        path = out / f"{doc.id}{SUFFIX}"
        write_atomic(path, dumps_canonical(data))
        files.append(path)
    return ExportResult(tuple(files), tuple(notes))
