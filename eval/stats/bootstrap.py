"""Document-level percentile bootstrap for F1, vectorised over a documents × metrics count matrix.

A resample draws documents with replacement; its F1 for every metric follows from summed counts, so one
resample is a weighted sum of rows. We draw the resample indices with a seeded numpy ``Generator``, turn
each resample into per-document weights and multiply the weight matrix by the count matrix: 1,000 resamples
of 10,000 documents take one matrix product instead of a Python loop. The same seed and document count
always give the same indices, so every system scored on the same gold set sees the same resamples (which
is what the paired tests in :mod:`newsbench.eval.stats.significance` rely on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsbench.eval.metrics.results import StatKey
from newsbench.eval.metrics.stat_arrays import StatArrays

FloatArray = npt.NDArray[np.float64]

CONFIDENCE = 0.95
CELLS_PER_CHUNK = 4_000_000
"""Resamples are weighted in chunks of about this many (resample, document) cells, bounding memory."""


def f1_of_sums(sums: FloatArray, undefined: float = 0.0) -> FloatArray:
    """F1 from ``(..., 3)`` summed counts; ``undefined`` where there is neither gold nor prediction.

    The paired tests keep 0 there (both systems then tie at it, so the difference they test is 0); the
    intervals pass NaN, as Counts.f1 is None there, so such a resample is left out rather than counted as 0.
    """
    credit, denominator = sums[..., 0], sums[..., 1] + sums[..., 2]
    out = np.full_like(credit, undefined)
    np.divide(2 * credit, denominator, out=out, where=denominator > 0)
    return out


def chunk_rows(n_docs: int, n_rows: int) -> Iterator[int]:
    """Rows per chunk of ``n_rows`` draws over ``n_docs`` documents, at most CELLS_PER_CHUNK cells each."""
    chunk = max(1, CELLS_PER_CHUNK // max(n_docs, 1))
    for start in range(0, n_rows, chunk):
        yield min(chunk, n_rows - start)


def filled_chunks(
    n_docs: int, n_rows: int, seed: int, row: Callable[[np.random.Generator], npt.ArrayLike]
) -> Iterator[FloatArray]:
    """Chunks of a ``(rows, documents)`` matrix whose rows are ``row(generator)``, one after the other from one
    generator seeded with ``seed``, in chunks of at most :data:`CELLS_PER_CHUNK` cells.

    Every chunk is a view of one buffer, which the next chunk overwrites: copy a chunk to keep it. A fresh
    array per chunk would be allocated while the caller still holds the last one, so two chunks (32 MB each
    at 20,000 documents) would be alive at once, and whether the allocator gives the first one back varies
    from run to run: the peak memory of ``score`` would be 30 to 60 MB higher, by chance. Drawing a row at a
    time gives the same numbers as drawing a chunk as one block, without a chunk-sized array of draws.
    """
    rng = np.random.default_rng(seed)
    buffer = np.empty((next(chunk_rows(n_docs, n_rows), 0), n_docs), dtype=np.float64)
    for rows in chunk_rows(n_docs, n_rows):
        chunk = buffer[:rows]
        for i in range(rows):
            chunk[i] = row(rng)
        yield chunk


def resample_weights(n_docs: int, n_resamples: int, seed: int) -> Iterator[FloatArray]:
    """Chunks of a ``(resamples, documents)`` matrix: how often each document is drawn in each resample
    (:func:`filled_chunks`: a chunk is overwritten by the next)."""

    def resample(rng: np.random.Generator) -> npt.ArrayLike:
        return np.bincount(rng.integers(0, n_docs, size=n_docs), minlength=n_docs)

    return filled_chunks(n_docs, n_resamples, seed, resample)


def resampled_f1(
    matrices: Sequence[FloatArray], n_resamples: int, seed: int, undefined: float = 0.0
) -> list[FloatArray]:
    """``(resamples, keys)`` F1 for each count matrix, all matrices drawn with the same resamples.

    ``undefined`` is the value of a resample in which a key has no item on either side.
    """
    if not matrices:
        return []
    n_docs, n_keys, _ = matrices[0].shape
    flat = [m.reshape(n_docs, n_keys * 3) for m in matrices]
    parts: list[list[FloatArray]] = [[] for _ in matrices]
    for weights in resample_weights(n_docs, n_resamples, seed):
        for i, matrix in enumerate(flat):
            sums = (weights @ matrix).reshape(-1, n_keys, 3)
            parts[i].append(f1_of_sums(sums, undefined))
    return [np.concatenate(p) if p else np.zeros((0, n_keys)) for p in parts]


def percentile_interval(samples: FloatArray, confidence: float = CONFIDENCE) -> tuple[FloatArray, FloatArray]:
    """Lower and upper percentile bounds per column, as order statistics of the sorted defined resamples.

    With 1,000 resamples and 95% the bounds are the 26th smallest and 26th largest values (indices 25 and
    974), the definition sacrebleu uses; taking order statistics rather than interpolated quantiles keeps
    every bound a value some resample actually produced. NaN marks a resample in which the metric is not
    defined (it drew only documents with no item on either side); those are left out of that column, whose
    bounds are the order statistics of the remaining ``m`` values, and a column with no defined resample
    gets NaN bounds.
    """
    ordered = np.sort(samples, axis=0)  # NaN sorts last
    defined = np.sum(~np.isnan(samples), axis=0)
    tails = (defined * (1 - confidence) / 2).astype(np.int64)
    columns = np.arange(samples.shape[1])
    low = np.full(samples.shape[1], np.nan)
    high = np.full(samples.shape[1], np.nan)
    some = defined > 0
    low[some] = ordered[tails[some], columns[some]]
    high[some] = ordered[(defined - tails - 1)[some], columns[some]]
    return low, high


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    documents: int
    """How many documents have items of the key (gold or predicted): resampling documents can move the
    figure only through these, so on fewer than :data:`newsbench.eval.stats.sample.MIN_RELIABLE_DOCUMENTS`
    the interval is too narrow to trust, however many documents the corpus has."""


def bootstrap_intervals(
    stats: StatArrays, keys: Sequence[StatKey], n_resamples: int, seed: int
) -> dict[StatKey, Interval]:
    """95% percentile intervals of F1 for every key.

    Empty when resampling is off or there are fewer than two documents: one document redrawn is always the
    same document, so its "interval" would only repeat the point score (the report says so instead).
    Resamples in which a key has no item on either side are undefined for it and left out (a perfect score
    is ``[1, 1]``, not ``[0, 1]``); a key defined in no resample has no interval.
    """
    if n_resamples <= 0 or stats.documents < 2 or not keys:
        return {}
    matrix = stats.matrix(keys)
    (samples,) = resampled_f1([matrix], n_resamples, seed, undefined=np.nan)
    low, high = percentile_interval(samples)
    documents = np.count_nonzero(matrix[:, :, 1] + matrix[:, :, 2], axis=0)
    return {
        key: Interval(float(low[j]), float(high[j]), int(documents[j]))
        for j, key in enumerate(keys)
        if not np.isnan(low[j])
    }
