"""The system registry: every extractor installed under the entry-point group ``newsbench.extractors``.

Built-in baselines register the same way as third-party packages, so there is one path for all of them. An
entry point that fails to import, or that does not load a usable extractor class, is still listed -- as
unavailable, with the reason -- so one broken plug-in never hides the others or crashes ``newsbench systems``.

A third-party plug-in is first loaded and checked in a child process (:mod:`newsbench.probe`), all of them at
once, each under the discovery time limit: one that exits or crashes at import, or hangs in its availability
check, is listed as unavailable without ever entering this process. Only the plug-ins asked for are loaded:
``newsbench run rules`` never touches the others.
"""

from __future__ import annotations

import difflib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from newsbench.extractor import Availability, Extractor
from newsbench.guard import PluginTimeout, call_with_limit, discovery_timeout
from newsbench.problems import NewsbenchError

GROUP = "newsbench.extractors"
PROBE_MARK = "newsbench-probe:"
"""Marks the probe's answer line on stdout (:mod:`newsbench.probe`), among whatever a plug-in prints."""
PROBE_GRACE = 1.0
"""Seconds each probe still gets once the shared time limit has passed, for its answer to be read: the
children run at once but are read one after another, and one that hung must not cost the others their answer."""
REQUIRED = ("name", "version", "extract")
"""What every :class:`~newsbench.extractor.Extractor` has; a loaded object lacking one is not usable.

``availability`` is optional: a plug-in without an availability check can always run.
"""


@dataclass(frozen=True)
class SystemEntry:
    """One registered system: its entry-point name, the class when it loaded, and whether it can run here."""

    name: str
    target: str
    factory: Callable[..., Extractor] | None
    version: str | None
    availability: Availability

    @property
    def available(self) -> bool:
        return self.availability.available

    def create(self, **config: Any) -> Extractor:
        """An instance with ``config`` overrides; refuses a system that cannot run here, saying why."""
        if self.factory is None or not self.available:
            raise NewsbenchError(f"system {self.name} is not available: {self.availability.reason}")
        return self.factory(**config)


def _missing(ep: EntryPoint, reason: str) -> SystemEntry:
    return SystemEntry(ep.name, ep.value, None, None, Availability.missing(reason))


def _load(ep: EntryPoint) -> SystemEntry:
    """One plug-in's entry, its import and availability check run under a time limit and guarded, so a
    plug-in that raises, exits or hangs there is listed as unavailable (with the reason) and the others
    are unaffected."""
    try:
        return call_with_limit(lambda: _load_unguarded(ep), discovery_timeout())
    except PluginTimeout as exc:
        reason = f"loading {ep.value} and checking its availability {exc}"
    except Exception as exc:  # PluginExit and anything else the guard hands back
        reason = f"cannot load {ep.value}: {type(exc).__name__}: {exc}"
    return _missing(ep, reason)


def is_builtin(ep: EntryPoint) -> bool:
    return ep.value.startswith("newsbench.")


def _probe_all(eps: list[EntryPoint]) -> dict[str, str | None]:
    """Load and check each plug-in in a child process, all at once; name -> why it cannot run (None: fine)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    limit = discovery_timeout()
    children = {
        ep.name: subprocess.Popen(
            [sys.executable, "-m", "newsbench.probe", ep.name, ep.value],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        for ep in eps
    }
    deadline = time.monotonic() + limit
    found: dict[str, str | None] = {}
    for ep in eps:
        child = children[ep.name]
        try:  # a child that finished while an earlier one hung still has its answer read
            out, _ = child.communicate(timeout=max(PROBE_GRACE, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            found[ep.name] = (
                f"loading {ep.value} and checking its availability did not finish within {limit:g} s"
            )
            continue
        lines = [ln for ln in out.decode("utf-8", "replace").splitlines() if ln.startswith(PROBE_MARK)]
        if not lines:
            code = child.returncode
            how = f"killed by signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
            found[ep.name] = f"loading {ep.value} or checking its availability ended the process ({how})"
            continue
        answer = json.loads(lines[-1][len(PROBE_MARK) :])
        found[ep.name] = None if answer.get("available") else str(answer.get("reason"))
    return found


def _load_unguarded(ep: EntryPoint) -> SystemEntry:
    try:
        cls = ep.load()
    except Exception as exc:  # any import-time failure of a plug-in is that plug-in's problem, not ours
        reason = f"cannot load {ep.value}: {type(exc).__name__}: {exc}"
        return SystemEntry(ep.name, ep.value, None, None, Availability.missing(reason))
    lacking = [attr for attr in REQUIRED if not hasattr(cls, attr)]
    if lacking:
        reason = f"{ep.value} is not an extractor (it has no {', '.join(lacking)})"
        return SystemEntry(ep.name, ep.value, None, None, Availability.missing(reason))
    try:
        availability = cls.availability() if hasattr(cls, "availability") else Availability.ok()
        if not isinstance(availability, Availability):
            availability = Availability.missing(f"{ep.value}.availability() returned {availability!r}")
    except Exception as exc:  # a plug-in's own check failing means it cannot run; say why
        availability = Availability.missing(f"availability check failed: {type(exc).__name__}: {exc}")
    return SystemEntry(ep.name, ep.value, cls, str(cls.version), availability)


def _entry_points() -> list[EntryPoint]:
    """Every registered entry point in name order, the first of a duplicate name only."""
    chosen: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        chosen.setdefault(ep.name, ep)
    return list(chosen.values())


def registered_names() -> list[str]:
    """The names of every registered system, without loading any."""
    return [ep.name for ep in _entry_points()]


def discover(only: Collection[str] | None = None) -> dict[str, SystemEntry]:
    """Every registered system by name (or those named in ``only``), in name order; the first registration
    of a duplicate name wins. Third-party plug-ins are probed in child processes before they are loaded."""
    eps = [ep for ep in _entry_points() if only is None or ep.name in only]
    probed = _probe_all([ep for ep in eps if not is_builtin(ep)])
    found: dict[str, SystemEntry] = {}
    for ep in eps:
        problem = probed.get(ep.name)
        found[ep.name] = _load(ep) if problem is None else _missing(ep, problem)
    return found


def suggest(name: str, known: list[str]) -> str:
    """The error text for an unknown system name, with the closest registered names when there are any."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(close)}?"
        if close
        else f"; registered systems: {', '.join(known) or 'none'}"
    )
    return f"no system named {name!r}{hint}"


def get_system(name: str, systems: dict[str, SystemEntry] | None = None) -> SystemEntry:
    """The registered system ``name``; an unknown name raises :class:`NewsbenchError` with a suggestion."""
    systems = discover([name]) if systems is None else systems
    if name not in systems:
        raise NewsbenchError(suggest(name, registered_names()))
    return systems[name]


def create_system(name: str, **config: Any) -> Extractor:
    """An instance of the registered system ``name``, ready to extract."""
    return get_system(name).create(**config)
