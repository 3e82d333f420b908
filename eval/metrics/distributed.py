"""Per-document statistics computed on a Dask cluster (the optional ``dask`` extra).

Scoring a document needs that document's gold and prediction alone, so the pairs are cut into partitions,
each partition is scored on a worker, and the :class:`DocResult` lists come back in partition order. The
client then sums them in document order exactly as a local run does, and the bootstrap and the paired tests
resample the same per-document counts, so a report scored here is byte for byte the one scored locally.
"""

from __future__ import annotations

import importlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Document

PARTITION = 500
"""Documents per task: large enough that scheduling costs little next to scoring."""
WINDOW_PER_THREAD = 2
"""Partitions in flight per worker thread: one being scored, one on its way."""


def _score_partition(blob: bytes) -> bytes:
    """Score one partition, given and returned pickled: Dask walks task arguments in search of futures,
    dataclasses included, and a partition's documents are hundreds of thousands of small objects; bytes it
    passes through untouched."""
    gold, pred, options, collect_errors = pickle.loads(blob)
    results = [score_document(g, p, options, collect_errors) for g, p in zip(gold, pred, strict=True)]
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass(frozen=True)
class DaskScorer:
    """Scores pairs on the cluster at ``scheduler``, or on a LocalCluster of ``workers`` when it is None.

    Partitions are sent a few per worker thread at a time (the next one when one comes back), so neither
    the client nor the cluster holds more than that many in flight, whatever the corpus size.
    """

    scheduler: str | None = None
    workers: int = 2
    processes: bool = True
    partition: int = PARTITION

    def __call__(
        self, gold: Sequence[Document], pred: Sequence[Document], options: ScoreOptions, collect_errors: bool
    ) -> list[DocResult]:
        distributed: Any = importlib.import_module("distributed")  # untyped, and absent without the extra
        Client, LocalCluster = distributed.Client, distributed.LocalCluster

        cluster: Any = None
        if self.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=self.processes, dashboard_address=None
            )
        client = Client(self.scheduler if cluster is None else cluster, set_as_default=False)
        try:
            with client.as_current():
                return self._scored(client, distributed.as_completed, gold, pred, options, collect_errors)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _scored(
        self,
        client: Any,
        as_completed: Any,
        gold: Sequence[Document],
        pred: Sequence[Document],
        options: ScoreOptions,
        collect_errors: bool,
    ) -> list[DocResult]:
        starts = iter(range(0, len(gold), self.partition))
        parts: dict[int, list[DocResult]] = {}
        futures: dict[Any, int] = {}
        running = as_completed()

        def submit() -> None:
            start = next(starts, None)
            if start is None:
                return
            end = start + self.partition
            blob = pickle.dumps((gold[start:end], pred[start:end], options, collect_errors), protocol=5)
            future = client.submit(_score_partition, blob, pure=False)
            futures[future] = start
            running.add(future)

        window = max(1, sum(client.nthreads().values()) * WINDOW_PER_THREAD)
        for _ in range(window):
            submit()
        for future in running:
            parts[futures.pop(future)] = pickle.loads(future.result())
            future.release()
            submit()
        return [result for start in sorted(parts) for result in parts[start]]
