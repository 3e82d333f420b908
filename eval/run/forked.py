"""Extracting with a third-party system "in this process" -- in a forked copy of it, so it cannot end the run.

``--executor inline`` (or no parallelism and no timeout) extracts without worker start-up cost. For the
built-in systems that is this process itself; a plug-in, though, may end a process in ways no ``except``
sees -- ``os._exit`` bound before the guard could replace it (``from os import _exit``), a segfault in a C
extension, a signal -- and in this process that would end the run with nothing written, possibly with exit
status 0. So a plug-in's documents are extracted in a forked child, which starts at once (no new interpreter,
the same extractor object), one document after another; when the child dies, the document it was working on
is that system's failure (with the exit code or signal) and a new child takes the remaining ones.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import signal
import sys
from collections.abc import Generator, Sequence
from multiprocessing.connection import Connection

from newsbench.eval.run.workers import Attempt, attempt
from newsbench.extractor import Extractor
from newsbench.model import Document
from newsbench.orphans import die_with_parent

TRUSTED_MODULES: tuple[str, ...] = ("newsbench.",)
"""Module prefixes whose extractors run in this process itself: newsbench's own."""


def is_builtin(extractor: Extractor) -> bool:
    """Whether the extractor's class is newsbench's own (trusted to run in this process)."""
    return type(extractor).__module__.startswith(TRUSTED_MODULES)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _child(
    conn: Connection, extractors: Sequence[Extractor], tasks: Sequence[tuple[int, Document]], todo: list[int]
) -> None:
    die_with_parent()  # a run killed outright does not leave a hanging plug-in behind
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent owns Ctrl-C
    faulthandler.disable()  # a crash is reported as the document's failure, not as a dump on the terminal
    for index in todo:
        system, document = tasks[index]
        conn.send(("begin", index))
        conn.send(("done", index, attempt(extractors[system], document)))
    conn.close()
    sys.stdout.flush()
    sys.stderr.flush()
    import posix  # only where fork exists

    # End here, never back in the parent's code: os._exit may be the exit guard, copied from a parent thread
    # still inside a plug-in's code when this process was forked.
    posix._exit(0)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"the system ended its process (killed by signal {name})"
    return f"the system ended its process (exit code {exitcode})"


def forked_attempts(
    extractors: Sequence[Extractor], tasks: Sequence[tuple[int, Document]], chosen: list[int]
) -> Generator[tuple[int, Attempt], None, None]:
    """``(task index, attempt)`` for each of ``chosen``, extracted in forked children, in order."""
    context = multiprocessing.get_context("fork")
    remaining = list(chosen)
    while remaining:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(send, extractors, tasks, list(remaining)), daemon=True)
        child.start()
        send.close()
        current: int | None = None
        try:
            while True:
                try:
                    message = receive.recv()
                except (EOFError, OSError):
                    break
                if message[0] == "begin":
                    current = message[1]
                    continue
                remaining.remove(message[1])
                current = None
                yield message[1], message[2]
        finally:
            if child.is_alive() and remaining:  # closed early (an interrupt): the child goes too
                child.kill()
            child.join()
            receive.close()
        if remaining:  # the child died: on the document it had begun, or before it could begin one
            lost = current if current is not None else remaining[0]
            remaining.remove(lost)
            yield lost, Attempt("error", _death(child.exitcode))
