"""Reading BRAT standoff (``.txt`` + ``.ann``, and the ``.meta.json`` sidecar) into documents, by the
conventions of :mod:`newsbench.formats.brat`; what newsbench cannot hold is counted in
``meta.import.dropped``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsbench.consistency import CLOSING_MARKS, OPENING_MARKS
from newsbench.formats.brat import (
    ATTRIBUTES,
    BOILERPLATE,
    META_SUFFIX,
    NAME_NOTE,
    QUOTE_EVENTS,
    SPEAKER_ROLES,
)
from newsbench.formats.builder import (
    LabelMap,
    Layers,
    Losses,
    assemble,
    checked_document,
    document_id,
    event_arguments,
    import_each,
    source_spans,
)
from newsbench.formats.contract import ImportOptions
from newsbench.formats.output import read_text_file
from newsbench.jsonio import read_json
from newsbench.model import Document, Entity, Event, EventCluster, KBLink, Mention, Quote
from newsbench.ontology import ontology, schema_json
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Span

_REPEAT = re.compile(r"^(.*?)(\d+)$")
_IDENT = re.compile(r"[TERAMN#]\d+|\*")
"""The ids BRAT writes: a letter for the kind of line and a number, or ``*`` for an equivalence."""


@dataclass(frozen=True)
class _TextBound:
    id: str
    type: str
    ranges: tuple[tuple[int, int], ...]


@dataclass
class _Ann:
    """The parsed lines of one ``.ann`` file, in file order."""

    textbounds: dict[str, _TextBound] = field(default_factory=dict)
    events: list[tuple[str, str, str, list[tuple[str, str]]]] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    norms: list[tuple[str, str, str]] = field(default_factory=list)
    equivs: list[tuple[str, list[str]]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    """The types of relation (``R``) lines, which newsbench has no place for."""


def _parse_ann(content: str, text: str, file: str) -> _Ann:
    """Every line of an ``.ann`` file; a line that is not BRAT is a problem naming its number and text.

    Only well-formed annotations newsbench has no place for (relations, say) are counted as dropped: a
    malformed line is a broken file, and dropping it silently would make a different gold corpus.
    """
    ann = _Ann()
    problems = []
    event_lines: dict[str, tuple[int, str]] = {}
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {n}"
        fields = line.split("\t")
        ident, body = fields[0], fields[1] if len(fields) > 1 else ""
        head = body.split()
        try:
            if not _IDENT.fullmatch(ident) or len(fields) < 2:
                raise ValueError("not a BRAT annotation line (an id such as T1, a tab, then the annotation)")
            if ident.startswith("T"):
                type_, frag = body.split(" ", 1)
                ranges = tuple((int(a), int(b)) for a, b in (f.split() for f in frag.split(";")))
                source_spans(text, ranges, fields[2] if len(fields) > 2 else None, exact=False)
                ann.textbounds[ident] = _TextBound(ident, type_, ranges)
            elif ident.startswith("E"):
                type_, trigger = head[0].rsplit(":", 1)
                args = [(role, target) for role, target in (a.rsplit(":", 1) for a in head[1:])]
                ann.events.append((ident, type_, trigger, args))
                event_lines[ident] = (n, line)
            elif ident.startswith(("A", "M")):
                ann.attributes.append((head[0], head[1], head[2] if len(head) > 2 else "true"))
            elif ident.startswith("N"):
                ann.norms.append((head[1], head[2], fields[2] if len(fields) > 2 else ""))
            elif ident == "*":
                ann.equivs.append((head[0], head[1:]))
            elif ident.startswith("#"):
                ann.notes.append((head[1], fields[2] if len(fields) > 2 else ""))
            else:
                ann.relations.append(head[0])
        except (ValueError, IndexError) as exc:
            problems.append(Problem(file, None, where, f"cannot read {line!r}: {exc}"))
    events = {eid for eid, *_ in ann.events}
    for eid, _, trigger, args in ann.events:
        n, line = event_lines[eid]
        if trigger not in ann.textbounds:
            message = f"its trigger {trigger} is not a T line of this file"
            problems.append(Problem(file, None, f"line {n}", f"cannot read {line!r}: {message}"))
        for role, target in args:
            if target not in ann.textbounds and target not in events:
                message = f"its argument {role}:{target} names no T or E line of this file"
                problems.append(Problem(file, None, f"line {n}", f"cannot read {line!r}: {message}"))
    NewsbenchError.collect(sorted(problems, key=lambda p: int(p.path.split()[1])))
    return ann


def _spans(text: str, tb: _TextBound) -> tuple[Span, ...]:
    return tuple(Span.of(text, a, b) for a, b in sorted(tb.ranges))


def _base_role(role: str, allowed: Sequence[str]) -> str:
    """``Victim2`` is BRAT's second ``Victim``; a role that itself ends in a digit is left alone."""
    if role in allowed:
        return role
    m = _REPEAT.match(role)
    return m.group(1) if m else role


