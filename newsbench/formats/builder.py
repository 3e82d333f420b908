"""The one place an imported document is put together, and the one place an import's losses are kept.

Each format module only parses its files and says what it found: the layers it built, what it could not
hold (:class:`Losses`), and its own fields. :func:`assemble` makes the :class:`~newsbench.model.Document`
(document fields, ``meta.import`` with what was dropped, the layers, ignore regions in order), and
:class:`ImportLog` refuses, once every file is read, an import that met labels or attribute values nobody
said what to do with: losing them silently would make a different gold corpus without anyone noticing.

A label a type map maps to ``null`` is dropped on purpose (the map says so) and only counted; a label the
map (or, without one, the ontology) does not know is *unknown*: the import fails listing each such label
with its count, unless ``--drop-unknown`` accepts dropping them, and then they are counted like the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from newsbench.formats.contract import ImportOptions
from newsbench.formats.offsets import OffsetError
from newsbench.formats.output import safe_doc_id
from newsbench.model import Argument, Document, Entity, Event, EventCluster, Mention, Quote, SystemInfo
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.progress import Progress
from newsbench.spans import Span
from newsbench.typemap import load_type_map
from newsbench.validate import validate_data

MISSING_KIND = "mention kinds missing (set to {kind})"


def document_id(name: str, *stored: object) -> str:
    """An imported document's id: the first id the source stored (an export's sidecar or task field), else
    one the schema accepts made from ``name`` (the file or task the document came from)."""
    given = next((s for s in stored if s), None)
    return str(given) if given is not None else safe_doc_id(name)


def checked_document(doc: Document, file: str, where: str | None = None) -> Document:
    """``doc`` when it is a valid document; refused otherwise, each problem placed at ``file`` (the file the
    document's fields came from) and, for a file holding many documents, under ``where`` (the JSON path of
    the one it came from). A format can allow what a document cannot hold (an id of the wrong kind, two
    annotations with one id), and saying so while the source is known names the file to fix."""
    problems = validate_data(doc.to_json(), file)
    if where is not None:
        problems = [replace(p, doc_id=doc.id, path=f"{where} -> {p.path}") for p in problems]
    NewsbenchError.collect(problems)
    return doc


def source_spans(
    text: str, ranges: Sequence[tuple[int, int]], stored: str | None = None, *, exact: bool = True
) -> tuple[Span, ...]:
    """The spans a source gave by code-point offsets (one range, or the fragments of a discontinuous
    annotation), checked the same way for every format: each inside the text and not empty, and together
    covering ``stored``, the text the source wrote beside them when it wrote one (fragments joined by a
    space; ``exact=False`` compares the words only, for formats that normalise whitespace). A failing check
    raises :class:`OffsetError`, which each importer places at its file, document and line."""
    for start, end in ranges:
        if not 0 <= start < end <= len(text):
            raise OffsetError(f"span [{start}, {end}) is outside the text ({len(text)} code points)")
    covered = " ".join(text[start:end] for start, end in ranges)
    if stored is not None and (stored != covered if exact else stored.split() != covered.split()):
        raise OffsetError(f"the stored text {stored!r} differs from the text at its offsets {covered!r}")
    return tuple(Span.of(text, start, end) for start, end in ranges)


def record_dropped(meta: dict[str, Any], dropped: Counter[str]) -> None:
    """Put what an import could not hold into ``meta["import"]["dropped"]`` (description -> count, sorted);
    descriptions counted zero times are left out, and nothing is added when nothing was dropped."""
    kept = +dropped
    if kept:
        meta.setdefault("import", {})["dropped"] = dict(sorted(kept.items()))


@dataclass
class Losses:
    """What one document's import could not hold: ``dropped`` (description -> count) goes to
    ``meta.import.dropped``; ``unknown`` ((what, label) -> count) are the labels and attribute values that
    had no mapping and no declaration, refused unless the user accepts dropping them."""

    dropped: Counter[str] = field(default_factory=Counter)
    unknown: Counter[tuple[str, str]] = field(default_factory=Counter)
    missing_kinds: int = 0

    def drop(self, description: str, count: int = 1) -> None:
        self.dropped[description] += count

    def unknown_label(self, description: str, what: str, label: str, *, declared: bool = False) -> None:
        """One annotation dropped because its ``what`` (``"entity type"``, ``"role"``…) is ``label``; counted
        under ``description``, and as unknown unless a type map ``declared`` the drop."""
        self.dropped[description] += 1
        if not declared:
            self.unknown[(what, label)] += 1

    def kind(self, found: str | None, options: ImportOptions) -> str:
        """The mention kind to use when the source gives ``found`` (``None`` or a value outside the ontology):
        ``--default-kind`` when given (and counted), else the import is refused once every file is read."""
        if found is not None:
            return found
        self.missing_kinds += 1
        default = options.default_kind or "NAM"
        self.dropped[MISSING_KIND.format(kind=default)] += 1
        return default


def event_arguments(
    etype: str,
    pairs: Iterable[tuple[str, str]],
    mentions: Container[str],
    losses: Losses,
    description: str,
) -> tuple[Argument, ...]:
    """The ``(role, mention id)`` pairs an event of type ``etype`` can hold: a role the type does not have is
    an unknown label (named with the type), an argument that is not an imported mention is dropped; both
    are counted under ``description``."""
    allowed = ontology().event_roles[etype]
    kept: list[Argument] = []
    for role, target in pairs:
        if role not in allowed:
            losses.unknown_label(description, "role", f"{etype} {role}")
        elif target in mentions:
            kept.append(Argument(role, target))
        else:
            losses.drop(description)
    return tuple(kept)


@dataclass(frozen=True)
class Layers:
    """The annotation layers a format built, in the order the document keeps them (ignore regions are
    sorted on assembly)."""

    mentions: Iterable[Mention] = ()
    entities: Iterable[Entity] = ()
    events: Iterable[Event] = ()
    event_coreference: Iterable[EventCluster] = ()
    quotes: Iterable[Quote] = ()
    ignore: Iterable[Span] = ()


def assemble(
    doc_id: str,
    text: str,
    losses: Losses,
    layers: Layers,
    *,
    fields: dict[str, Any] | None = None,
    meta: dict[str, Any] | None = None,
) -> Document:
    """An imported document.

    ``fields`` are the document's own fields as an export wrote them beside the annotations (BRAT's
    sidecar, Label Studio's ``data.newsbench``); ``meta`` is the format's ``meta`` (its ``import`` record).
    Given both, the fields' ``meta`` comes first and ``meta`` is merged over it. What was dropped goes to
    ``meta.import.dropped``; ignore regions are sorted.
    """
    own = dict(fields or {})
    merged = dict(own.get("meta", {}))
    merged.update(meta or {})
    record_dropped(merged, losses.dropped)
    system = own.get("system")
    return Document(
        id=doc_id,
        text=text,
        title=own.get("title"),
        source=own.get("source"),
        url=own.get("url"),
        published=own.get("published"),
        language=own.get("language", "en"),
        license=own.get("license"),
        meta=merged,
        system=SystemInfo.from_json(system) if system else None,
        mentions=tuple(layers.mentions),
        entities=tuple(layers.entities),
        events=tuple(layers.events),
        event_coreference=tuple(layers.event_coreference),
        quotes=tuple(layers.quotes),
        ignore=tuple(sorted(layers.ignore)),
    )


@dataclass(frozen=True)
class LabelMap:
    """Source labels to newsbench's, from the ``types`` of the ``--typemap`` map (a ``null`` there drops the
    label on purpose); without a map, and for labels it does not list, a label stands for itself."""

    types: dict[str, str | None]

    @classmethod
    def of(cls, options: ImportOptions, targets: Collection[str] | None = None) -> LabelMap:
        """The ``--typemap`` map's labels; with ``targets`` (the labels the format reads), a map sending a
        label anywhere else is refused at the map's file (import once, before any document is read)."""
        return cls(dict(load_type_map(options.type_map, targets)["types"]) if options.type_map else {})

    def rename(self, label: str) -> str:
        """The newsbench label, or ``label`` itself when the map says nothing or drops it."""
        return self.types.get(label) or label

    def declared_drop(self, label: str) -> bool:
        return label in self.types and self.types[label] is None


