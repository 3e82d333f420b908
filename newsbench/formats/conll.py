"""CoNLL column files, both ways, for mentions: one token a line, the chunk tag in the last column, a blank
line between sentences; IOB1, IOB2 or IOBES, written and read by :mod:`newsbench.tagging`.

Export writes ``<id>.conll`` and the original ``<id>.txt`` beside it, tokenised by :mod:`newsbench.tokens`
with one sentence per line of the text. Flat tags hold one layer of continuous, token-aligned mentions with a
type and nothing else: nested or overlapping mentions (the outermost is kept), discontinuous ones, ones that
do not start and end on token boundaries, mention kinds, entities, events, quotes and ignore regions are
reported as left out. Import reads one document per file, or per ``-DOCSTART-`` section; it aligns the
tokens back to ``<name>.txt`` from ``--text-dir`` when given, else builds a text with single spaces (one
sentence a line); kinds become NAM, as in CoNLL NER (``--default-kind`` sets another). A tag type that is
not an ontology type (or, with ``--typemap``, not in the map; a map's ``null`` drops it on purpose) makes
the import fail unless ``--drop-unknown`` accepts dropping it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsbench.formats.builder import Layers, Losses, assemble, document_id, import_each
from newsbench.formats.contract import ExportOptions, ExportResult, ImportOptions, LeftOut
from newsbench.formats.flat import flat_mentions, line_sentences
from newsbench.formats.offsets import OffsetError, align_tokens, join_tokens
from newsbench.formats.output import read_text_file, source_files
from newsbench.jsonio import write_atomic
from newsbench.model import Document, Mention
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Span
from newsbench.tagging import decode, encode, scheme
from newsbench.typemap import load_type_map

IMPORTED_KIND = "NAM"


# --- export -------------------------------------------------------------------------------------------


def to_conll(
    doc: Document, scheme_name: str, kinds: Sequence[str] = (IMPORTED_KIND,)
) -> tuple[str, list[LeftOut]]:
    sentences = line_sentences(doc.text)
    tokens = [t for s in sentences for t in s]
    chunks, notes = flat_mentions(doc, tokens, "CoNLL column files", IMPORTED_KIND, kinds)
    tags = encode(len(tokens), chunks, scheme_name)
    lines: list[str] = []
    i = 0
    for sentence in sentences:
        for tok in sentence:
            lines.append(f"{tok.text}\t{tags[i]}")
            i += 1
        lines.append("")
    return "\n".join(lines), notes


def export_documents(docs: Sequence[Document], out: Path, options: ExportOptions) -> ExportResult:
    scheme(options.scheme)
    files: list[Path] = []
    notes: list[LeftOut] = []
    for doc in docs:
        content, left = to_conll(doc, options.scheme, options.mention_kinds)
        notes.extend(left)
        for path, data in ((out / f"{doc.id}.conll", content), (out / f"{doc.id}.txt", doc.text)):
            write_atomic(path, data)
            files.append(path)
    return ExportResult(tuple(files), tuple(notes))


# --- import -------------------------------------------------------------------------------------------


def read_columns(content: str) -> list[list[list[tuple[str, str]]]]:
    """Documents of sentences of ``(token, tag)``; a ``-DOCSTART-`` line starts a new document (CoNLL-2003
    keeps a whole corpus in one file) and ``#`` comment lines are skipped."""
    docs: list[list[list[tuple[str, str]]]] = [[[]]]
    for line in content.splitlines():
        cols = line.split()
        if cols and cols[0] == "-DOCSTART-":
            docs.append([[]])
        elif not cols:
            if docs[-1][-1]:
                docs[-1].append([])
        elif not line.startswith("#"):
            docs[-1][-1].append((cols[0], cols[-1] if len(cols) > 1 else "O"))
    found = [[s for s in doc if s] for doc in docs]
    return [doc for doc in found if doc]


def build_document(
    doc_id: str,
    sentences: list[list[tuple[str, str]]],
    text: str | None,
    options: ImportOptions,
    file: str,
    losses: Losses,
) -> Document:
    words = [[w for w, _ in s] for s in sentences]
    tags = [t for s in sentences for _, t in s]
    if text is None:
        text, rows = join_tokens(words, frozenset(), frozenset())
        offsets = [o for row in rows for o in row]
    else:
        try:
            offsets = align_tokens(text, [w for s in words for w in s])
        except OffsetError as exc:
            raise NewsbenchError([Problem(file, doc_id, "$.text", str(exc))]) from None
    types: dict[str, str | None] = (
        load_type_map(options.type_map)["types"]
        if options.type_map
        else {t: t for t in ontology().entity_types}
    )
    kind = options.default_kind or IMPORTED_KIND
    mentions: list[Mention] = []
    for first, last, ctype in decode(tags, options.scheme):
        etype = types.get(ctype)
        if etype is None:
            losses.unknown_label(f"mentions typed {ctype}", "entity type", ctype, declared=ctype in types)
            continue
        span = Span.of(text, offsets[first][0], offsets[last - 1][1])
        mentions.append(Mention(f"m{len(mentions) + 1}", (span,), etype, kind))
    meta: dict[str, Any] = {
        "import": {"format": "conll", "scheme": options.scheme, "source": Path(file).name}
    }
    return assemble(doc_id, text, losses, Layers(mentions), meta=meta)


def import_files(paths: Sequence[Path], options: ImportOptions) -> list[Document]:
    """One document per file, or per ``-DOCSTART-`` section (named ``<stem>-1``, ``<stem>-2``, …).

    With ``text_dir``, each document's tokens are aligned to ``<name>.txt`` there.
    """
    scheme(options.scheme)
    if options.type_map:
        load_type_map(options.type_map, ontology().entity_types)

    def sections() -> Iterator[tuple[Path, str, list[list[tuple[str, str]]]]]:
        for path in source_files(paths, "*.conll"):
            found = read_columns(read_text_file(path))
            if not found:
                raise NewsbenchError([Problem(str(path), None, "$", "no tokens in the file")])
            for n, sentences in enumerate(found, start=1):
                yield path, path.stem if len(found) == 1 else f"{path.stem}-{n}", sentences

    def read(section: tuple[Path, str, list[list[tuple[str, str]]]], losses: Losses) -> Document:
        path, name, sentences = section
        text = read_text_file(options.text_dir / f"{name}.txt") if options.text_dir else None
        return build_document(document_id(name), sentences, text, options, str(path), losses)

    return import_each(paths, options, sections(), read)
