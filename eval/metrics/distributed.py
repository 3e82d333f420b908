"""Per-document statistics computed on a Dask cluster (the optional ``dask`` extra).

Scoring a document needs that document's gold and prediction alone, so the pairs are cut into partitions,
each partition is scored on a worker, and the :class:`DocResult` lists come back in partition order. The
client then sums them in document order exactly as a local run does, and the bootstrap and the paired tests
resample the same per-document counts, so a report scored here is byte for byte the one scored locally.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.results import DocResult
from newsbench.model import Document

PARTITION = 500
"""Documents per task: large enough that scheduling costs little next to scoring."""


def _score_partition(
    gold: Sequence[Document], pred: Sequence[Document], options: ScoreOptions, collect_errors: bool
) -> list[DocResult]:
    return [score_document(g, p, options, collect_errors) for g, p in zip(gold, pred, strict=True)]


@dataclass(frozen=True)
class DaskScorer:
    """Scores pairs on the cluster at ``scheduler``, or on a LocalCluster of ``workers`` when it is None."""

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
            futures = [
                client.submit(
                    _score_partition,
                    gold[i : i + self.partition],
                    pred[i : i + self.partition],
                    options,
                    collect_errors,
                    pure=False,
                )
                for i in range(0, len(gold), self.partition)
            ]
            results: list[DocResult] = []
            for part in client.gather(futures):
                results.extend(part)
            return results
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