def _quote_type(text: str, content: Sequence[Span]) -> str:
    """Without a QuoteType attribute (PolNeAR), content right inside quotation marks is direct, else indirect."""
    first, last = content[0], content[-1]
    opened = first.start > 0 and text[first.start - 1] in OPENING_MARKS
    closed = last.end == len(text) or text[last.end] in CLOSING_MARKS or text[last.end] in "\r\n"
    return "direct" if opened and closed else "indirect"


def _attributes(ann: _Ann, losses: Losses) -> dict[str, dict[str, str]]:
    """Attribute values by target and name; a name or value newsbench has no place for is unknown."""
    onto = ontology()
    defs = schema_json("ontology.schema.json")["$defs"]
    allowed = {"Kind": onto.mention_kinds, "QuoteType": onto.quote_types}
    allowed |= {label: defs[attr]["enum"] for label, attr in ATTRIBUTES.items()}
    attrs: dict[str, dict[str, str]] = {}
    for name, target, value in ann.attributes:
        if name not in allowed:
            losses.unknown_label(f"attributes named {name}", "attribute", name)
        elif value not in allowed[name]:
            losses.unknown_label(f"{name} values outside the schema", f"{name} value", value)
        else:
            attrs.setdefault(target, {})[name] = value
    return attrs


def build_document(
    doc_id: str, text: str, ann: _Ann, fields: dict[str, Any], losses: Losses, options: ImportOptions
) -> Document:
    """A document from parsed ``.ann`` lines; what newsbench cannot hold is counted in ``meta.import.dropped``
    (and, when no type map declares it, in ``losses.unknown``)."""
    onto = ontology()
    labels = LabelMap.of(options)
    ann.textbounds = {k: replace(tb, type=labels.rename(tb.type)) for k, tb in ann.textbounds.items()}
    ann.events = [(eid, labels.rename(etype), trigger, args) for eid, etype, trigger, args in ann.events]
    for relation in ann.relations:
        losses.unknown_label("R lines", "relation", relation)
    attrs = _attributes(ann, losses)

    mentions: dict[str, Mention] = {}
    ignore: list[Span] = []
    by_ranges: dict[tuple[tuple[int, int], ...], str] = {}
    for tb in ann.textbounds.values():
        if tb.type in onto.entity_types:
            kind = losses.kind(attrs.get(tb.id, {}).get("Kind"), options)
            mentions[tb.id] = Mention(tb.id, _spans(text, tb), tb.type, kind)
            by_ranges.setdefault(tuple(sorted(tb.ranges)), tb.id)
        elif tb.type == BOILERPLATE:
            ignore.extend(_spans(text, tb))

    def mention_for(tid: str) -> str | None:
        """A mention id for a T: the mention itself, or a mention over exactly the same text (PolNeAR Source)."""
        if tid in mentions:
            return tid
        tb = ann.textbounds.get(tid)
        return by_ranges.get(tuple(sorted(tb.ranges))) if tb else None

    names = {t: note[len(NAME_NOTE) :] for t, note in ann.notes if note.startswith(NAME_NOTE)}
    links: dict[str, list[KBLink]] = {}
    for target, ref, _ in ann.norms:
        db, _, kb_id = ref.partition(":")
        links.setdefault(target, []).append(KBLink(db, kb_id))
    entities: list[Entity] = []
    grouped: set[str] = set()
    for type_, members in ann.equivs:
        if type_ != "Equiv":
            continue
        kept = [m for m in members if m in mentions and m not in grouped]
        losses.drop("coreference members that are not mentions", len(members) - len(kept))
        by_type: dict[str, list[str]] = {}
        for mid in kept:
            by_type.setdefault(mentions[mid].type, []).append(mid)
        for k, (etype, mids) in enumerate(by_type.items()):
            eid = f"C{len(entities) + 1}" if k == 0 else f"C{len(entities)}-{etype}"
            grouped.update(mids)
            entities.append(Entity(eid, etype, tuple(mids)))
    for target in list(links) + list(names):
        if target in mentions and target not in grouped:
            grouped.add(target)
            entities.append(Entity(f"C{len(entities) + 1}", mentions[target].type, (target,)))
    entities = [
        replace(
            e,
            name=next((names[m] for m in e.mentions if m in names), None),
            links=tuple(link for m in e.mentions for link in links.get(m, [])),
        )
        for e in entities
    ]

    events: list[Event] = []
    quotes: list[Quote] = []
    event_of_trigger: dict[str, str] = {}
    for eid, etype, trigger, args in ann.events:
        found = ann.textbounds[trigger]  # _parse_ann refuses an event whose trigger is not a T line
        if etype in onto.event_roles:
            allowed = onto.event_roles[etype]
            pairs = [(_base_role(role, allowed), target) for role, target in args]
            arguments = event_arguments(etype, pairs, mentions, losses, "event arguments outside the schema")
            ev_attrs = {
                attr: attrs[eid][label] for label, attr in ATTRIBUTES.items() if label in attrs.get(eid, {})
            }
            start, end = found.ranges[0][0], found.ranges[-1][1]
            events.append(Event(eid, etype, Span.of(text, start, end), arguments, **ev_attrs))
            event_of_trigger.setdefault(trigger, eid)
        elif etype in QUOTE_EVENTS:
            quotes.append(_quote(eid, args, ann, text, attrs, mention_for, losses))
        else:
            declared = labels.declared_drop(etype)
            losses.unknown_label(f"events of type {etype}", "event type", etype, declared=declared)
    used = {t for _, _, trigger, args in ann.events for t in (trigger, *(target for _, target in args))}
    for tb in ann.textbounds.values():
        if tb.id not in mentions and tb.type != BOILERPLATE and tb.id not in used:
            declared = labels.declared_drop(tb.type)
            losses.unknown_label(f"spans typed {tb.type}", "span type", tb.type, declared=declared)
    clusters: list[EventCluster] = []
    for type_, members in ann.equivs:
        if type_ == "EventEquiv":
            evs = tuple(event_of_trigger[t] for t in members if t in event_of_trigger)
            if len(evs) > 1:
                clusters.append(EventCluster(f"EC{len(clusters) + 1}", evs))
    layers = Layers(tuple(mentions.values()), entities, events, clusters, quotes, ignore)
    return assemble(doc_id, text, losses, layers, fields=fields)


