"""The extractor contract: what the runner, the registry and the benchmark rely on in any system.

A system is any class whose instances satisfy :class:`Extractor` (built from ``**config`` overrides) and,
optionally, whose ``availability()`` says whether it can run here. Subclassing
:class:`newsbench.baselines.base.BaseExtractor` is a convenience that checks the config; the contract is
structural, so a plug-in from another package needs nothing from this one but these types.

An extractor is given ``doc.blank()`` (text and metadata, never the gold), except one whose ``needs_gold``
attribute is true (the ``oracle``, which bounds every metric from above). Its prediction must carry the same
id and text and the :func:`system_block` of the extractor that made it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from newsbench.digest import sha256_json
from newsbench.model import Document

JSON = dict[str, Any]

TASKS = ("entities", "events", "quotes")
"""The tasks a system may attempt (the scoring tasks)."""


@dataclass(frozen=True)
class Availability:
    """Whether a system can run here; when not, a reason a user can act on (e.g. the install command)."""

    available: bool
    reason: str | None = None

    @classmethod
    def ok(cls) -> Availability:
        return cls(True, None)

    @classmethod
    def missing(cls, reason: str) -> Availability:
        return cls(False, reason)


class Identified(Protocol):
    """What names a system's predictions: the ``system`` block, the cache key and the run spec."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def config(self) -> Mapping[str, Any]: ...


@runtime_checkable
class Extractor(Identified, Protocol):
    """A system ready to extract: one document in, that document's prediction out.

    ``extract`` is called once per document so that a document the system raises on, hangs on or answers
    invalidly is that document's failure alone, and so that every prediction is cached on its own key.
    An optional ``tasks`` attribute names the tasks it attempts (:func:`attempted_tasks`).
    """

    def extract(self, document: Document) -> Document: ...


def attempted_tasks(extractor: object) -> tuple[str, ...]:
    """The tasks a system attempts: its optional ``tasks`` attribute (e.g. ``("entities",)`` for a named-
    entity tagger), all of them when it declares none. A task it does not attempt is reported as *not
    attempted* for it, never as a score of 0, and it is left out of that task's ranking."""
    declared = getattr(extractor, "tasks", TASKS)
    return tuple(task for task in TASKS if task in declared)


def config_hash(config: Mapping[str, Any]) -> str:
    """sha256 (hex) of the canonical JSON of a config: part of the prediction cache key and the run spec."""
    return sha256_json(dict(config))


def system_block(system: Identified) -> JSON:
    """The ``system`` block every prediction of ``system`` must carry (and a valid one does carry)."""
    return {"name": str(system.name), "version": str(system.version), "config": dict(system.config)}


class Trainable(Protocol):
    """A system class with ``needs_training = True``: it has no model until the benchmark trains one.

    The benchmark asks ``availability_for(train)`` whether a corpus's training split can teach it, then runs
    the instance ``trained(train)`` returns; that instance is an ordinary :class:`Extractor`.
    """

    def availability_for(self, train_docs: Sequence[Document]) -> Availability: ...

    def trained(self, train_docs: Sequence[Document], **config: Any) -> Extractor: ...
