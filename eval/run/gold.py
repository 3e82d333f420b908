"""The gold documents a run goes through, each read when it is needed rather than all held at once.

A run over a corpus folder keeps only each document's :class:`newsbench.scan.Scanned` record (id, where its
bytes are, hashes) and reads the document back from its place for the moment it is needed: to build a
system's input and cache key, to score it. Documents that exist only in memory (an imported track, a
library caller's list) are given the same shape, their place naming their position in the list, so the run
loop and the scorer have one way to reach a document whatever holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from newsbench.corpus import scan_corpus
from newsbench.jsonio import canonical_json
from newsbench.model import Document
from newsbench.scan import IN_MEMORY, Place, Rereader, Scanned

__all__ = ["GoldSet", "corpus_split"]


@dataclass(frozen=True)
class GoldSet:
    """Gold documents in id order: their scanned records, read back from their places when needed.

    ``held`` are the documents themselves when they exist only in memory (each item's place is its position
    there); it is empty for documents on disk, which are read from their files, each one refused if its
    bytes are no longer those that were checked: a run's folder is named after what it read, so a file
    edited during the run must stop it, not be scored as something the spec does not describe.
    """

    items: tuple[Scanned, ...]
    held: tuple[Document, ...] = ()

    @classmethod
    def scanned(cls, items: Sequence[Scanned]) -> GoldSet:
        """Documents on disk, as :func:`newsbench.corpus.scan_corpus` describes them."""
        return cls(tuple(sorted(items, key=lambda s: str(s.id))))

    @classmethod
    def of_documents(cls, docs: Sequence[Document]) -> GoldSet:
        """Documents held in memory: each one's place is its position in ``docs``."""
        ordered = tuple(sorted(docs, key=lambda d: d.id))
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
        return cls(items, ordered)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ids(self) -> list[str]:
        return [str(item.id) for item in self.items]

    def document(self, index: int) -> Document:
        """The ``index``-th document in id order, read from its place."""
        with Rereader(self.held) as reread:
            return reread.checked(self.items[index])

    def documents(self) -> Iterator[Document]:
        """Every document in id order, one at a time."""
        with Rereader(self.held) as reread:
            for item in self.items:
                yield reread.checked(item)

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
    return GoldSet.scanned(scan_corpus(path, split))
