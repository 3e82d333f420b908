"""Every document's statistics as index arrays into two small tables, so sums and matrices are made in C.

Documents share their keys and counts (:mod:`newsbench.eval.metrics.shared`): the statistics of a corpus are a
few hundred distinct keys and counts, repeated. An entry (one key of one document) is then a pair of indices
into those two tables, and summing per key or filling a documents × keys matrix takes a few array
operations, where a Python loop over every entry of every document was the slowest step left after scoring.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult, StatKey

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.unsignedinteger[Any] | np.intp]

FIELDS = 8
"""A :class:`Counts`' fields, in order: ``tp pos act cor inc par mis spu``."""


@dataclass(frozen=True)
class StatArrays:
    """The statistics of results: entry ``i`` is key ``keys[key[i]]`` with the counts ``table[count[i]]``,
    of the document whose entries it falls among (``lengths`` gives each document's number, in order).
    Keys are listed in the order they first occur (document by document, each in its own order), the order
    in which adding the documents one by one meets them. Indices take the fewest bits their table needs:
    these arrays live as long as the report is being made."""

    lengths: IndexArray
    keys: list[StatKey]
    table: FloatArray
    key: IndexArray
    count: IndexArray

    @property
    def documents(self) -> int:
        return len(self.lengths)

    @classmethod
    def of(cls, results: Sequence[DocResult]) -> StatArrays:
        stats = [result.stats for result in results]
        lengths = np.fromiter(map(len, stats), dtype=np.intp, count=len(stats))
        entries = int(lengths.sum())

        def every_key() -> Iterator[StatKey]:
            return chain.from_iterable(stats)

        def every_count() -> Iterator[Counts]:
            return chain.from_iterable(map(dict.values, stats))

        # Each pass below runs in C and keeps nothing the size of the entries but the index arrays. Keys are
        # tuples of strings, told apart by value. Counts are told apart by identity: shared counts are one
        # object, and an equal count that is another object only takes one more row of the table.
        keys = list(dict.fromkeys(every_key()))
        key = _indices(keys, every_key(), entries)
        objects = dict(zip(map(id, every_count()), every_count(), strict=True))
        count = _indices(objects, map(id, every_count()), entries)
        table = np.array(
            [(c.tp, c.pos, c.act, c.cor, c.inc, c.par, c.mis, c.spu) for c in objects.values()],
            dtype=np.float64,
        ).reshape(len(objects), FIELDS)
        return cls(lengths, keys, table, key, count)

    def sums(self) -> dict[StatKey, Counts]:
        """Every key's counts added over the documents, in document order (each per-key sum is a
        sequential sum in the order the documents come, so a fractional credit adds up to the same float
        as adding the documents one by one)."""
        columns = [
            np.bincount(self.key, weights=self.table[self.count, field], minlength=len(self.keys))
            for field in range(FIELDS)
        ]
        tp, *whole = (column.tolist() for column in columns)
        return {key: Counts(tp[j], *(int(column[j]) for column in whole)) for j, key in enumerate(self.keys)}

    def matrix(self, keys: Sequence[StatKey]) -> FloatArray:
        """``(documents, keys, 3)``: credit, gold count and predicted count of each of ``keys`` in each
        document (0 where a document lacks the key)."""
        column = {key: j for j, key in enumerate(keys)}
        width = len(keys)
        of_key = np.array([column.get(key, -1) for key in self.keys], dtype=np.intp)
        cell = of_key[self.key]
        kept = cell >= 0 if (of_key < 0).any() else None
        cell += np.repeat(np.arange(self.documents, dtype=np.intp) * width, self.lengths)  # (document, key)
        count = self.count
        if kept is not None:  # entries of keys not asked for
            cell, count = cell[kept], count[kept]
        out = np.zeros((self.documents * width, 3), dtype=np.float64)
        for field in range(3):  # a field at a time: the entries' values of all three at once took 40 MB more
            out[cell, field] = self.table[count, field]
        return out.reshape(self.documents, width, 3)


def _indices(distinct: Iterable[Hashable], values: Iterator[Hashable], count: int) -> IndexArray:
    """The position of each of ``values`` (``count`` of them) among ``distinct``."""
    index = {value: i for i, value in enumerate(distinct)}
    return np.fromiter(map(index.__getitem__, values), dtype=np.min_scalar_type(len(index)), count=count)
