"""Import I/O: finding and reading the source files, naming documents safely, and writing them (validated,
one JSON each, atomically)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from newsbench.formats.contract import NOTES_FILE
from newsbench.jsonio import dumps_document, write_atomic
from newsbench.model import Document
from newsbench.names import is_reserved
from newsbench.problems import NewsbenchError, Problem
from newsbench.validate import validate_data

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_doc_id(name: str) -> str:
    """A document id the schema accepts, made from a file or source name.

    Runs of other characters become ``_`` and leading punctuation goes, so ``"101 Apple, Inc"`` becomes
    ``"101_Apple_Inc"``; a trailing dot goes and a Windows device name is prefixed (``"CON.txt"`` becomes
    ``"doc-CON.txt"``), so the id is one every corpus accepts; the original name is kept in
    ``meta.import.source``.
    """
    cleaned = _UNSAFE.sub("_", name).lstrip("._-")[:200].rstrip(".") or "document"
    return f"doc-{cleaned}" if is_reserved(cleaned) else cleaned


def source_files(paths: Sequence[Path], pattern: str) -> list[Path]:
    """The files ``paths`` name: a folder stands for its files matching ``pattern`` at any depth (sorted, and
    without export notes), a file for itself.

    A folder without one such file is an error: importing nothing from it is never what was meant.
    """
    files: list[Path] = []
    empty: list[Problem] = []
    for path in paths:
        found = sorted(p for p in path.rglob(pattern) if p.name != NOTES_FILE) if path.is_dir() else [path]
        if not found:
            empty.append(
                Problem(str(path), None, "$", f"no {pattern} file in this folder (nothing to import)")
            )
        files.extend(found)
    NewsbenchError.collect(empty)
    return files


def read_text_file(path: Path) -> str:
    """A UTF-8 text exactly as stored: no newline translation, so CRLF stays two code points."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NewsbenchError(
            [Problem(str(path), None, "$", f"cannot read the file ({exc.strerror or exc})")]
        ) from None
    try:
        return raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        raise NewsbenchError([Problem(str(path), None, "$", f"not UTF-8 (byte {exc.start})")]) from None


def write_documents(documents: Sequence[Document], out: Path) -> list[Path]:
    """Validate every document, then write each to ``out/<id>.json``; nothing is written if any is invalid."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for doc in documents:
        where = str(out / f"{doc.id}.json")
        record = doc.meta.get("import")
        source = record.get("source") if isinstance(record, dict) else None
        named = f"{where} (imported from {source})" if isinstance(source, str) else where
        problems.extend(validate_data(doc.to_json(), named))
        if doc.id in seen:
            problems.append(Problem(where, doc.id, "$.id", "two imported documents have this id"))
        seen.add(doc.id)
    NewsbenchError.collect(problems)
    paths = []
    for doc in documents:
        path = out / f"{doc.id}.json"
        write_atomic(path, dumps_document(doc.to_json()))
        paths.append(path)
    return paths
