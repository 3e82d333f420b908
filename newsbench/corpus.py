"""Reading documents and corpora (adding to one is :mod:`newsbench.corpus_add`).

A corpus folder holds ``documents/<id>.json`` (one gold document each), ``manifest.json`` (id, split, file,
sha256 and counts per document) and a dataset card ``README.md``. Readers accept a corpus folder, any folder
of ``.json`` / ``.jsonl`` documents, or single files.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbench.filelock import folder_lock
from newsbench.gcpause import paused_gc
from newsbench.journal import leftovers, recover
from newsbench.jsonio import read_json
from newsbench.model import Document
from newsbench.problems import NewsbenchError, PredictionProblems, Problem
from newsbench.scan import Scanned, scan, scan_all
from newsbench.tokens import tokenize

MANIFEST = "manifest.json"
DOCUMENTS_DIR = "documents"
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Loaded:
    """A document read from disk, with where it came from (for messages) and the hash of its bytes."""

    document: Document
    file: str
    sha256: str
    tolerated: tuple[tuple[str, Problem], ...] = ()
    """A prediction's mistakes that are scored as given, each with the rule it breaks."""


def document_root(path: Path) -> Path:
    """Where a folder's documents are: a corpus (a folder with a manifest) keeps them in ``documents/``.

    Other files of a corpus folder, such as the raw double annotations kept for measuring agreement, are not
    corpus documents.
    """
    if path.is_dir() and (path / MANIFEST).exists():
        return path / DOCUMENTS_DIR
    return path


def read_documents(paths: Iterable[Path | str], *, prediction: bool | None = None) -> list[Loaded]:
    """Read and validate every document under ``paths``; raise one error listing every problem found.

    ``prediction`` picks the rules (:func:`newsbench.validate.check_document`): True for system output, False
    for gold, None to decide per document by its ``system`` field. The documents are all kept; commands
    that go through large inputs use :func:`newsbench.scan.scan`, which keeps none. A corpus folder stands
    for the documents its manifest lists (:func:`reading`; not ``agreement/`` or other folders in it).
    """
    roots = [Path(p) for p in paths]
    corpora = [root for root in roots if is_corpus(root)]
    loaded: list[Loaded] = []
    problems: list[Problem] = []
    with contextlib.ExitStack() as held:
        for root in corpora:
            held.enter_context(reading(root))
        with paused_gc():
            for item, data in scan([document_root(r) for r in roots], prediction=prediction, skip=MANIFEST):
                problems.extend(item.problems)
                if data is not None:
                    loaded.append(Loaded(Document.from_json(data), item.where, item.sha256, item.tolerated))
        for root in corpora:
            inside = (root / DOCUMENTS_DIR).resolve()
            problems.extend(
                check_manifest(root, [x for x in loaded if Path(x.file).resolve().is_relative_to(inside)])
            )
    NewsbenchError.collect(problems)
    return loaded


def is_corpus(path: Path) -> bool:
    """A corpus folder: one with a manifest."""
    return path.is_dir() and (path / MANIFEST).is_file()


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Read a corpus folder as every command reads it: what a killed ``add`` left is rolled back or forward
    first (:func:`settle`), and the block holds the corpus's shared lock, so an add interrupted before its
    renames, or one running meanwhile, is never seen half done. Any other path is read as it is."""
    if not is_corpus(path):
        yield
        return
    settle(path)
    with folder_lock(path, exclusive=False, what="corpus"):
        yield


def tolerated_note(loaded: Sequence[Loaded]) -> str | None:
    """``5 prediction problems in 3 of 40 documents scored as given: role 4, member type 1``, or None."""
    return PredictionProblems.count(item.tolerated for item in loaded).note()


def read_document(path: Path | str) -> Document:
    """One validated document from a ``.json`` file."""
    (item,) = read_documents([path])
    return item.document


def document_counts(doc: Document) -> dict[str, int]:
    return {
        "tokens": len(tokenize(doc.text)),
        "mentions": len(doc.mentions),
        "entities": len(doc.entities),
        "events": len(doc.events),
        "quotes": len(doc.quotes),
    }


@dataclass
class Corpus:
    """Gold documents by id, with each document's split."""

    documents: dict[str, Document] = field(default_factory=dict)
    splits: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def split(self, name: str | None) -> list[Document]:
        """Documents of one split (all of them for None), sorted by id."""
        return [d for i, d in sorted(self.documents.items()) if name is None or self.splits.get(i) == name]

    def __len__(self) -> int:
        return len(self.documents)


def _manifest_entries(root: Path) -> list[dict[str, Any]] | None:
    path = root / MANIFEST
    if not path.exists():
        return None
    data = read_json(path)
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise NewsbenchError([Problem(str(path), None, "$.documents", "the manifest must list documents")])
    return entries


