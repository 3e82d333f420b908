"""Running one extraction where a failure cannot reach the run: in this process, or in a killable worker.

:func:`attempt` turns whatever a system does with one document into an :class:`Attempt` (a checked
prediction as JSON text, or the reason there is none), catching every exception the system raises; the
check runs here too, so it is spread over the workers with the extraction. A hang cannot be caught,
only stopped, so :class:`WorkerPool` runs attempts in spawned worker processes, gives each phase (building
the system, extracting one document) ``timeout`` seconds, and kills and replaces a worker that overruns or
dies. Everything a worker runs is a top-level function or a picklable value, so the pool works under the
``spawn`` start method on every platform.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import signal
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Literal

from newsbench.eval.run.verdict import check_prediction
from newsbench.extractor import Extractor, system_block
from newsbench.guard import call_plugin
from newsbench.model import Document
from newsbench.orphans import die_with_parent
from newsbench.problems import NewsbenchError

Status = Literal["ok", "error", "timeout", "invalid"]
SHUTDOWN_SECONDS = 2.0
"""How long an idle worker gets to exit after being told to, before it is killed."""


@dataclass(frozen=True)
class Attempt:
    """What one extraction gave.

    ``ok``: a valid prediction; ``invalid``: an output that is not a valid prediction, with the reason;
    ``error``: the system raised (or its process died); ``timeout``: it was stopped. ``output`` is the
    prediction's JSON text whenever the system produced a Document, valid or not, so it can be cached.
    """

    status: Status
    reason: str | None = None
    output: str | None = None
    details: str | None = None
    """For a failure: what the system measured before it failed (JSON text of an object), from the
    exception's ``failure_details`` -- e.g. the tokens an answer that did not parse still cost."""


@dataclass(frozen=True)
class Recipe:
    """How a worker process builds a system: its class (``module:qualname``) and config, as the registry does."""

    target: str
    config_json: str
    extras_json: str = "{}"
    """Keyword arguments besides the config, from the system's ``recipe_extras()`` when it has one: data the
    config names by content hash (the ``llm`` system's few-shot examples), so it reaches workers that do not
    share the client's files."""

    @classmethod
    def of(cls, extractor: Extractor) -> Recipe:
        kind = type(extractor)
        config = json.dumps(extractor.config, sort_keys=True, ensure_ascii=False)
        extras = getattr(extractor, "recipe_extras", None)
        extras_json = json.dumps(extras() if callable(extras) else {}, sort_keys=True, ensure_ascii=False)
        return cls(f"{kind.__module__}:{kind.__qualname__}", config, extras_json)

    def build(self) -> Extractor:
        module_name, _, qualname = self.target.partition(":")
        obj: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
        extractor: Extractor = obj(**json.loads(self.config_json), **json.loads(self.extras_json))
        return extractor


