"""Where extractions run: this process, a local pool of worker processes, or a Dask cluster.

An :class:`Executor` takes the systems (as :class:`Recipe`) and the documents the cache did not hold, and
yields each document's :class:`Attempt` as it finishes, tagged with its index. The runner caches every attempt
the moment it arrives, so whichever executor was used, an interrupted or crashed run loses only the documents
in flight, and a rerun extracts only what is missing. Results are reordered by the runner, so the executor
never changes a run's files.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Protocol

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
        self, extractors: Sequence[Extractor], tasks: Sequence[Task]
    ) -> Generator[tuple[int, Attempt], None, None]: ...


@dataclass(frozen=True)
class InProcess:
    """Each extraction in this process, one after another: no isolation from hangs, no start-up cost."""

    name: str = "inline"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Sequence[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        for index, (system, document) in enumerate(tasks):
            yield index, attempt(extractors[system], document)


@dataclass(frozen=True)
class ProcessPool:
    """``jobs`` spawned local workers, each extraction stopped after ``timeout`` seconds (None: no limit)."""

    jobs: int = 1
    timeout: float | None = None
    name: str = "pool"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Sequence[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        recipes = [Recipe.of(x) for x in extractors]
        yield from WorkerPool(self.jobs, self.timeout).run([(recipes[s], d) for s, d in tasks])


def local_executor(jobs: int, timeout: float | None) -> Executor:
    """What ``--jobs``/``--timeout`` ask for: in this process unless there is parallelism or a limit to enforce."""
    if jobs <= 1 and timeout is None:
        return InProcess()
    return ProcessPool(jobs, timeout)