def check_manifest(
    root: Path, loaded: Sequence[Loaded], entries: list[dict[str, Any]] | None = None
) -> list[Problem]:
    """The manifest lists exactly the document files, with the right hashes and splits."""
    return check_manifest_files(
        root, [(item.file, item.document.id, item.sha256) for item in loaded], entries
    )


def check_manifest_files(
    root: Path, files: Sequence[tuple[str, str, str]], entries: list[dict[str, Any]] | None = None
) -> list[Problem]:
    """:func:`check_manifest` from each document's ``(file, id, sha256)``, for readers that keep no documents.
    ``entries`` are the manifest's, when the caller has read them already; else they are read here."""
    if entries is None:
        entries = _manifest_entries(root)
    if entries is None:
        return []
    manifest = str(root / MANIFEST)
    problems: list[Problem] = []
    by_file = {Path(file).resolve(): (file, ident, digest) for file, ident, digest in files}
    listed: set[Path] = set()
    for i, entry in enumerate(entries):
        path = f"$.documents[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            problems.append(
                Problem(manifest, None, path, "each entry needs id, split, file, sha256 and counts")
            )
            continue
        target = (root / entry["file"]).resolve()
        listed.add(target)
        found = by_file.get(target)
        if found is None:
            problems.append(Problem(manifest, entry.get("id"), path + ".file", f"{entry['file']} is missing"))
            continue
        _, ident, digest = found
        if entry.get("id") != ident:
            problems.append(Problem(manifest, entry.get("id"), path + ".id", f"the file holds {ident!r}"))
        if entry.get("sha256") != digest:
            problems.append(
                Problem(
                    manifest,
                    ident,
                    path + ".sha256",
                    "the file changed since it was added (to correct a document, give the corrected copy to `newsbench add FILE --replace`, which checks it and updates the manifest)",
                )
            )
        if entry.get("split") not in SPLITS:
            problems.append(Problem(manifest, ident, path + ".split", f"split must be one of {SPLITS}"))
    for resolved, (file, ident, _) in by_file.items():
        if resolved not in listed:
            problems.append(Problem(file, ident, "$", "the document is not in the manifest"))
    return problems


def settle(root: Path) -> None:
    """Finish or undo what a killed ``add`` left in a corpus folder, reporting each file on stderr."""
    if not (root / MANIFEST).is_file() or not leftovers(root, DOCUMENTS_DIR):
        return
    with folder_lock(root, exclusive=True, what="corpus") as held:
        if held:
            for line in recover(root, MANIFEST, DOCUMENTS_DIR):
                print(f"newsbench: {root}: {line}", file=sys.stderr)


def load_corpus(path: Path | str) -> Corpus:
    """Load and validate a corpus folder (or any folder or file of documents; those get no split).

    A corpus folder is read under its shared lock, so an ``add`` running meanwhile is seen whole or not at
    all, after :func:`settle` has dealt with anything a killed ``add`` left.
    """
    root = Path(path)
    with reading(root):
        return _load(root)


def _load(root: Path) -> Corpus:
    loaded = read_documents([document_root(root)], prediction=False)
    entries = _manifest_entries(root) if root.is_dir() else None
    if root.is_dir():
        NewsbenchError.collect(check_manifest(root, loaded, entries))
    splits = {str(e["id"]): str(e["split"]) for e in entries or []}
    return Corpus({item.document.id: item.document for item in loaded}, splits, root)


def corpus_summary(docs: Sequence[Document]) -> dict[str, Counter[str]]:
    """Counts for the summary table: totals, mentions by type, events by type, quotes by type."""
    totals: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    events: Counter[str] = Counter()
    quotes: Counter[str] = Counter()
    for doc in docs:
        totals["documents"] += 1
        for key, value in document_counts(doc).items():
            totals[key] += value
        mentions.update(f"{m.type}/{m.kind}" for m in doc.mentions)
        events.update(e.type for e in doc.events)
        quotes.update(q.type for q in doc.quotes)
    return {"totals": totals, "mentions": mentions, "events": events, "quotes": quotes}


def scan_corpus(path: Path | str, split: str | None = None, jobs: int = 1) -> list[Scanned]:
    """:func:`load_corpus` keeping no document: each one's :class:`newsbench.scan.Scanned` record, checked
    against the manifest (in ``jobs`` processes), of one split if asked (for readers that go through a
    corpus of any size)."""
    root = Path(path)
    with reading(root):
        scanned = scan_all([document_root(root)], prediction=False, skip=MANIFEST, jobs=jobs)
        entries = _manifest_entries(root)
        files = [(s.where, str(s.id), s.sha256) for s in scanned]
        NewsbenchError.collect(check_manifest_files(root, files, entries))
    splits = {str(e["id"]): str(e["split"]) for e in entries or []}
    return [s for s in scanned if split is None or splits.get(str(s.id)) == split]
