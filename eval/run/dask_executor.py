"""Extractions on a Dask cluster (the optional ``dask`` extra): ``newsbench run … --executor dask``.

Each document is one task, submitted in a bounded window so the client holds only a few per worker at a
time, and its attempt comes back to the client, which caches it at once: a worker lost mid-run costs only
its documents in flight (Dask reruns them elsewhere), and a rerun after a crash of the whole run extracts
only what the cache lacks. Systems are rebuilt once per worker process, from the same :class:`Recipe` the
local pool uses. Systems that call a remote endpoint (``calls_endpoint`` on the class, as ``llm`` has) can be
held to ``endpoint_calls`` extractions at once across the whole cluster by a Dask :class:`Semaphore`.

``timeout`` is enforced as in the local pool: a document whose extraction (with the system's build, the
first time) overruns it is that document's failure, ``timeout``. A Dask worker runs tasks in threads, which
cannot be stopped, so the extraction runs in a thread of its own that the task waits for; on overrun the task
returns the timeout, and the client restarts that worker (through its nanny), which ends the stuck thread as
the pool kills its worker. Other documents that worker held are rerun by Dask elsewhere.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from newsbench.eval.run.executors import Task
from newsbench.eval.run.workers import Attempt, Recipe, attempt, describe
from newsbench.extractor import Extractor
from newsbench.model import Document
from newsbench.problems import NewsbenchError

SEMAPHORE_NAME = "newsbench-endpoint-calls"
WINDOW_PER_THREAD = 4
"""Documents in flight per worker thread: enough to keep workers busy, few enough to lose little."""
INSTALL_HINT = "Dask is not installed: pip install 'newsbench[dask]'"

_built: dict[Recipe, Extractor] = {}
_built_lock = threading.Lock()


def dask_missing() -> str | None:
    """Why ``--executor dask`` cannot run here, or None when it can."""
    if importlib.util.find_spec("distributed") is None:
        return INSTALL_HINT
    return None


def _system(recipe: Recipe) -> Extractor:
    """The worker's instance of a system, built on first use and shared by the worker's threads."""
    with _built_lock:
        if recipe not in _built:
            _built[recipe] = recipe.build()
        return _built[recipe]


def _build_and_extract(recipe: Recipe, document: Document) -> Attempt:
    """One extraction; a system that cannot be built fails the document with the reason."""
    try:
        extractor = _system(recipe)
    except Exception as exc:  # as in the local pool: the build error is each document's failure
        return Attempt("error", f"cannot build the system: {describe(exc)}")
    return attempt(extractor, document)


def _within(recipe: Recipe, document: Document, timeout: float | None) -> tuple[Attempt, bool]:
    """The attempt, and whether it overran ``timeout`` (its thread is then still running)."""
    if timeout is None:
        return _build_and_extract(recipe, document), False
    box: list[Attempt] = []
    worker = threading.Thread(target=lambda: box.append(_build_and_extract(recipe, document)), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not box:
        return Attempt("timeout", f"no prediction within the {timeout:g} s timeout"), True
    return box[0], False


def _extract_on_worker(
    recipe: Recipe, document: Document, semaphore: Any | None, timeout: float | None
) -> tuple[Attempt, str | None]:
    """One extraction on a worker, and this worker's address when it must be restarted (a stuck thread)."""
    if semaphore is None:
        result, stuck = _within(recipe, document, timeout)
    else:
        with semaphore:
            result, stuck = _within(recipe, document, timeout)
    if not stuck:
        return result, None
    distributed: Any = importlib.import_module("distributed")
    return result, str(distributed.get_worker().address)


def _restart(client: Any, address: str) -> None:
    """Restart the worker at ``address`` to end a stuck extraction thread; a worker without a nanny cannot
    be restarted, and then the thread runs on (the document is recorded as timed out either way)."""
    try:
        client.restart_workers([address], timeout=60)
    except Exception:  # no nanny, or already gone: nothing more can be done from here
        return


@dataclass(frozen=True)
class DaskExecutor:
    """Documents spread over a Dask cluster: at ``scheduler`` (``tcp://host:port``), or a LocalCluster.

    ``workers`` sizes the LocalCluster started when no scheduler is given; ``endpoint_calls`` caps the
    extractions of endpoint-calling systems in flight at once, cluster-wide (None: no cap); ``timeout``
    bounds each document's extraction in seconds (None: no limit).
    """

    scheduler: str | None = None
    workers: int = 2
    endpoint_calls: int | None = None
    timeout: float | None = None
    processes: bool = True
    name: str = "dask"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Iterable[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        reason = dask_missing()
        if reason is not None:
            raise NewsbenchError(f"--executor dask: {reason}")
        distributed: Any = importlib.import_module("distributed")  # untyped, and absent without the extra
        Client, LocalCluster = distributed.Client, distributed.LocalCluster

        source = iter(tasks)
        first = next(source, None)
        if first is None:  # nothing to extract: no cluster is started
            return
        cluster = None
        if self.scheduler is None:
            cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=self.processes, dashboard_address=None
            )
        client = Client(self.scheduler if cluster is None else cluster, set_as_default=False)
        try:
            yield from self._run(client, extractors, chain([first], source))
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _run(
        self, client: Any, extractors: Sequence[Extractor], tasks: Iterator[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        """Submit the tasks in a window of a few per worker thread, and yield each attempt as it arrives."""
        distributed: Any = importlib.import_module("distributed")
        Semaphore, as_completed = distributed.Semaphore, distributed.as_completed

        with client.as_current():
            recipes = [Recipe.of(x) for x in extractors]
            limited = [bool(getattr(type(x), "calls_endpoint", False)) for x in extractors]
            semaphore = None
            if self.endpoint_calls is not None and any(limited):
                semaphore = Semaphore(max_leases=self.endpoint_calls, name=SEMAPHORE_NAME)
            threads = sum(client.nthreads().values()) or 1
            window = max(1, threads * WINDOW_PER_THREAD)
            futures: dict[Any, int] = {}
            queue = iter(enumerate(tasks))
            running = as_completed()

            def submit() -> bool:
                try:
                    index, (system, document) = next(queue)
                except StopIteration:
                    return False
                future = client.submit(
                    _extract_on_worker,
                    recipes[system],
                    document,
                    semaphore if limited[system] else None,
                    self.timeout,
                    key=f"newsbench-extract-{index}-{id(tasks)}",
                    pure=False,
                )
                futures[future] = index
                running.add(future)
                return True

            for _ in range(window):
                if not submit():
                    break
            for future in running:
                index = futures.pop(future)
                stuck = None
                try:
                    result, stuck = future.result()
                except (
                    Exception
                ) as exc:  # the task itself failed on the cluster (e.g. its workers kept dying)
                    result = Attempt("error", f"the Dask task failed: {describe(exc)}")
                future.release()
                if stuck is not None:
                    _restart(client, stuck)
                submit()
                yield index, result
