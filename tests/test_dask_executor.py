"""Runs on a Dask cluster: the same bytes as in this process, a lost worker costs only its documents in
flight, and endpoint calls are capped cluster-wide. Skipped when the ``dask`` extra is not installed.

The clusters here run their workers as threads of the test process (``processes=False``), so they start in
about a second and the extractors below, with their class-level counters, are the very objects they run.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from conftest import snapshot
from loopback import Loopback, Reply, Request
from test_runner import HEADLINE, OPTIONS, Acme, gold_docs

from newsbench.eval.bench.benchmark import RunSettings, run_corpus
from newsbench.eval.run.cache import PredictionCache
from newsbench.eval.run.runner import Failure, run_systems
from newsbench.model import Document

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'newsbench[dask]')")

from newsbench.eval.run.dask_executor import DaskExecutor


def dask(**kwargs: Any) -> DaskExecutor:
    return DaskExecutor(workers=2, processes=False, **kwargs)


class CountingServer(Loopback):
    """A loopback HTTP server that counts requests per path and the most it ever had in flight at once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.calls: dict[str, int] = {}
        super().__init__(self._answer)

    def _answer(self, request: Request) -> Reply:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.calls[request.path] = self.calls.get(request.path, 0) + 1
        time.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
        return Reply(200, b"ok")


class Remote(Acme):
    """Acme behind an endpoint: each extraction is one request to the loopback server, named by document."""

    name: ClassVar[str] = "remote"
    calls_endpoint: ClassVar[bool] = True
    url: ClassVar[str] = ""
    kill_worker_on: ClassVar[str | None] = None

    def extract(self, document: Document) -> Document:
        with urllib.request.urlopen(f"{self.url}/{document.id}", timeout=10) as reply:
            reply.read()
        if document.id == Remote.kill_worker_on:
            Remote.kill_worker_on = None  # once: the rerun of this document elsewhere goes through
            _close_this_worker()
            time.sleep(5)  # the worker is gone before this returns; its result never arrives
        return super().extract(document)


def _close_this_worker() -> None:
    from distributed import get_worker

    worker = get_worker()
    worker.loop.add_callback(lambda: asyncio.ensure_future(worker.close(executor_wait=False)))


@pytest.fixture
def server() -> Iterator[CountingServer]:
    served = CountingServer(delay=0.2)
    Remote.url = served.url
    yield served
    served.close()


def test_a_dask_run_writes_the_same_bytes_as_a_run_in_this_process(tmp_path: Path) -> None:
    docs = gold_docs([f"doc{i}" for i in range(8)])
    here = run_corpus([Acme()], docs, tmp_path / "here", ("c", None), OPTIONS, RunSettings(None), HEADLINE)
    Acme.calls.clear()  # in this process a third-party system extracts in a forked child, which counts apart
    there = run_corpus(
        [Acme()], docs, tmp_path / "dask", ("c", None), OPTIONS, RunSettings(None, executor=dask()), HEADLINE
    )
    assert snapshot(there.folder) == snapshot(here.folder)
    assert sorted(Acme.calls) == sorted(d.id for d in docs)  # every document extracted once on the cluster


def test_endpoint_calls_are_capped_across_the_cluster(server: CountingServer) -> None:
    docs = gold_docs([f"doc{i}" for i in range(6)])
    (run,), _ = run_systems([Remote()], docs, executor=dask())
    assert server.peak == 2  # two workers, no cap: both call at once
    assert not run.failures
    server.peak = 0
    (capped,), _ = run_systems([Remote()], docs, executor=dask(endpoint_calls=1))
    assert server.peak == 1
    assert capped.predictions == run.predictions


