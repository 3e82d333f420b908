"""Running a plug-in's code where it cannot take the process down with it.

A plug-in is someone else's code: it may call ``sys.exit``, raise ``KeyboardInterrupt`` itself, call
``os._exit`` (which no ``except`` sees), or never return. Worker processes contain all of that for extraction
with a time limit; this module covers the code that runs in newsbench's own process: extraction without a time
limit, and a plug-in's import and ``availability()`` check during discovery.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import NoReturn, TypeVar

T = TypeVar("T")
DISCOVERY_TIMEOUT = 90.0
"""Seconds a plug-in's import plus availability check may take before discovery goes on without it: generous,
since importing a heavy library on a loaded machine is slow, yet finite, so a hung plug-in cannot hang newsbench.
``$NEWSBENCH_DISCOVERY_TIMEOUT`` sets another limit."""
DISCOVERY_TIMEOUT_ENV = "NEWSBENCH_DISCOVERY_TIMEOUT"


def discovery_timeout() -> float:
    """``$NEWSBENCH_DISCOVERY_TIMEOUT`` seconds when set to a positive number, else :data:`DISCOVERY_TIMEOUT`."""
    try:
        value = float(os.environ.get(DISCOVERY_TIMEOUT_ENV, ""))
    except ValueError:
        return DISCOVERY_TIMEOUT
    return value if value > 0 else DISCOVERY_TIMEOUT


class PluginExit(Exception):
    """A plug-in tried to end the process (``sys.exit``, ``os._exit``) or raised ``KeyboardInterrupt`` itself."""


class PluginTimeout(Exception):
    """A plug-in's code did not return within its time limit."""


def _refuse_exit(code: int = 0) -> NoReturn:
    raise PluginExit(f"the plug-in called os._exit({code})")


_guard_lock = threading.Lock()
_guarded = 0
"""How many threads are inside :func:`no_hard_exit` blocks now."""
_real_exit = os._exit


@contextlib.contextmanager
def no_hard_exit() -> Iterator[None]:
    """While the block runs, ``os._exit`` raises :class:`PluginExit` instead of ending the process.

    Only for code run in this process while no child processes of newsbench exist (a forked worker ends
    with ``os._exit``). Blocks may overlap in several threads (a Dask worker runs extractions in threads):
    the first to enter replaces ``os._exit`` and the last to leave puts the real one back."""
    global _guarded, _real_exit
    with _guard_lock:
        if _guarded == 0:
            _real_exit = os._exit
            os._exit = _refuse_exit  # type: ignore[assignment]
        _guarded += 1
    try:
        yield
    finally:
        with _guard_lock:
            _guarded -= 1
            if _guarded == 0:
                os._exit = _real_exit


def call_plugin(fn: Callable[[], T]) -> T:
    """``fn()``, with its attempts to end the process turned into :class:`PluginExit`.

    A ``KeyboardInterrupt`` from a real Ctrl-C (a SIGINT that arrived meanwhile) still stops the run; one the
    plug-in raised itself is only its failure.
    """
    interrupted = [False]
    previous = None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:

        def on_sigint(signum: int, frame: object) -> None:
            interrupted[0] = True
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        with no_hard_exit():
            return fn()
    except SystemExit as exc:
        raise PluginExit(f"the plug-in called sys.exit({exc.code!r})") from None
    except KeyboardInterrupt:
        if interrupted[0]:
            raise
        raise PluginExit("the plug-in raised KeyboardInterrupt") from None
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)


def call_with_limit(fn: Callable[[], T], timeout: float) -> T:
    """``fn()`` in a daemon thread, guarded as :func:`call_plugin`; :class:`PluginTimeout` if it has not
    returned within ``timeout`` seconds (the thread is left behind; it cannot hold up the process's exit)."""
    box: list[T] = []
    error: list[BaseException] = []

    def body() -> None:
        try:
            box.append(call_plugin(fn))
        except BaseException as exc:  # handed to the caller, who decides what it means
            error.append(exc)

    thread = threading.Thread(target=body, daemon=True, name="newsbench-plugin")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise PluginTimeout(f"did not finish within {timeout:g} s")
    if error:
        raise error[0]
    return box[0]
