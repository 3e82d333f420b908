"""The extractor plug-in contract: what every system (built-in or from another package) provides.

An extractor is a class registered under the entry-point group ``newsbench.extractors``. The runner builds it
with ``**config`` overrides, checks :meth:`Extractor.availability` first, and passes each document through
``doc.blank()`` so no system ever sees gold annotations -- except one marked ``needs_gold = True`` (the
``oracle`` sanity system), whose whole point is to bound the metrics from above.

The prediction must carry the same id and text and ``system=SystemInfo(name, version, config)``; the runner
validates it against the schema and records an invalid one as a failure, so an extractor never repairs or
drops output to make it pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from newsbench.digest import sha256_json
from newsbench.jsonio import canonical_json as canonical_json  # re-exported: part of the plug-in contract
from newsbench.model import Document, SystemInfo
from newsbench.problems import NewsbenchError

JSON = dict[str, Any]


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


def config_hash(config: JSON) -> str:
    """sha256 (hex) of the canonical JSON of a config: part of the prediction cache key and the run spec."""
    return sha256_json(config)


class Extractor:
    """Base class for extractors; subclasses set ``name``, ``version`` and ``default_config``, and define
    :meth:`extract`.

    Subclassing is a convenience, not a requirement: the runner relies only on the attributes and methods
    named here, so a plug-in may implement them on any class.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    default_config: ClassVar[JSON] = {}
    needs_gold: ClassVar[bool] = False
    """True only for the oracle: it is given the gold document instead of ``doc.blank()``."""

    def __init__(self, **config: Any) -> None:
        unknown = sorted(set(config) - set(self.default_config))
        if unknown:
            allowed = ", ".join(sorted(self.default_config)) or "none"
            raise NewsbenchError(
                f"system {self.name}: unknown config key(s) {', '.join(unknown)}; allowed: {allowed}"
            )
        self.config: JSON = {**self.default_config, **config}
        try:
            canonical_json(self.config)  # fail now, not at cache time, if the config is not JSON-serialisable
        except (TypeError, ValueError) as exc:
            raise NewsbenchError(f"system {self.name}: the config is not plain JSON ({exc})") from None

    @classmethod
    def availability(cls) -> Availability:
        """Whether this system can run here; override to check optional dependencies, models, endpoints."""
        return Availability.ok()

    @property
    def system_info(self) -> SystemInfo:
        return SystemInfo(self.name, self.version, dict(self.config))

    def extract(self, document: Document) -> Document:
        """A prediction for ``document`` (given blank, or gold when ``needs_gold``)."""
        raise NotImplementedError

    def extract_batch(self, documents: Sequence[Document]) -> list[Document]:
        """Predictions for several documents; override when batching is faster (a model, an endpoint)."""
        return [self.extract(doc) for doc in documents]

    def prediction(self, document: Document, **layers: Any) -> Document:
        """``document`` as this system's prediction: annotations replaced by ``layers`` (unset ones empty)."""
        return replace(document.blank(self.system_info), **layers)