def test_a_lost_worker_costs_only_its_document_and_a_rerun_calls_nothing(
    tmp_path: Path, server: CountingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Remote, "kill_worker_on", "doc2")
    cache = PredictionCache(tmp_path / "cache")
    docs = gold_docs([f"doc{i}" for i in range(6)])
    (run,), work = run_systems([Remote()], docs, cache=cache, executor=dask())
    assert not run.failures and work.extracted == 6
    # Only the document on the lost worker was asked for twice; every other one once.
    assert server.calls == {f"/doc{i}": 2 if i == 2 else 1 for i in range(6)}
    server.calls.clear()
    (again,), rework = run_systems([Remote()], docs, cache=cache, executor=dask())
    assert server.calls == {} and (rework.cached, rework.extracted) == (6, 0)
    assert again.predictions == run.predictions


def test_scoring_on_dask_writes_the_same_report_and_signature(tmp_path: Path) -> None:
    from newsbench.eval import compare, score
    from newsbench.eval.metrics.distributed import DaskScorer
    from newsbench.eval.report.write import write_comparison, write_report

    gold = gold_docs([f"doc{i}" for i in range(7)])
    (run,), _ = run_systems([Acme()], gold)
    scorer = DaskScorer(workers=2, processes=False, partition=3)  # three partitions, the last one short
    here = score(gold, run.predictions, bootstrap=50, collect_errors=True)
    there = score(gold, run.predictions, bootstrap=50, collect_errors=True, scorer=scorer)
    write_report(here, tmp_path / "here")
    write_report(there, tmp_path / "there")
    assert there.signature == here.signature
    assert snapshot(tmp_path / "there") == snapshot(tmp_path / "here")
    systems = [("acme", run.predictions), ("none", [d.blank() for d in gold])]
    write_comparison(compare(gold, systems, trials=200), tmp_path / "cmp-here")
    write_comparison(compare(gold, systems, trials=200, scorer=scorer), tmp_path / "cmp-there")
    assert snapshot(tmp_path / "cmp-there") == snapshot(tmp_path / "cmp-here")


class Stuck(Acme):
    """Acme that hangs on documents named ``*-hang`` until the test lets it go."""

    name: ClassVar[str] = "stuck"
    release: ClassVar[threading.Event] = threading.Event()

    def extract(self, document: Document) -> Document:
        if "hang" in document.id:
            Stuck.release.wait(60)
        return super().extract(document)


def test_a_document_past_the_timeout_fails_alone_as_in_the_pool() -> None:
    docs = gold_docs(["a-ok", "b-hang", "c-ok", "d-ok"])
    Stuck.release.clear()
    try:
        (run,), _ = run_systems([Stuck()], docs, executor=dask(timeout=1.0))
    finally:
        Stuck.release.set()
    failed = {o.doc_id: o.failure for o in run.failures}
    assert failed == {"b-hang": Failure("timeout", "no prediction within the 1 s timeout")}
    (pooled,), _ = run_systems([Stuck()], gold_docs(["a-ok", "c-ok", "d-ok"]))
    assert [p for p in run.predictions if p.id != "b-hang"] == pooled.predictions


class Spin(Acme):
    """Acme that spins for ever on a document whose text names a file, after writing its process id there."""

    name: ClassVar[str] = "spin"

    def extract(self, document: Document) -> Document:
        if "spin" in document.id:
            Path(document.text.split()[-1]).write_text(str(os.getpid()), encoding="utf-8")
            while True:
                pass
        return super().extract(document)


def test_a_worker_stuck_past_the_timeout_is_restarted(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    marker = tmp_path / "pid"
    docs = [Document(id="a", text="Acme hired Kim."), Document(id="z-spin", text=f"Acme spins {marker}")]
    with LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        (run,), _ = run_systems([Spin()], docs, executor=DaskExecutor(cluster.scheduler_address, timeout=2.0))
        assert [o.failure.kind for o in run.failures if o.failure] == ["timeout"]
        stuck = int(marker.read_text(encoding="utf-8"))
        with pytest.raises(ProcessLookupError):
            os.kill(stuck, 0)  # the worker that held the spinning thread is gone
        with Client(cluster) as client:
            client.wait_for_workers(1, timeout=60)
            assert stuck not in client.run(os.getpid).values()