def _quote(
    eid: str,
    args: list[tuple[str, str]],
    ann: _Ann,
    text: str,
    attrs: dict[str, dict[str, str]],
    mention_for: Callable[[str], str | None],
    losses: Losses,
) -> Quote:
    content: list[Span] = []
    cue: Span | None = None
    refs: dict[str, str | None] = {"Speaker": None, "Addressee": None, "Medium": None}
    for role, target in args:
        base = _base_role(role, ("Content", "Cue", *SPEAKER_ROLES, "Addressee", "Medium"))
        tb = ann.textbounds.get(target)
        if tb is None:
            losses.drop("quote arguments whose span is missing")
        elif base == "Content":
            content.extend(_spans(text, tb))
        elif base == "Cue":
            cue = Span.of(text, tb.ranges[0][0], tb.ranges[-1][1])
        elif base in (*SPEAKER_ROLES, "Addressee", "Medium"):
            key = "Speaker" if base in SPEAKER_ROLES else base
            refs[key] = mention_for(target)
            if refs[key] is None:
                losses.drop(f"quote {key.lower()}s that match no mention")
        else:
            losses.unknown_label("quote arguments outside the schema", "quote role", role)
    if not content:
        raise NewsbenchError([Problem("-", None, eid, "a quote needs at least one Content span")])
    content.sort()
    qtype = attrs.get(eid, {}).get("QuoteType") or _quote_type(text, content)
    return Quote(eid, qtype, tuple(content), cue, refs["Speaker"], refs["Addressee"], refs["Medium"])


def _pairs(paths: Sequence[Path]) -> list[Path]:
    """The ``.ann`` files named by ``paths`` (folders are searched recursively; a ``.txt`` names its ``.ann``)."""
    anns: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*.ann"))
            if not found:
                raise NewsbenchError(
                    [Problem(str(path), None, "$", "no *.ann file in this folder (nothing to import)")]
                )
            anns.extend(found)
        elif path.suffix in (".ann", ".txt"):
            anns.append(path.with_suffix(".ann"))
        else:
            raise NewsbenchError([Problem(str(path), None, "$", "expected a folder, an .ann or a .txt file")])
    return list(dict.fromkeys(anns))


def import_files(paths: Sequence[Path], options: ImportOptions) -> list[Document]:
    onto = ontology()
    targets = {*onto.entity_types, *onto.event_types, *QUOTE_EVENTS, "Content", "Cue", BOILERPLATE}
    LabelMap.of(options, targets)  # a bad map fails here, at its own file, before any document

    def read(ann_path: Path, losses: Losses) -> Document:
        text = read_text_file(ann_path.with_suffix(".txt"))
        content = read_text_file(ann_path) if ann_path.exists() else ""
        sidecar = ann_path.with_name(ann_path.stem + META_SUFFIX)
        fields: dict[str, Any] = read_json(sidecar) if sidecar.exists() else {}
        doc_id = document_id(ann_path.stem, fields.get("id"))
        try:
            doc = build_document(
                doc_id, text, _parse_ann(content, text, str(ann_path)), fields, losses, options
            )
        except NewsbenchError as exc:
            raise NewsbenchError(
                [replace(p, file=str(ann_path), doc_id=doc_id) for p in exc.problems]
            ) from None
        if not sidecar.exists():
            meta = dict(doc.meta)
            meta.setdefault("import", {}).update({"format": "brat", "source": ann_path.name})
            doc = replace(doc, meta=meta)
        # what the files allow but a document cannot hold (a sidecar's id or language of the wrong kind)
        return checked_document(doc, str(sidecar if sidecar.exists() else ann_path))

    return import_each(paths, options, _pairs(paths), read)
