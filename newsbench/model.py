"""The document model: plain data classes mirroring ``schema/document.schema.json``.

``Document.from_json`` expects data that already passed :func:`newsbench.validate.validate_data`; readers go
through :func:`newsbench.corpus.read_document`, which validates first. ``to_json`` writes keys in schema order
so corpus files diff well, and omits optional fields that are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import msgspec

from newsbench.spans import Span

SCHEMA_VERSION = "1.0"

JSON = dict[str, Any]

T = TypeVar("T")


def _read_as(cls: type[T], data: JSON) -> T:
    """``data`` (a parsed JSON object) as an instance of the data class ``cls``, nested classes included.

    msgspec builds the instances from the classes' own annotations and defaults, in C: twice as fast as
    building them field by field in Python, and there is no second description of the mapping to keep in
    step with the classes. Keys the class lacks (``schema_version``) are skipped. Values of the wrong type
    are refused with the JSON path of the first one, as a ``ValueError``: an offset is never coerced
    (``int(3.7)`` would silently move a span), so a float offset is refused too. A field left at a plain
    default (``None``, ``()``) is not set on the instance but read from the class, as data classes put
    their defaults there: every way of reading a field (attributes, equality, hashing, ``replace``,
    pickling) sees the same value.
    """
    return msgspec.convert(data, cls)


@dataclass(frozen=True)
class Mention:
    """A reference to an entity: one or more spans (several for a discontinuous mention), typed and kinded."""

    id: str
    spans: tuple[Span, ...]
    type: str
    kind: str

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.spans)

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "spans": [s.to_json() for s in self.spans],
            "type": self.type,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class KBLink:
    db: str
    id: str


@dataclass(frozen=True)
class Entity:
    """A coreference cluster of mentions of one type, with an optional canonical name and KB links."""

    id: str
    type: str
    mentions: tuple[str, ...]
    name: str | None = None
    links: tuple[KBLink, ...] = ()

    def to_json(self) -> JSON:
        out: JSON = {"id": self.id, "type": self.type, "mentions": list(self.mentions)}
        if self.name is not None:
            out["name"] = self.name
        if self.links:
            out["links"] = [{"db": k.db, "id": k.id} for k in self.links]
        return out


@dataclass(frozen=True)
class Argument:
    role: str
    mention: str


@dataclass(frozen=True)
class Event:
    """An ACE event mention: a typed trigger span with role-labelled argument mentions and attributes."""

    id: str
    type: str
    trigger: Span
    arguments: tuple[Argument, ...] = ()
    polarity: str | None = None
    modality: str | None = None
    genericity: str | None = None
    tense: str | None = None

    ATTRIBUTES = ("polarity", "modality", "genericity", "tense")

    def to_json(self) -> JSON:
        out: JSON = {
            "id": self.id,
            "type": self.type,
            "trigger": self.trigger.to_json(),
            "arguments": [{"role": a.role, "mention": a.mention} for a in self.arguments],
        }
        for name in self.ATTRIBUTES:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


@dataclass(frozen=True)
class EventCluster:
    """Event mentions that refer to the same happening (event coreference)."""

    id: str
    events: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """Reported speech: content span(s), an optional cue, and the speaker mention (None when unattributed)."""

    id: str
    type: str
    content: tuple[Span, ...]
    cue: Span | None = None
    speaker: str | None = None
    addressee: str | None = None
    medium: str | None = None

    def to_json(self) -> JSON:
        out: JSON = {
            "id": self.id,
            "type": self.type,
            "content": [s.to_json() for s in self.content],
            "cue": self.cue.to_json() if self.cue else None,
            "speaker": self.speaker,
        }
        if self.addressee is not None:
            out["addressee"] = self.addressee
        if self.medium is not None:
            out["medium"] = self.medium
        return out


@dataclass(frozen=True)
class SystemInfo:
    """Which system made a prediction document."""

    name: str
    version: str
    config: JSON = field(default_factory=dict)

    @classmethod
    def from_json(cls, d: JSON) -> SystemInfo:
        return _read_as(cls, d)


_META_FIELDS = ("title", "source", "url", "published", "license")


@dataclass(frozen=True)
class Document:
    """A news article with its annotations; gold when ``system`` is None, a prediction otherwise."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str = "en"
    license: str | None = None
    meta: JSON = field(default_factory=dict)
    system: SystemInfo | None = None
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    event_coreference: tuple[EventCluster, ...] = ()
    quotes: tuple[Quote, ...] = ()
    ignore: tuple[Span, ...] = ()

    def span(self, start: int, end: int) -> Span:
        """A span of this document's text."""
        return Span.of(self.text, start, end)

    def mention_index(self) -> dict[str, Mention]:
        return {m.id: m for m in self.mentions}

    def entity_of(self) -> dict[str, str]:
        """Mention id -> entity id, for the mentions that belong to a cluster."""
        return {mid: e.id for e in self.entities for mid in e.mentions}

    def blank(self, system: SystemInfo | None = None) -> Document:
        """The same article with no annotations: what an extractor is given, or an empty prediction.

        ``meta`` goes too: importers keep annotation-side material there (counts of what they dropped, a
        source's untyped event triggers), which a system must never see.
        """
        return replace(
            self,
            meta={},
            system=system,
            mentions=(),
            entities=(),
            events=(),
            event_coreference=(),
            quotes=(),
            ignore=(),
        )

    def to_json(self) -> JSON:
        out: JSON = {"schema_version": SCHEMA_VERSION, "id": self.id}
        for name in _META_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        out["language"] = self.language
        if self.meta:
            out["meta"] = self.meta
        if self.system is not None:
            out["system"] = {
                "name": self.system.name,
                "version": self.system.version,
                "config": self.system.config,
            }
        out["text"] = self.text
        out["mentions"] = [m.to_json() for m in self.mentions]
        out["entities"] = [e.to_json() for e in self.entities]
        out["events"] = [e.to_json() for e in self.events]
        if self.event_coreference:
            out["event_coreference"] = [
                {"id": c.id, "events": list(c.events)} for c in self.event_coreference
            ]
        out["quotes"] = [q.to_json() for q in self.quotes]
        out["ignore"] = [s.to_json() for s in self.ignore]
        return out

    @classmethod
    def from_json(cls, d: JSON) -> Document:
        """The document ``d`` holds, which passed :func:`newsbench.validate.validate_data`."""
        return _read_as(cls, d)
