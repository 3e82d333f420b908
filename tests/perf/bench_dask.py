"""``dask``: what a Dask cluster of two local workers does against this process and the local pool.

Two figures, each on this machine (2 cores, so two workers at most can help):

* extraction: ``rules`` over 1,000 varied documents through the runner in this process, with the local
  pool at ``--jobs 2``, and with the Dask executor on a LocalCluster of two worker processes (the cluster's
  start-up included, as ``--executor dask`` alone pays it);
* scoring: synthetic documents scored in this process and on the two Dask workers, with the wall time and
  the peak memory the *client* process allocates (tracemalloc: Python allocations of this process only).

A real cluster adds cores, not speed per document: extraction of a CPU-bound system scales with workers
until the client's bookkeeping (about a millisecond a document) dominates; an endpoint-bound system (``llm``)
scales with the endpoint's capacity, capped by ``--endpoint-calls``. Scoring scales the same way, but the
client still reads every document and sends it out, so its memory is the corpus's, not less.

Skipped, with the reason, when the ``dask`` extra is not installed.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from bench_runner import varied_corpus
from registry import benchmark, measure
from synthetic import corpus

from newsbench.eval import score
from newsbench.eval.run.runner import run_systems
from newsbench.registry import create_system

EXTRACT_DOCS = int(os.environ.get("NEWSBENCH_BENCH_DASK_EXTRACT_DOCS", "1000"))
SCORE_DOCS = int(os.environ.get("NEWSBENCH_BENCH_DASK_SCORE_DOCS", "20000"))
"""100,000 synthetic documents take too long on the 2-core machine for every bench run; the two variables
set other sizes."""
TOKENS_PER_DOC = 120


def _docs_per_s(n: int, seconds: float) -> dict[str, float]:
    return {"seconds": seconds, "docs_per_s": round(n / seconds, 1)}


@benchmark("dask")
def dask_group() -> dict[str, Any]:
    if importlib.util.find_spec("distributed") is None:
        return {"skipped": "Dask is not installed: pip install 'newsbench[dask]'"}
    from newsbench.eval.metrics.distributed import DaskScorer
    from newsbench.eval.run.dask_executor import DaskExecutor

    docs = varied_corpus(copies=EXTRACT_DOCS // 5)
    rules = [create_system("rules")]

    def extract(**kwargs: Any) -> float:
        return measure(lambda: run_systems(rules, docs, **kwargs), memory=False)["seconds"]

    load = round(os.getloadavg()[0], 2)
    extraction = {
        "documents": len(docs),
        "in_process": _docs_per_s(len(docs), extract()),
        "pool_jobs_2": _docs_per_s(len(docs), extract(jobs=2, timeout=600.0)),
        "dask_2_workers": _docs_per_s(len(docs), extract(executor=DaskExecutor(workers=2))),
    }
    gold, pred = corpus(SCORE_DOCS, TOKENS_PER_DOC, seed=11)
    here = measure(lambda: score(gold, pred, bootstrap=0))
    there = measure(lambda: score(gold, pred, bootstrap=0, scorer=DaskScorer(workers=2)))
    return {
        "cpus": os.cpu_count(),
        "load_average_1min_at_start": load,
        "extraction_rules": extraction,
        "scoring": {
            "documents": SCORE_DOCS,
            "tokens_per_document": TOKENS_PER_DOC,
            "in_process": {**_docs_per_s(SCORE_DOCS, here["seconds"]), "client_peak_mib": here["peak_mib"]},
            "dask_2_workers": {
                **_docs_per_s(SCORE_DOCS, there["seconds"]),
                "client_peak_mib": there["peak_mib"],
            },
        },
    }
