"""The gold documents a run goes through, each read when it is needed rather than all held at once.

A run over a corpus folder keeps only each document's :class:`newsbench.scan.Scanned` record (id, where its
bytes are, hashes) and reads the document back from its place for the moment it is needed: to build a
system's input and cache key, to score it. Documents that exist only in memory (an imported track, a
library caller's list) are given the same shape, their place naming their position in the list, so the run
loop and the scorer have one way to reach a document whatever holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from newsbench.corpus import scan_corpus
from newsbench.jsonio import canonical_json
from newsbench.model import Document
from newsbench.scan import Place, Rereader, Scanned

IN_MEMORY = "<memory>"
"""The path of a :class:`Place` that is a position in a list of documents held in memory."""


@dataclass(frozen=True)
class GoldSet:
    """Gold documents in id order: their scanned records, and how to read one back from its place."""

    items: tuple[Scanned, ...]
    read: Callable[[Place], Document]

    @classmethod
    def scanned(cls, items: Sequence[Scanned], read: Callable[[Place], Document]) -> GoldSet:
        """Documents on disk, as :func:`newsbench.corpus.scan_corpus` describes them."""
        return cls(tuple(sorted(items, key=lambda s: str(s.id))), read)

    @classmethod
    def of_documents(cls, docs: Sequence[Document]) -> GoldSet:
        """Documents held in memory: each one's place is its position in ``docs``."""
        ordered = sorted(docs, key=lambda d: d.id)
        items = tuple(
            Scanned(
                d.id,
                IN_MEMORY,
                Place(IN_MEMORY, i, 0),
                "",
                hashlib.sha256(d.text.encode("utf-8")).digest(),
                (),
            )
            for i, d in enumerate(ordered)
        )
        return cls(items, lambda place: ordered[place.offset])

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> list[str]:
        return [str(item.id) for item in self.items]

    def document(self, index: int) -> Document:
        """The ``index``-th document in id order, read from its place."""
        place = self.items[index].place
        assert place is not None, "a scanned document always has a place"
        return self.read(place)

    def documents(self) -> Iterator[Document]:
        """Every document in id order, one at a time."""
        for index in range(len(self.items)):
            yield self.document(index)

    @cached_property
    def _digest(self) -> str:
        digest = hashlib.sha256()
        for doc in self.documents():
            digest.update(canonical_json(doc.to_json()).encode("utf-8") + b"\n")
        return digest.hexdigest()

    def sha256(self) -> str:
        """What :func:`newsbench.digest.sha256_documents` gives for these documents, read one at a time (once)."""
        return self._digest


def corpus_split(path: Path, split: str | None) -> GoldSet:
    """One split of a corpus folder (all of it for None; any folder or file of documents has no split), each
    document checked as :func:`newsbench.corpus.load_corpus` checks it, then read again when needed."""
    items = scan_corpus(path, split)
    return GoldSet.scanned(items, unchanged_reader(items))


def unchanged_reader(items: Sequence[Scanned]) -> Callable[[Place], Document]:
    """Reads each scanned document again, refusing one whose bytes are no longer those that were checked:
    a run's folder is named after what it read, so a file edited during the run must stop it, not be
    scored as something the spec does not describe."""
    scanned = {item.place: item for item in items if item.place is not None}

    def read(place: Place) -> Document:
        with Rereader() as reread:
            return reread.checked(scanned[place])

    return read
