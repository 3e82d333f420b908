"""A base class for extractors: config checking and the prediction helper, for systems that want them.

The contract itself is :class:`newsbench.extractor.Extractor`, a Protocol; subclassing this class is a
convenience, not a requirement. The runner validates every prediction against the schema and records an
invalid one as a failure, so an extractor never repairs or drops output to make it pass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from newsbench.extractor import JSON, TASKS, Availability
from newsbench.jsonio import canonical_json
from newsbench.model import Document, SystemInfo
from newsbench.problems import NewsbenchError
from newsbench.wording import plural


class BaseExtractor:
    """Subclasses set ``name``, ``version`` and ``default_config``, and define :meth:`extract`.

    A config key the system does not declare is refused at construction, and so is a config that is not
    plain JSON, because the config is part of every cache key and run signature.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    default_config: ClassVar[JSON] = {}
    needs_gold: ClassVar[bool] = False
    """True only for the oracle: it is given the gold document instead of ``doc.blank()``."""
    tasks: ClassVar[tuple[str, ...]] = TASKS
    """The tasks the system attempts; the others are reported as not attempted for it, not as 0."""

    def __init__(self, **config: Any) -> None:
        unknown = sorted(set(config) - set(self.default_config))
        if unknown:
            allowed = ", ".join(sorted(self.default_config)) or "none"
            raise NewsbenchError(
                f"system {self.name}: unknown config {plural('key', len(unknown))} {', '.join(unknown)}; allowed: {allowed}"
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

    def prediction(self, document: Document, **layers: Any) -> Document:
        """``document`` as this system's prediction: annotations replaced by ``layers`` (unset ones empty)."""
        return replace(document.blank(self.system_info), **layers)