@dataclass
class ImportLog:
    """Losses of every document of one import, checked once all files are read so that one error lists
    every unknown label of the import with its count, not only the first file's."""

    options: ImportOptions
    source: str
    unknown: Counter[tuple[str, str]] = field(default_factory=Counter)
    missing_kinds: int = 0
    bar: Progress | None = field(default=None, repr=False, compare=False)
    """Counts the documents read (no end: how many the files hold is known only once they are read)."""

    def add(self, losses: Losses) -> None:
        """One document read, with what it lost."""
        self.unknown.update(losses.unknown)
        self.missing_kinds += losses.missing_kinds
        if self.bar is None:
            self.bar = Progress(None, "importing", leave=False)
        self.bar.advance()

    def check(self) -> None:
        """Refuse the import when it would drop unknown labels without ``--drop-unknown``, or invent mention
        kinds without ``--default-kind``."""
        if self.bar is not None:
            self.bar.close()
        messages: list[str] = []
        if self.unknown and not self.options.drop_unknown:
            messages += [
                f"unknown {what} {label!r}: {n} annotations"
                for (what, label), n in sorted(self.unknown.items())
            ]
            messages.append(
                f"{sum(self.unknown.values())} annotations have labels with no newsbench counterpart: "
                "map them with --typemap FILE, or pass --drop-unknown to import without them"
            )
        if self.missing_kinds and self.options.default_kind is None:
            messages.append(
                f"{self.missing_kinds} mentions have no mention kind (NAM, NOM or PRO); pass "
                "--default-kind KIND to give them one"
            )
        NewsbenchError.collect(Problem(self.source, None, "$", message) for message in messages)


Source = TypeVar("Source")


def import_each(
    paths: Sequence[Path],
    options: ImportOptions,
    sources: Iterable[Source],
    read: Callable[[Source, Losses], Document],
) -> list[Document]:
    """The one import loop: ``read`` makes a document of each of a format's ``sources`` (its files, or the
    tasks or sections inside them, in order) with losses of its own, and once every source is read the
    import is refused if it met labels nobody said what to do with (:class:`ImportLog`)."""
    log = ImportLog(options, ", ".join(str(p) for p in paths))
    docs = []
    for source in sources:
        losses = Losses()
        docs.append(read(source, losses))
        log.add(losses)
    log.check()
    return docs
