"""Reading documents one at a time: each one checked, then described by where it is rather than kept.

Commands that go through a whole corpus (``validate``, ``score``) keep only a :class:`Scanned` per document:
its id, where it is (:class:`Place`, a byte range of a file), hashes and the prediction problems it is scored
with. A document is read again from its place when it is needed (:func:`load`), so memory grows with the
number of documents only through these small records. ``jobs`` above 1 checks documents in worker
processes, in batches, with a bounded number of batches in flight.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import msgspec

from newsbench.jsonio import parse_json, read_json_bytes, read_json_lines_at
from newsbench.model import Document
from newsbench.parallel import OrderedPool
from newsbench.problems import NewsbenchError, Problem
from newsbench.validate import check_document

BATCH = 64
"""Documents per task sent to a worker process: enough to make the hand-over cheap, few enough to stream."""


@dataclass(frozen=True, slots=True)
class Place:
    """A document's bytes: a whole ``.json`` file, or one line of a ``.jsonl`` file."""

    path: str
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class Scanned:
    """One document read and checked, without the document itself.

    ``problems`` refuse it; ``tolerated`` are a prediction's mistakes that are scored as given, each with
    the rule it breaks. A record with no ``place`` carries problems about a file or a folder, not a document.
    """

    id: str | None
    where: str
    place: Place | None
    sha256: str
    text_sha256: bytes
    problems: tuple[Problem, ...]
    tolerated: tuple[tuple[str, Problem], ...] = ()
    system: bool = False
    """Whether the document names the system that made it (a prediction)."""


def document_files(path: Path, skip: str) -> tuple[list[Path], list[Problem]]:
    """The ``.json`` / ``.jsonl`` files under ``path`` (``path`` itself when it is a file), leaving out files
    named ``skip``; a link to outside the folder is refused, as it would let a corpus read (and its manifest
    vouch for) files it does not hold."""
    if not path.is_dir():
        return [path], []
    root = path.resolve()
    files: list[Path] = []
    problems: list[Problem] = []
    for p in sorted(path.rglob("*")):
        if p.suffix not in (".json", ".jsonl") or p.name == skip or not p.is_file():
            continue
        if not p.resolve().is_relative_to(root):
            problems.append(
                Problem(str(p), None, "$", f"the file links to {p.resolve()}, outside {path}; refused")
            )
            continue
        files.append(p)
    return files, problems


def _raw_records(file: Path) -> Iterator[tuple[str, bytes, Place]]:
    if file.suffix == ".jsonl":
        name = str(file)
        for where, raw, offset in read_json_lines_at(file):
            yield where, raw, Place(name, offset, len(raw))
    else:
        raw = read_json_bytes(file)
        yield str(file), raw, Place(str(file), 0, len(raw))


Sent = tuple[str, bytes | None, Place]
"""A document as a worker process is sent it: where it is in words, its bytes, or None when the worker is
to read them from its place, and its place."""


def _sent(record: tuple[str, bytes, Place], again: dict[str, bool]) -> Sent:
    """A line of a JSON Lines file that can be read again (a regular file, not a pipe) is sent by place
    alone, and the worker reads it: a corpus's bytes are not copied through a pipe to the workers.
    ``again`` caches per path whether it can be read again."""
    where, _, place = record
    can = again.get(place.path)
    if can is None:
        path = Path(place.path)
        can = again[place.path] = path.suffix == ".jsonl" and path.is_file()
    return (where, None, place) if can else record


