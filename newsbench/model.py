"""The document model: plain data classes mirroring ``schema/document.schema.json``.

``Document.from_json`` expects data that already passed :func:`newsbench.validate.validate_data`; readers go
through :func:`newsbench.corpus.read_document`, which validates first. ``to_json`` writes keys in schema order
so corpus files diff well, and omits optional fields that are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from newsbench.spans import Span

SCHEMA_VERSION = "1.0"

JSON = dict[str, Any]

T = TypeVar("T")


def _made(cls: type[T], **values: Any) -> T:
    """An instance of the frozen data class ``cls`` with ``values``, every field given in field order.

    A frozen class's ``__init__`` sets each field through ``object.__setattr__``, which made it most of the
    cost of reading a document back; filling the instance's ``__dict__`` at once gives the very same object
    (same fields, equality, hash and repr, still frozen). Only ``from_json`` uses it, and only for classes
    without ``__post_init__``, slots or defaults it would need to fill: it passes every field.
    """
    made = object.__new__(cls)
    made.__dict__.update(values)
    return made


def _span(d: JSON) -> Span:
    start, end = d["start"], d["end"]
    if type(start) is not int or type(end) is not int:  # is_offset, inlined: documents hold millions of spans
        # Never coerce: int(3.7) would silently move a span. Validated data cannot get here.
        raise ValueError(f"offsets must be integers, not {start!r} and {end!r}")
    return Span(start, end, str(d["text"]))


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

    @classmethod
    def from_json(cls, d: JSON) -> Mention:
        spans = d["spans"]
        return _made(
            cls,
            id=d["id"],
            spans=(_span(spans[0]),) if len(spans) == 1 else tuple([_span(s) for s in spans]),
            type=d["type"],
            kind=d["kind"],
        )


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

    @classmethod
    def from_json(cls, d: JSON) -> Entity:
        links = d.get("links")
        return _made(
            cls,
            id=d["id"],
            type=d["type"],
            mentions=tuple(d["mentions"]),
            name=d.get("name"),
            links=tuple([KBLink(k["db"], k["id"]) for k in links]) if links else (),
        )


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

    @classmethod
    def from_json(cls, d: JSON) -> Event:
        args = d.get("arguments")
        get = d.get
        return _made(
            cls,
            id=d["id"],
            type=d["type"],
            trigger=_span(d["trigger"]),
            arguments=tuple([_made(Argument, role=a["role"], mention=a["mention"]) for a in args])
            if args
            else (),
            polarity=get("polarity"),
            modality=get("modality"),
            genericity=get("genericity"),
            tense=get("tense"),
        )


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

    @classmethod
    def from_json(cls, d: JSON) -> Quote:
        cue = d.get("cue")
        return _made(
            cls,
            id=d["id"],
            type=d["type"],
            content=tuple([_span(s) for s in d["content"]]),
            cue=_span(cue) if cue else None,
            speaker=d.get("speaker"),
            addressee=d.get("addressee"),
            medium=d.get("medium"),
        )


@dataclass(frozen=True)
class SystemInfo:
    """Which system made a prediction document."""

    name: str
    version: str
    config: JSON = field(default_factory=dict)

    @classmethod
    def from_json(cls, d: JSON) -> SystemInfo:
        return cls(d["name"], d["version"], dict(d["config"]))


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

    @property
    def is_prediction(self) -> bool:
        return self.system is not None

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
        """Read with list comprehensions over bound methods: ``score`` reads every document back once, and
        building the model was a fifth of its time."""
        get = d.get
        system = get("system")
        mention, entity, event, quote = Mention.from_json, Entity.from_json, Event.from_json, Quote.from_json
        return _made(
            cls,
            id=d["id"],
            text=d["text"],
            title=get("title"),
            source=get("source"),
            url=get("url"),
            published=get("published"),
            language=get("language", "en"),
            license=get("license"),
            meta=dict(get("meta", {})),
            system=SystemInfo.from_json(system) if system else None,
            mentions=tuple([mention(m) for m in get("mentions", ())]),
            entities=tuple([entity(e) for e in get("entities", ())]),
            events=tuple([event(e) for e in get("events", ())]),
            event_coreference=tuple(
                [
                    _made(EventCluster, id=c["id"], events=tuple(c["events"]))
                    for c in get("event_coreference", ())
                ]
            ),
            quotes=tuple([quote(q) for q in get("quotes", ())]),
            ignore=tuple([_span(s) for s in get("ignore", ())]),
        )
