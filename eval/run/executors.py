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
        self, extractors: Sequence[Extractor], tasks: Sequence[Task]
    ) -> Generator[tuple[int, Attempt], None, None]: ...


@dataclass(frozen=True)
class InProcess:
    """Each extraction one after another without start-up cost and without a time limit: the built-in
    systems in this process, a third-party plug-in in a forked copy of it (:mod:`.forked`), so that a plug-in
    that ends its process costs only the document it was working on."""

    name: str = "inline"

    def attempts(
        self, extractors: Sequence[Extractor], tasks: Sequence[Task]
    ) -> Generator[tuple[int, Attempt], None, None]:
        fork = can_fork()
        isolated = [i for i, (system, _) in enumerate(tasks) if fork and not is_builtin(extractors[system])]
        chosen = set(isolated)
        for index, (system, document) in enumerate(tasks):
            if index not in chosen:
                yield index, attempt(extractors[system], document)
        if isolated:
            yield from forked_attempts(extractors, tasks, isolated)


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