def check_raw(where: str, raw: bytes, place: Place, prediction: bool | None) -> tuple[Scanned, Any]:
    """Parse and check one document's bytes: its :class:`Scanned` record and the parsed JSON (None if refused)."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        data = parse_json(raw, where)
    except NewsbenchError as exc:
        return Scanned(None, where, place, digest, b"", exc.problems), None
    checked = check_document(data, where, prediction=prediction)
    if checked.problems:
        return Scanned(None, where, place, digest, b"", tuple(checked.problems)), None
    text = hashlib.sha256(data["text"].encode("utf-8")).digest()
    system = bool(data.get("system"))
    return Scanned(data["id"], where, place, digest, text, (), tuple(checked.tolerated), system), data


def _check_batch(batch: list[Sent], prediction: bool | None) -> list[Scanned]:
    with Rereader() as read:
        return [
            check_raw(where, read.raw(place) if raw is None else raw, place, prediction)[0]
            for where, raw, place in batch
        ]


def _records(paths: Iterable[Path | str], skip: str) -> Iterator[tuple[str, bytes, Place] | Problem]:
    """Every document under ``paths``, or a problem about a path or a file, in reading order."""
    for root in map(Path, paths):
        if not root.exists():
            yield Problem(str(root), None, "$", "no such file or folder")
            continue
        files, refused = document_files(root, skip)
        yield from refused
        if root.is_dir() and not files and not refused:
            yield Problem(str(root), None, "$", "the folder holds no .json or .jsonl documents")
        for file in files:
            try:
                yield from _raw_records(file)
            except NewsbenchError as exc:
                yield from exc.problems


def _problem_record(problem: Problem) -> Scanned:
    return Scanned(None, problem.file, None, "", b"", (problem,))


def _in_workers(
    records: Iterator[tuple[str, bytes, Place] | Problem], prediction: bool | None, jobs: int
) -> Iterator[Scanned]:
    """The checks of ``records`` run in ``jobs`` processes, results in reading order, a few batches at most
    read ahead (:class:`newsbench.parallel.OrderedPool`). Input of one batch or less is checked here: starting
    processes would cost more than they save."""
    head: list[tuple[str, bytes, Place] | Problem] = []
    documents = 0
    for record in records:
        head.append(record)
        documents += not isinstance(record, Problem)
        if documents > BATCH:
            break
    else:
        for record in head:
            yield (
                _problem_record(record) if isinstance(record, Problem) else check_raw(*record, prediction)[0]
            )
        return
    batch: list[Sent] = []
    again: dict[str, bool] = {}
    with OrderedPool[Scanned](jobs) as pool:
        for record in itertools.chain(head, records):
            if isinstance(record, Problem):
                if batch:
                    pool.submit(_check_batch, batch, prediction)
                    batch = []
                pool.ready([_problem_record(record)])
                continue
            batch.append(_sent(record, again))
            if len(batch) == BATCH:
                pool.submit(_check_batch, batch, prediction)
                batch = []
                yield from pool.results()
        if batch:
            pool.submit(_check_batch, batch, prediction)
        yield from pool.results(every=True)


def scan(
    paths: Iterable[Path | str], *, prediction: bool | None = None, skip: str = "", jobs: int = 1
) -> Iterator[tuple[Scanned, Any]]:
    """Each document under ``paths`` as ``(Scanned, parsed JSON or None)``, one at a time, then one record
    per id used twice. ``prediction`` picks the rules (:func:`newsbench.validate.check_document`); ``skip``
    names files that are not documents (a corpus's manifest). With ``jobs`` above 1 the checks run in worker
    processes and the parsed JSON is not handed back (None)."""
    seen: dict[str, str] = {}
    twice: list[Problem] = []
    records = _records(paths, skip)
    if jobs > 1:
        found: Iterator[tuple[Scanned, Any]] = (
            (item, None) for item in _in_workers(records, prediction, jobs)
        )
    else:
        found = (
            (_problem_record(r), None) if isinstance(r, Problem) else check_raw(*r, prediction)
            for r in records
        )
    for item, data in found:
        if item.id is not None:
            first = seen.setdefault(item.id, item.where)
            if first != item.where:
                twice.append(Problem(item.where, item.id, "$.id", f"the same id is also used in {first}"))
        yield item, data
    for problem in twice:
        yield _problem_record(problem), None


def load(place: Place) -> Document:
    """The document at ``place``, read again (it was checked when it was scanned)."""
    with Rereader() as read:
        return read(place)


CHANGED = "the document changed since it was read and checked; run again"

IN_MEMORY = "<memory>"
"""The path of a :class:`Place` that is a position in a list of documents held in memory (an imported
track, a library caller's list): such a document is read from that list, never from a file."""


_DOCUMENT = msgspec.json.Decoder(Document)
"""Reads a document's JSON straight into the model's classes, with no dictionaries in between."""


def decode(raw: bytes, where: str) -> Document:
    """A checked document's bytes as a :class:`Document` (see :class:`Rereader` for why msgspec alone)."""
    try:
        return _DOCUMENT.decode(raw)
    except msgspec.DecodeError:
        return Document.from_json(parse_json(raw, where))


class Rereader:
    """Reads scanned documents back from their places, for a reader that goes through many of them.

    A JSON Lines file stays open between documents (up to :data:`OPEN_FILES` at once), rather than being
    opened again for each of its lines. A document that was scanned passed :func:`parse_json`, so it holds
    no duplicate key, no integer over 64 bits, no NaN and no lone surrogate: what msgspec reads from it is
    what :func:`parse_json` would give, so msgspec alone reads it, into the model's classes at once (half
    the time of parsing to dictionaries and building the model from them); a text msgspec refuses (a file
    starting with a byte-order mark) goes through :func:`parse_json` and :meth:`Document.from_json`.

    ``held`` are the documents of places in :data:`IN_MEMORY`, so that documents on disk and documents
    only held in memory are reached the one way, by their :class:`Scanned` record.
    """

    OPEN_FILES = 16

    def __init__(self, held: Sequence[Document] = ()) -> None:
        self._open: dict[str, IO[bytes]] = {}
        self._held = held

    def raw(self, place: Place) -> bytes:
        """The bytes at ``place``."""
        handle = self._open.get(place.path)
        if handle is None:
            if len(self._open) >= self.OPEN_FILES:
                self.close()
            handle = self._open[place.path] = open(place.path, "rb")  # noqa: SIM115 -- closed by close()
        handle.seek(place.offset)
        return handle.read(place.length)

    def __call__(self, place: Place) -> Document:
        return decode(self.raw(place), place.path)

    def checked(self, item: Scanned) -> Document:
        """The document ``item`` describes, refused when its bytes are no longer the bytes that were checked
        (the file was edited since it was scanned): the checks, the pairing and the report's signature are
        of what was read first, so something else must not be scored under them."""
        assert item.place is not None, "a scanned document always has a place"
        if item.place.path == IN_MEMORY:
            return self._held[item.place.offset]
        raw = self.raw(item.place)
        if item.sha256 and hashlib.sha256(raw).hexdigest() != item.sha256:
            raise NewsbenchError([Problem(item.where, item.id, "$", CHANGED)])
        return decode(raw, item.where)

    def close(self) -> None:
        for handle in self._open.values():
            handle.close()
        self._open.clear()

    def __enter__(self) -> Rereader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scan_all(
    paths: Iterable[Path | str], *, prediction: bool | None = None, skip: str = "", jobs: int = 1
) -> list[Scanned]:
    """Every valid document's :class:`Scanned` record under ``paths``; one error listing every problem."""
    kept: list[Scanned] = []
    problems: list[Problem] = []
    for item, _ in scan(paths, prediction=prediction, skip=skip, jobs=jobs):
        problems.extend(item.problems)
        if item.id is not None and not item.problems:
            kept.append(item)
    NewsbenchError.collect(problems)
    return kept
