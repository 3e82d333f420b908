"""Adding gold documents to a corpus: all or nothing, one writer at a time, safe against ``kill -9``.

The corpus's exclusive lock keeps two adds (and readers) apart; the write-ahead order of
:mod:`newsbench.journal` makes the manifest the single commit point, so a killed add leaves the corpus
fully old or fully new once the next command has settled it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsbench.corpus import (
    DOCUMENTS_DIR,
    MANIFEST,
    SPLITS,
    _manifest_entries,
    document_counts,
)
from newsbench.digest import sha256_text
from newsbench.filelock import folder_lock
from newsbench.journal import fsync_dir, pending_path, recover
from newsbench.jsonio import dumps_canonical, dumps_document, read_json, write_atomic
from newsbench.names import fold_collisions, name_problem
from newsbench.problems import NewsbenchError, Problem
from newsbench.scan import Scanned, document_files, load, scan_all
from newsbench.wording import counted


def _manifest(entries: list[dict[str, Any]]) -> str:
    return dumps_canonical({"schema_version": "1.0", "documents": sorted(entries, key=lambda e: e["id"])})


def _refuse_loose_folder(root: Path) -> None:
    loose, _ = document_files(root, MANIFEST)
    if loose:
        message = (
            f"the folder has no {MANIFEST} but holds {counted(len(loose), 'JSON file')}, such as {loose[0]}: it is "
            "not a newsbench corpus, and adding to it would leave those files out of the manifest. Add "
            "them with `newsbench add FILE… --corpus NEW_FOLDER` instead"
        )
        raise NewsbenchError([Problem(str(root), None, "$", message)])


def _existing_texts(root: Path, entries: list[dict[str, Any]]) -> dict[str, str]:
    """Text hash -> id of every document in the corpus, from the manifest.

    Entries written since the manifest kept ``text_sha256`` cost nothing; an older entry's document is read
    for its text (parsed, not validated again), so an add reads no document it does not have to.
    """
    texts: dict[str, str] = {}
    for entry in entries:
        digest = entry.get("text_sha256")
        if not isinstance(digest, str):
            file = root / str(entry.get("file"))
            data = read_json(file)
            text = data.get("text") if isinstance(data, dict) else None
            digest = sha256_text(text if isinstance(text, str) else "")
        texts.setdefault(digest, str(entry.get("id")))
    return texts


def _problems(
    new: Sequence[Scanned], ids: set[str], texts: dict[str, str], replace: bool = False
) -> list[Problem]:
    problems: list[Problem] = []
    for item in new:
        doc = item
        assert doc.id is not None, "scanned documents that were refused never get here"
        if item.system:
            problems.append(
                Problem(item.where, doc.id, "$.system", "a prediction cannot be added to a gold corpus")
            )
        why = name_problem(doc.id)
        if why is not None:
            problems.append(Problem(item.where, doc.id, "$.id", f"the id names a file, so it {why}"))
        if doc.id in ids and not replace:
            problems.append(
                Problem(
                    item.where,
                    doc.id,
                    "$.id",
                    "the corpus already has a document with this id (add --replace to correct it)",
                )
            )
        if doc.id not in ids and replace:
            problems.append(
                Problem(item.where, doc.id, "$.id", "the corpus has no document with this id to replace")
            )
        text_hash = doc.text_sha256.hex()
        if text_hash in texts and texts[text_hash] != doc.id:
            problems.append(
                Problem(
                    item.where, doc.id, "$.text", f"the corpus already has this text as {texts[text_hash]!r}"
                )
            )
        texts.setdefault(text_hash, doc.id)
    where = {str(item.id): item.where for item in new}
    for first, second in fold_collisions([*sorted(ids), *(str(i.id) for i in new)]):
        problems.append(
            Problem(
                where.get(second, "-"),
                second,
                "$.id",
                f"the id differs from {first!r} only in case: their files would be one file on a "
                "case-insensitive file system",
            )
        )
    return problems


def add_documents(
    files: Sequence[Path | str], corpus: Path | str, split: str | None = "test", *, replace: bool = False
) -> list[str]:
    """Validate ``files`` and add them to the corpus, all or nothing.

    Refuses documents whose id or text is already in the corpus (or repeated among ``files``), and ids that
    cannot name a file everywhere. With ``replace`` each document must instead have the id of one the corpus
    holds, and takes its place (an erratum: a corrected span, type or text), in its split unless ``split``
    names another; its text may then be its own old text but no other document's. Holds the corpus's exclusive lock throughout (a second add waits, then
    fails with a clear message); writes the new documents under pending names, commits by replacing the
    manifest, then renames them into place. Whatever a killed add left is settled by the next command.
    Documents are read one at a time, checked, and read again one at a time to be written; the ids added
    are returned.
    """
    if split is not None and split not in SPLITS:
        raise NewsbenchError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    if split is None and not replace:
        raise NewsbenchError("a new document needs a split")
    root = Path(corpus)
    if replace and not (root / MANIFEST).is_file():
        raise NewsbenchError(
            [Problem(str(root), None, "$", f"there is no corpus here ({MANIFEST}) to replace in")]
        )
    if root.exists() and not root.is_dir():
        raise NewsbenchError([Problem(str(root), None, "$", "--corpus must be a corpus folder, not a file")])
    if root.is_dir() and not (root / MANIFEST).exists():
        _refuse_loose_folder(root)
    new = scan_all(files, prediction=False)  # before the lock: reading and validating can be slow
    root.mkdir(parents=True, exist_ok=True)
    with folder_lock(root, exclusive=True, what="corpus"):
        for line in recover(root, MANIFEST, DOCUMENTS_DIR):
            print(f"newsbench: {root}: {line}", file=sys.stderr)
        if not (root / MANIFEST).exists():
            _refuse_loose_folder(root)  # another process may have written files meanwhile
        # The corpus is known from its manifest (checked by `validate`), not read again: the cost of an add
        # beyond rewriting the manifest does not grow with the corpus.
        entries = _manifest_entries(root) or []
        ids = {str(entry.get("id")) for entry in entries}
        replaced = {str(item.id) for item in new} if replace else set()
        kept = [entry for entry in entries if str(entry.get("id")) not in replaced]
        NewsbenchError.collect(_problems(new, ids, _existing_texts(root, kept), replace))
        splits = {str(entry.get("id")): str(entry.get("split")) for entry in entries}
        _commit(root, new, kept, {str(item.id): split or splits[str(item.id)] for item in new})
    return [str(item.id) for item in new]


def _commit(
    root: Path, new: Sequence[Scanned], entries: list[dict[str, Any]], splits: dict[str, str]
) -> None:
    """Write ``new`` under pending names, commit the manifest of ``entries`` plus theirs (each in its split
    of ``splits``), then put them in place; a document replaced keeps its file name, so renaming the
    pending file over it is the same step as for a new one."""
    documents = root / DOCUMENTS_DIR
    documents.mkdir(exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for item in new:
            assert item.place is not None, "a scanned document always has a place"
            document = load(item.place)
            content = dumps_document(document.to_json())
            final = documents / f"{document.id}.json"
            pending = pending_path(final)
            write_atomic(pending, content)
            staged.append((pending, final))
            entries.append(
                {
                    "id": document.id,
                    "split": splits[document.id],
                    "file": f"{DOCUMENTS_DIR}/{final.name}",
                    "sha256": sha256_text(content),
                    "text_sha256": item.text_sha256.hex(),
                    "counts": document_counts(document),
                }
            )
        fsync_dir(documents)
        write_atomic(root / MANIFEST, _manifest(entries))  # the commit point
    except BaseException:
        for pending, _ in staged:
            with contextlib.suppress(OSError):
                pending.unlink()
        raise
    fsync_dir(root)
    for pending, final in staged:
        os.replace(pending, final)
    fsync_dir(documents)
