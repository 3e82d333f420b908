"""``dask``: what a Dask cluster of two local workers does against this process and the local pool.

Two figures, each on this machine (2 cores, so two workers at most can help):

* extraction: ``rules`` over 1,000 varied documents through the runner in this process, with the local
  pool at ``--jobs 2``, and with the Dask executor on a LocalCluster of two worker processes (the cluster's
  start-up included, as ``--executor dask`` alone pays it);
* scoring: 100,000 synthetic documents scored in this process and on the two Dask workers, each in a fresh
  child process, with the wall time of the scoring and the peak resident set (RSS) of that client process
  (``VmHWM`` of its memory map, which starts afresh at exec, unlike ``getrusage``'s figure; the Dask
  workers are other processes and are not counted).

The machine is shared, so every figure carries the 1-minute load average just before and just after it.
Run it with ``nice`` when others are working, and read the figures beside their load.

A real cluster adds cores, not speed per document: see docs/distributed.md. Skipped, with the reason, when
the ``dask`` extra is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_runner import varied_corpus
from registry import benchmark

from newsbench.eval.run.runner import run_systems
from newsbench.registry import create_system

HERE = Path(__file__).resolve().parent
EXTRACT_DOCS = int(os.environ.get("NEWSBENCH_BENCH_DASK_EXTRACT_DOCS", "1000"))
SCORE_DOCS = int(os.environ.get("NEWSBENCH_BENCH_DASK_SCORE_DOCS", "100000"))
TOKENS_PER_DOC = 120
SCORE_CHILD = """
import json, re, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from synthetic import corpus
from newsbench.eval import score
gold, pred = corpus(int(sys.argv[2]), int(sys.argv[3]), seed=11)
scorer = None
if sys.argv[4] == "dask":
    from newsbench.eval.metrics.distributed import DaskScorer
    scorer = DaskScorer(workers=2)
start = time.perf_counter()
score(gold, pred, bootstrap=0, scorer=scorer)
seconds = time.perf_counter() - start
peak_kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"seconds": round(seconds, 3), "client_peak_rss_mib": round(peak_kib / 1024, 1)}))
"""
"""One scoring in a fresh interpreter, so the peak RSS is that scoring's alone. The corpus is built before
the clock starts; its memory is in the peak."""


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _timed(n: int, fn: Callable[[], Any]) -> dict[str, float]:
    before = _load()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        "docs_per_s": round(n / seconds, 1),
        "load_1min_before": before,
        "load_1min_after": _load(),
    }


def _score_in_child(where: str) -> dict[str, Any]:
    before = _load()
    out = subprocess.run(
        [sys.executable, "-c", SCORE_CHILD, str(HERE), str(SCORE_DOCS), str(TOKENS_PER_DOC), where],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:  # a figure lost, not the whole group: say why
        return {
            "failed": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"
        }
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        **figures,
        "docs_per_s": round(SCORE_DOCS / figures["seconds"], 1),
        "load_1min_before": before,
        "load_1min_after": _load(),
    }


@benchmark("dask")
def dask_group() -> dict[str, Any]:
    if importlib.util.find_spec("distributed") is None:
        return {"skipped": "Dask is not installed: pip install 'newsbench[dask]'"}
    from newsbench.eval.run.dask_executor import DaskExecutor

    docs = varied_corpus(copies=EXTRACT_DOCS // 5)
    rules = [create_system("rules")]
    n = len(docs)
    extraction = {
        "documents": n,
        "in_process": _timed(n, lambda: run_systems(rules, docs)),
        "pool_jobs_2": _timed(n, lambda: run_systems(rules, docs, jobs=2, timeout=600.0)),
        "dask_2_workers": _timed(n, lambda: run_systems(rules, docs, executor=DaskExecutor(workers=2))),
    }
    scoring = {
        "documents": SCORE_DOCS,
        "tokens_per_document": TOKENS_PER_DOC,
        "in_process": _score_in_child("here"),
        "dask_2_workers": _score_in_child("dask"),
    }
    return {"cpus": os.cpu_count(), "extraction_rules": extraction, "scoring": scoring}
