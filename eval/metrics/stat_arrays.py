"""Every document's statistics as index arrays into two small tables, so sums and matrices are made in C.

Documents share their keys and counts (:mod:`newsbench.eval.metrics.shared`): the statistics of a corpus are a
few hundred distinct keys and counts, repeated. An entry (one key of one document) is then a pair of indices
into those two tables, and summing per key or filling a documents × keys matrix takes a few array
operations, where a Python loop over every entry of every document was the slowest step left after scoring.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt

from newsbench.eval.metrics.counts import Counts
from newsbench.eval.metrics.results import DocResult, StatKey

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

FIELDS = 8
"""A :class:`Counts`' fields, in order: ``tp pos act cor inc par mis spu``."""


@dataclass(frozen=True)
class StatArrays:
    """The statistics of ``documents`` results: entry ``i`` is key ``keys[key[i]]`` of document ``row[i]``,
    with the counts ``table[count[i]]``. Keys are listed in the order they first occur (document by
    document, each in its own order), the order in which adding the documents one by one meets them."""

    documents: int
    keys: list[StatKey]
    table: FloatArray
    row: IndexArray
    key: IndexArray
    count: IndexArray

    @classmethod
    def of(cls, results: Sequence[DocResult]) -> StatArrays:
        stats = [result.stats for result in results]
        lengths = np.fromiter(map(len, stats), dtype=np.intp, count=len(stats))
        entries = int(lengths.sum())
        every_key = list(chain.from_iterable(stats))
        every_count = list(chain.from_iterable(map(dict.values, stats)))
        # Keys are tuples of strings, hashed and compared in C. A data class hashes in Python, so counts are
        # told apart by identity first (shared counts are one object), then the few distinct ones by value.
        firsts, key = _first_seen(every_key, entries)
        keys = [every_key[i] for i in firsts]
        firsts, by_object = _first_seen(map(id, every_count), entries)
        index: dict[Counts, int] = {}
        of_object = [index.setdefault(every_count[i], len(index)) for i in firsts]
        count = np.array(of_object, dtype=np.intp)[by_object]
        table = np.array(
            [(c.tp, c.pos, c.act, c.cor, c.inc, c.par, c.mis, c.spu) for c in index], dtype=np.float64
        ).reshape(len(index), FIELDS)
        row = np.repeat(np.arange(len(stats), dtype=np.intp), lengths)
        return cls(len(stats), keys, table, row, key, count)

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
        columns = np.array([column.get(key, -1) for key in self.keys], dtype=np.intp)[self.key]
        kept = columns >= 0
        out = np.zeros((self.documents * width, 3), dtype=np.float64)
        out[self.row[kept] * width + columns[kept]] = self.table[self.count[kept], :3]
        return out.reshape(self.documents, width, 3)


def _first_seen(values: Iterable[Hashable], count: int) -> tuple[list[int], IndexArray]:
    """Where each distinct value of ``values`` (``count`` of them) first occurs, in that order, and for each
    value the index of its distinct value in that list: the dictionary keeps the first position of each
    value it is given, so the whole pass runs in C."""
    first: dict[Hashable, int] = {}
    seen = np.fromiter(map(first.setdefault, values, itertools.count()), dtype=np.intp, count=count)
    positions = list(first.values())
    dense = np.empty(count, dtype=np.intp)
    dense[positions] = np.arange(len(positions), dtype=np.intp)
    return positions, dense[seen]