def describe(exc: BaseException) -> str:
    """``Type: message``; a :class:`NewsbenchError` is given by its problems' messages alone."""
    if isinstance(exc, NewsbenchError):
        return f"{type(exc).__name__}: {'; '.join(p.message for p in exc.problems)}"
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def failure_details(exc: BaseException) -> str | None:
    """The ``failure_details`` an exception carries (a JSON object), as JSON text; None when it has none."""
    details = getattr(exc, "failure_details", None)
    if not isinstance(details, dict):
        return None
    try:
        return json.dumps(details, sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None


def attempt(extractor: Extractor, document: Document) -> Attempt:
    """Run ``extractor`` on one document and check its output; whatever the system does is an Attempt."""
    try:
        output = call_plugin(lambda: extractor.extract(document))
    except Exception as exc:  # any error of the system is that document's failure, never the run's
        return Attempt("error", describe(exc), details=failure_details(exc))
    if not isinstance(output, Document):
        return Attempt("invalid", f"extract returned {type(output).__name__}, not a Document")
    try:
        text = json.dumps(output.to_json(), ensure_ascii=False, allow_nan=False)
    except (
        Exception
    ) as exc:  # a malformed Document fails to serialise in many ways; each is an invalid output
        return Attempt("invalid", f"the prediction cannot be written as JSON: {describe(exc)}")
    problem = check_prediction(json.loads(text), document.id, document.text, system_block(extractor))
    return Attempt("ok" if problem is None else "invalid", problem, text)


def _worker_main(conn: Connection) -> None:
    """A worker's loop: build systems on first use, announce each extraction, send back its attempt.

    Interrupts are ignored here: the parent owns Ctrl-C and kills its workers when it stops; a parent
    killed outright takes its workers with it.
    """
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    built: dict[Recipe, Extractor] = {}
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, recipe, document = message
        if recipe not in built:
            try:
                built[recipe] = recipe.build()
            except (
                Exception
            ) as exc:  # a system that cannot be built fails each of its documents, with the reason
                conn.send(("done", index, Attempt("error", f"cannot build the system: {describe(exc)}")))
                continue
        conn.send(("begin", index))
        conn.send(("done", index, attempt(built[recipe], document)))


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    recipes: set[Recipe] = field(default_factory=set)
    task: int | None = None
    phase: str = "extract"
    deadline: float | None = None


class WorkerPool:
    """Up to ``jobs`` spawned workers; each task gets ``timeout`` seconds per phase (None: no limit)."""

    def __init__(self, jobs: int, timeout: float | None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")

    def _start(self) -> _Slot:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _deadline(self) -> float | None:
        return None if self.timeout is None else time.monotonic() + self.timeout

    def run(self, tasks: Iterable[tuple[Recipe, Document]]) -> Generator[tuple[int, Attempt], None, None]:
        """Yield ``(task index, attempt)`` as tasks finish, in completion order. A task is taken from
        ``tasks`` only when a worker is free for it, so at most ``jobs`` of them are held at once."""
        source = enumerate(tasks)
        more = True
        slots: list[_Slot] = []
        try:
            while True:
                for slot in [s for s in slots if s.task is None] + [None] * (self.jobs - len(slots)):
                    taken = next(source, None) if more else None
                    if taken is None:
                        more = False
                        break
                    if slot is None or not slot.process.is_alive():
                        if slot is not None:  # an idle worker that died since its last task
                            self._stop(slot)
                            slots.remove(slot)
                        slot = self._start()
                        slots.append(slot)
                    index, (recipe, document) = taken
                    slot.conn.send((index, recipe, document))
                    slot.task, slot.deadline = index, self._deadline()
                    slot.phase = "extract" if recipe in slot.recipes else "load"
                    slot.recipes.add(recipe)
                if not any(s.task is not None for s in slots):
                    break
                yield from self._collect(slots)
        finally:
            for slot in slots:
                self._stop(slot)

    def _collect(self, slots: list[_Slot]) -> Iterator[tuple[int, Attempt]]:
        """Wait for the first result or deadline, then yield every finished, dead or overdue task."""
        busy = [s for s in slots if s.task is not None]
        deadlines = [s.deadline for s in busy if s.deadline is not None]
        wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=wait_for)
        for slot in busy:
            index = slot.task
            assert index is not None
            result = self._receive(slot)
            if result is None and not slot.process.is_alive():
                code = slot.process.exitcode
                result = Attempt("error", f"the system ended its worker process (exit code {code})")
            elif result is None and slot.deadline is not None and time.monotonic() >= slot.deadline:
                what = "no prediction" if slot.phase == "extract" else "the system did not load"
                result = Attempt("timeout", f"{what} within the {self.timeout:g} s timeout")
                self._stop(slot, kill=True)
            if result is None:
                continue
            if slot.process.is_alive():
                slot.task, slot.deadline = None, None
            else:  # dead or killed: dropped, and replaced only if more work comes
                self._stop(slot)
                slots.remove(slot)
            yield index, result

    def _receive(self, slot: _Slot) -> Attempt | None:
        """Read what the worker sent; a ``begin`` restarts the clock for the extraction itself."""
        while slot.conn.poll():
            try:
                message = slot.conn.recv()
            except (EOFError, OSError):
                return None
            if message[0] == "begin":
                slot.phase, slot.deadline = "extract", self._deadline()
                continue
            attempt_: Attempt = message[2]
            return attempt_
        return None

    def _stop(self, slot: _Slot, kill: bool = False) -> None:
        """End a worker: politely when idle, by kill when busy (it may be hung) or told to."""
        if slot.process.is_alive():
            if kill or slot.task is not None:
                slot.process.kill()
            else:
                try:
                    slot.conn.send(None)
                except OSError:
                    slot.process.kill()
            slot.process.join(SHUTDOWN_SECONDS)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
        slot.conn.close()
