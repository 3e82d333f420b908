"""Where extractions run: this process, a local pool of worker processes, or a Dask cluster.

An :class:`Executor` takes the systems (as :class:`Recipe`) and the documents the cache did not hold, and
yields each document's :class:`Attempt` as it finishes, tagged with its index. The documents come as an
iterable that the executor takes from only as it has room (one at a time here, a worker's worth in a pool,
a window on a cluster), so the documents held at once stay few however many there are. The runner caches every attempt
the moment it arrives, so whichever executor was used, an interrupted or crashed run loses only the documents
in flight, and a rerun extracts only what is missing. Results are reordered by the runner, so the executor
never changes a run's files.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from newsbench.eval.run.forked import can_fork, forked_attempts, is_builtin
from newsbench.eval.run.workers import Attempt, Recipe, WorkerPool, attempt
from newsbench.extractor import Extractor
from newsbench.model import Document

Task = tuple[int, Document]
"""One extraction to do: the index of its system in the run's list, and the document it is given."""


class Executor(Protocol):
    """Runs extractions and yields ``(task index, attempt)`` in completion order."""

    @property
    def name(self) -> str: ...

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Iterable[Task]
    ) -> Generator[tuple[int, Attempt], None, None]: ...


@dataclass(frozen=True)
class InProcess:
    """Each extraction one after another without start-up cost and without a time limit: the built-in
    systems in this process, a third-party plug-in in a forked copy of it (:mod:`.forked`), so that a plug-in
    that ends its process costs only the document it was working on."""

    name: str = "inline"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Iterable[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        fork = can_fork()
        batch: list[tuple[int, Task]] = []
        for index, (system, document) in enumerate(tasks):
            if fork and not is_builtin(extractors[system]):
                batch.append((index, (system, document)))
                if len(batch) == FORK_BATCH:
                    yield from _forked(extractors, batch)
                    batch = []
            else:
                yield index, attempt(extractors[system], document)
        if batch:
            yield from _forked(extractors, batch)


FORK_BATCH = 64
"""A plug-in's documents handed to one forked child at a time: a child per batch starts cheaply (a fork),
and only a batch of inputs is held at once."""


def _forked(
    extractors: Sequence[Extractor], batch: list[tuple[int, Task]]
) -> Generator[tuple[int, Attempt], None, None]:
    """:func:`forked_attempts` of one batch, each attempt tagged with its task's index in the whole run."""
    for local, result in forked_attempts(extractors, [t for _, t in batch], list(range(len(batch)))):
        yield batch[local][0], result


@dataclass(frozen=True)
class ProcessPool:
    """``jobs`` spawned local workers, each extraction stopped after ``timeout`` seconds (None: no limit)."""

    jobs: int = 1
    timeout: float | None = None
    name: str = "pool"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Iterable[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        recipes = [Recipe.of(x) for x in extractors]
        yield from WorkerPool(self.jobs, self.timeout).run((recipes[s], d) for s, d in tasks)


def local_executor(jobs: int, timeout: float | None) -> Executor:
    """What ``--jobs``/``--timeout`` ask for: in this process unless there is parallelism or a limit to enforce."""
    if jobs <= 1 and timeout is None:
        return InProcess()
    return ProcessPool(jobs, timeout)
