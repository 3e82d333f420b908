"""The system registry: every extractor installed under the entry-point group ``newsbench.extractors``.

Built-in baselines register the same way as third-party packages, so there is one path for all of them. An
entry point that fails to import, or that does not load a usable extractor class, is still listed -- as
unavailable, with the reason -- so one broken plug-in never hides the others or crashes ``newsbench systems``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from newsbench.extractor import Availability, Extractor
from newsbench.guard import DISCOVERY_TIMEOUT, PluginTimeout, call_with_limit
from newsbench.problems import NewsbenchError

GROUP = "newsbench.extractors"
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


def _load(ep: EntryPoint) -> SystemEntry:
    """One plug-in's entry, its import and availability check run under a time limit and guarded, so a
    plug-in that raises, exits or hangs there is listed as unavailable (with the reason) and the others
    are unaffected."""
    try:
        return call_with_limit(lambda: _load_unguarded(ep), DISCOVERY_TIMEOUT)
    except PluginTimeout as exc:
        reason = f"loading {ep.value} and checking its availability {exc}"
    except Exception as exc:  # PluginExit and anything else the guard hands back
        reason = f"cannot load {ep.value}: {type(exc).__name__}: {exc}"
    return SystemEntry(ep.name, ep.value, None, None, Availability.missing(reason))


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


def discover() -> dict[str, SystemEntry]:
    """Every registered system by name, in name order; the first registration of a duplicate name wins."""
    found: dict[str, SystemEntry] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        if ep.name not in found:
            found[ep.name] = _load(ep)
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
    systems = discover() if systems is None else systems
    if name not in systems:
        raise NewsbenchError(suggest(name, sorted(systems)))
    return systems[name]


def create_system(name: str, **config: Any) -> Extractor:
    """An instance of the registered system ``name``, ready to extract."""
    return get_system(name).create(**config)
