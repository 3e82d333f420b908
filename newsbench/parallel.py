"""Batches of documents worked on in other processes, their results handed back in reading order.

``validate --jobs`` and ``score --jobs`` go through files far larger than memory should hold: at most a few
batches per process are in flight, so memory stays bounded however large the input, and results come back in
the order the batches were given, so the output is the same bytes whatever the number of processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from newsbench.orphans import die_with_parent
from newsbench.problems import NewsbenchError

R = TypeVar("R")

AHEAD = 4
"""Batches in flight per process: enough to keep every process busy while results are taken in order."""


def cores() -> int:
    """The processors this process may run on (its affinity), which a container may set below the count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def jobs_option(text: str) -> int:
    """``--jobs N``: N processes, 0 for one per core."""
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (one per core) or more")
    return n or cores()


WORKERS_BY_DEFAULT = sys.platform.startswith("linux")
"""Whether a command without ``--jobs`` works in one process per core (see :func:`jobs_or_cores`)."""


def jobs_or_cores(jobs: int | None) -> int:
    """The processes a command works in: ``--jobs`` as given; when it is not, one per core on Linux, where
    workers are forked cheaply and safely, and one elsewhere (macOS forbids forking a process that may have
    started system frameworks, and starting workers afresh costs more than small inputs gain). The output is
    the same bytes either way, and work of one batch or less stays in the command's own process, so only
    input large enough to gain starts workers."""
    if jobs is not None:
        return jobs
    return cores() if WORKERS_BY_DEFAULT else 1


def _started(parent: int) -> None:
    """A worker's first step: end with the parent, so a ``kill -9`` of the command leaves no worker behind
    (they would wait for work forever); a parent gone before that was arranged ends the worker now."""
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


class OrderedPool(Generic[R]):
    """A process pool whose results come back in submission order, with a bound on the batches in flight.

    Workers are forked where the platform can (Linux): they start in milliseconds with every module the
    parent imported, rather than importing the package again. :meth:`submit` a batch's work or
    :meth:`ready` results already at hand (they keep their place in the order), and take results with
    :meth:`results`, which waits only when more than the bound are pending.
    """

    def __init__(self, jobs: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        self._pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_started, initargs=(os.getpid(),)
        )
        self._pending: deque[Future[list[R]] | list[R]] = deque()
        self._bound = AHEAD * jobs

    def submit(self, work: Callable[..., list[R]], *args: Any) -> None:
        self._pending.append(self._pool.submit(work, *args))

    def ready(self, results: list[R]) -> None:
        self._pending.append(results)

    def results(self, *, every: bool = False) -> Iterator[R]:
        """The results of the oldest batches while more than the bound are pending (all with ``every``)."""
        limit = 0 if every else self._bound
        while len(self._pending) > limit:
            head = self._pending.popleft()
            try:
                yield from head if isinstance(head, list) else head.result()
            except BrokenProcessPool:
                raise NewsbenchError(
                    "a worker process ended without finishing its work (killed, or out of memory?); "
                    "run again with fewer --jobs"
                ) from None

    def __enter__(self) -> OrderedPool[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        for item in self._pending:
            if isinstance(item, Future):
                item.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
