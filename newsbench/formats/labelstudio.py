"""Label Studio JSON tasks, both ways: text regions (``labels``), per-region ``choices`` and ``textarea``
results, and ``relation`` results.

Layout (export; import reads the same, keyed on label values so other label configs import too):
- a mention is a region labelled with its entity type, its kind a ``choices`` result on the same region; a
  discontinuous mention is one region per part, consecutive parts joined by a ``fragment`` relation;
- an entity is ``coref`` relations between consecutive mentions, with ``textarea`` results ``entity`` (its
  id), ``entity_name`` and ``entity_links`` (``db:id`` lines) on its first mention (the ``entity``
  textarea is what makes a one-mention entity);
- an event is a region labelled with its event type, one relation per argument labelled with the role, and
  its attributes as ``choices``; event coreference is ``event-coref`` relations plus a ``cluster`` textarea;
- a quote is ``Content`` region(s) with the quote type as ``choices``, a ``Cue`` region, and ``cue``,
  ``speaker``, ``addressee``, ``medium`` relations from the first content region;
- an ignore region is a region labelled ``Boilerplate``.
Region ids are newsbench ids (``m3``; later parts ``m3.1``, a cue ``q1.cue``), so a round trip keeps ids.
Offsets are code points, as current Label Studio counts them; ``--utf16`` reads and writes UTF-16 code units
as older (JavaScript-side) exports did. Document fields other than the text go to ``data.newsbench``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

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
from newsbench.formats.contract import ExportOptions, ExportResult, ImportOptions
from newsbench.formats.fields import document_fields
from newsbench.formats.offsets import OffsetError, Utf16Map
from newsbench.formats.output import source_files
from newsbench.jsonio import dumps_canonical, read_json, write_atomic
from newsbench.model import Document, Entity, Event, EventCluster, KBLink, Mention, Quote
from newsbench.ontology import ontology, schema_json
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Span, is_offset

TASKS_FILE = "tasks.json"
ATTRIBUTES = ("polarity", "modality", "genericity", "tense")
QUOTE_LINKS = ("cue", "speaker", "addressee", "medium")


# --- export -------------------------------------------------------------------------------------------


@dataclass
class _Results:
    """Label Studio results of one task, with offsets written in code points or UTF-16 units."""

    convert: Callable[[int], int]
    items: list[dict[str, Any]] = field(default_factory=list)

    def _value(self, span: Span) -> dict[str, Any]:
        return {"start": self.convert(span.start), "end": self.convert(span.end)}

    def region(self, rid: str, from_name: str, span: Span, label: str) -> None:
        value = self._value(span) | {"text": span.text, "labels": [label]}
        self.items.append(
            {"id": rid, "from_name": from_name, "to_name": "text", "type": "labels", "value": value}
        )

    def choice(self, rid: str, from_name: str, span: Span, choice: str) -> None:
        value = self._value(span) | {"choices": [choice]}
        self.items.append(
            {"id": rid, "from_name": from_name, "to_name": "text", "type": "choices", "value": value}
        )

    def textarea(self, rid: str, from_name: str, span: Span, texts: list[str]) -> None:
        value = self._value(span) | {"text": texts}
        self.items.append(
            {"id": rid, "from_name": from_name, "to_name": "text", "type": "textarea", "value": value}
        )

    def relation(self, source: str, target: str, label: str) -> None:
        self.items.append(
            {"type": "relation", "from_id": source, "to_id": target, "direction": "right", "labels": [label]}
        )

    def parts(self, rid: str, from_name: str, spans: Sequence[Span], label: str) -> None:
        """One region per span, joined by ``fragment`` relations."""
        ids = [rid] + [f"{rid}.{k}" for k in range(1, len(spans))]
        for part, span in zip(ids, spans, strict=True):
            self.region(part, from_name, span, label)
        for a, b in pairwise(ids):
            self.relation(a, b, "fragment")


def to_task(doc: Document, utf16: bool) -> dict[str, Any]:
    """One Label Studio task holding every layer of ``doc`` (nothing is left out)."""
    umap = Utf16Map.of(doc.text) if utf16 else None
    r = _Results(umap.to_utf16 if umap else (lambda x: x))
    first_span = {m.id: m.spans[0] for m in doc.mentions}
    for m in doc.mentions:
        r.parts(m.id, "entity", m.spans, m.type)
        r.choice(m.id, "kind", m.spans[0], m.kind)
    for ent in doc.entities:
        head = ent.mentions[0]
        for a, b in pairwise(ent.mentions):
            r.relation(a, b, "coref")
        r.textarea(head, "entity", first_span[head], [ent.id])
        if ent.name is not None:
            r.textarea(head, "entity_name", first_span[head], [ent.name])
        if ent.links:
            r.textarea(head, "entity_links", first_span[head], [f"{k.db}:{k.id}" for k in ent.links])
    for ev in doc.events:
        r.region(ev.id, "event", ev.trigger, ev.type)
        for arg in ev.arguments:
            r.relation(ev.id, arg.mention, arg.role)
        for attr in ATTRIBUTES:
            value = getattr(ev, attr)
            if value is not None:
                r.choice(ev.id, attr, ev.trigger, value)
    triggers = {ev.id: ev.trigger for ev in doc.events}
    for cluster in doc.event_coreference:
        for a, b in pairwise(cluster.events):
            r.relation(a, b, "event-coref")
        r.textarea(cluster.events[0], "cluster", triggers[cluster.events[0]], [cluster.id])
    for q in doc.quotes:
        r.parts(q.id, "quote", q.content, "Content")
        r.choice(q.id, "quote_type", q.content[0], q.type)
        if q.cue is not None:
            r.region(f"{q.id}.cue", "quote", q.cue, "Cue")
            r.relation(q.id, f"{q.id}.cue", "cue")
        for role in QUOTE_LINKS[1:]:
            ref = getattr(q, role)
            if ref is not None:
                r.relation(q.id, ref, role)
    for k, span in enumerate(doc.ignore, start=1):
        r.region(f"ignore{k}", "ignore", span, "Boilerplate")
    task = {
        "data": {"text": doc.text, "doc_id": doc.id, "newsbench": document_fields(doc)},
        "annotations": [{"result": r.items}],
    }
    return task


def export_documents(docs: Sequence[Document], out: Path, options: ExportOptions) -> ExportResult:
    path = out / TASKS_FILE
    write_atomic(path, dumps_canonical([to_task(doc, options.utf16) for doc in docs]))
    return ExportResult((path,))


# --- import -------------------------------------------------------------------------------------------


@dataclass
class _Region:
    id: str
    label: str
    span: Span


@dataclass
class _Task:
    regions: dict[str, _Region] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    relations: list[tuple[str, str, str]] = field(default_factory=list)


def _read_results(results: list[Any], text: str, utf16: bool) -> _Task:
    umap = Utf16Map.of(text) if utf16 else None
    task = _Task()

    def span_of(value: dict[str, Any]) -> Span:
        start, end = value.get("start"), value.get("end")
        if not (is_offset(start) and is_offset(end)):
            raise OffsetError(f"region offsets must be integers, not {start!r} and {end!r}")
        if umap is not None:
            start, end = umap.to_code_points(start), umap.to_code_points(end)
        stored = value.get("text")
        try:
            (span,) = source_spans(text, [(start, end)], stored if isinstance(stored, str) else None)
        except OffsetError as exc:
            hint = "" if utf16 else " (offsets in UTF-16 units, from an older export? try --utf16)"
            raise OffsetError(f"region: {exc}{hint}") from None
        return span

    if not isinstance(results, list):
        raise TypeError(f"result must be a list, not {type(results).__name__}")
    for n, res in enumerate(results):
        if not isinstance(res, dict):
            raise TypeError(f"result[{n}] must be an object, not {type(res).__name__}")
        kind, value, rid = res.get("type"), res.get("value", {}), str(res.get("id", ""))
        if not isinstance(value, dict):
            raise TypeError(f"result[{n}].value must be an object, not {type(value).__name__}")
        if kind == "relation":
            labels = _strings(res.get("labels") or ["coref"], f"result[{n}].labels")
            task.relations.extend((str(res["from_id"]), str(res["to_id"]), label) for label in labels)
        elif kind in ("labels", "hypertextlabels"):
            for label in _strings(value.get("labels", []), f"result[{n}].value.labels"):
                task.regions[rid] = _Region(rid, label, span_of(value))
        elif kind == "choices":
            choices = _strings(value.get("choices", []), f"result[{n}].value.choices")
            task.choices.setdefault(rid, []).extend(choices)
        elif kind == "textarea":
            texts = _strings(value.get("text", []), f"result[{n}].value.text")
            task.texts[(rid, str(res.get("from_name")))] = texts
    return task


def _strings(value: Any, where: str) -> list[str]:
    """``value`` when it is a list of strings; a TypeError naming ``where`` otherwise."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{where} must be a list of strings, not {value!r:.60}")
    return value


def _chains(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of ids, in first-seen order, from relation pairs."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return list(groups.values())


def build_document(
    doc_id: str, text: str, task: _Task, fields: dict[str, Any], losses: Losses, options: ImportOptions
) -> Document:
    onto = ontology()
    defs = schema_json("ontology.schema.json")["$defs"]
    labels = LabelMap.of(options)
    for region in task.regions.values():
        region.label = labels.rename(region.label)
    following = {a: b for a, b, label in task.relations if label == "fragment"}
    parts = set(following.values())

    def spans_from(rid: str) -> tuple[Span, ...]:
        out = [task.regions[rid].span]
        while rid in following and following[rid] in task.regions:
            rid = following[rid]
            out.append(task.regions[rid].span)
        return tuple(sorted(out))

    heads = [r for r in task.regions.values() if r.id not in parts]
    mentions = {}
    for r in heads:
        if r.label in onto.entity_types:
            kinds = [c for c in task.choices.get(r.id, []) if c in onto.mention_kinds]
            kind = losses.kind(kinds[0] if kinds else None, options)
            mentions[r.id] = Mention(r.id, spans_from(r.id), r.label, kind)
    coref = [(a, b) for a, b, label in task.relations if label == "coref" and a in mentions and b in mentions]
    grouped = {m for group in _chains(coref) for m in group}
    labelled = [m for m in mentions if m not in grouped and (m, "entity") in task.texts]
    groups = _chains(coref) + [[m] for m in labelled]
    entities: list[Entity] = []
    order = {mid: i for i, mid in enumerate(mentions)}
    for group in sorted(groups, key=lambda g: min(order[m] for m in g)):
        members = sorted(group, key=order.__getitem__)
        head = next((m for m in members if (m, "entity") in task.texts), members[0])
        ids = task.texts.get((head, "entity"), [])
        names = task.texts.get((head, "entity_name"), [])
        links = [
            KBLink(*line.split(":", 1)) for line in task.texts.get((head, "entity_links"), []) if ":" in line
        ]
        types = {mentions[m].type for m in members}
        if len(types) > 1:
            losses.drop("coreference groups with mixed types (kept with the first type's mentions)")
            members = [m for m in members if mentions[m].type == mentions[members[0]].type]
        eid = ids[0] if ids else f"e{len(entities) + 1}"
        entities.append(
            Entity(eid, mentions[members[0]].type, tuple(members), names[0] if names else None, tuple(links))
        )

    events = []
    for r in heads:
        if r.label in onto.event_roles:
            pairs = [(label, b) for a, b, label in task.relations if a == r.id and label != "event-coref"]
            args = event_arguments(r.label, pairs, mentions, losses, "event relations outside the schema")
            attrs = {
                attr: c for c in task.choices.get(r.id, []) for attr in ATTRIBUTES if c in defs[attr]["enum"]
            }
            events.append(Event(r.id, r.label, r.span, args, **attrs))
    event_ids = {e.id for e in events}
    pairs = [
        (a, b)
        for a, b, label in task.relations
        if label == "event-coref" and a in event_ids and b in event_ids
    ]
    clusters: list[EventCluster] = []
    for group in _chains(pairs):
        head = next((e for e in group if (e, "cluster") in task.texts), group[0])
        cid = (task.texts.get((head, "cluster")) or [f"ec{len(clusters) + 1}"])[0]
        clusters.append(EventCluster(cid, tuple(group)))

    quotes = []
    for r in heads:
        if r.label != "Content":
            continue
        links_of = {label: b for a, b, label in task.relations if a == r.id and label in QUOTE_LINKS}
        cue = task.regions.get(links_of.get("cue", ""))
        refs = {role: links_of[role] if links_of.get(role) in mentions else None for role in QUOTE_LINKS[1:]}
        qtype = next((c for c in task.choices.get(r.id, []) if c in onto.quote_types), None)
        if qtype is None:
            losses.drop("quotes without a quote type (read as indirect)")
        quotes.append(
            Quote(
                r.id,
                qtype or "indirect",
                spans_from(r.id),
                cue.span if cue else None,
                refs["speaker"],
                refs["addressee"],
                refs["medium"],
            )
        )
    ignore = sorted(r.span for r in heads if r.label == "Boilerplate")
    known = set(onto.entity_types) | set(onto.event_roles) | {"Content", "Cue", "Boilerplate"}
    for r in heads:
        if r.label not in known:
            declared = labels.declared_drop(r.label)
            losses.unknown_label(f"regions labelled {r.label}", "region label", r.label, declared=declared)
    _unread_labels(task, known, losses)
    layers = Layers(tuple(mentions.values()), entities, events, clusters, quotes, ignore)
    return assemble(doc_id, text, losses, layers, fields=fields)


def _unread_labels(task: _Task, known: set[str], losses: Losses) -> None:
    """Choices and relations whose values this import reads nowhere are unknown, not silently skipped."""
    onto = ontology()
    defs = schema_json("ontology.schema.json")["$defs"]
    values = set(onto.mention_kinds) | set(onto.quote_types)
    values |= {v for attr in ATTRIBUTES for v in defs[attr]["enum"]}
    for choices in task.choices.values():
        for choice in choices:
            if choice not in values:
                losses.unknown_label(f"choices {choice}", "choice", choice)
    structural = {"fragment", "coref", "event-coref", *QUOTE_LINKS}
    for a, _, label in task.relations:
        region = task.regions.get(a)
        from_event = region is not None and region.label in onto.event_roles
        if label not in structural and not from_event:
            losses.unknown_label(f"relations labelled {label}", "relation", label)


def import_files(paths: Sequence[Path], options: ImportOptions) -> list[Document]:
    onto = ontology()
    LabelMap.of(options, {*onto.entity_types, *onto.event_types, "Content", "Cue", "Boilerplate"})

    def tasks() -> Iterator[tuple[Path, int, dict[str, Any]]]:
        for path in source_files(paths, "*.json"):
            data = read_json(path)
            for n, task in enumerate(data if isinstance(data, list) else [data]):
                found = task.get("data") if isinstance(task, dict) else None
                if not isinstance(found, dict) or not isinstance(found.get("text"), str):
                    raise NewsbenchError([Problem(str(path), None, f"$[{n}]", "a task needs data.text")])
                if not isinstance(found.get("newsbench") or {}, dict):
                    raise NewsbenchError(
                        [Problem(str(path), None, f"$[{n}].data.newsbench", "must be an object")]
                    )
                yield path, n, task

    def read(found: tuple[Path, int, dict[str, Any]], losses: Losses) -> Document:
        path, n, task = found
        data = task["data"]
        fields = data.get("newsbench") or {}
        doc_id = document_id(f"{path.stem}-{task.get('id', n + 1)}", fields.get("id"), data.get("doc_id"))
        annotations = task.get("annotations") or task.get("predictions") or [{"result": []}]
        try:
            first = annotations[0] if isinstance(annotations, list) else None
            if not isinstance(first, dict):
                raise TypeError("annotations must be a list of objects")
            parsed = _read_results(first.get("result", []), data["text"], options.utf16)
            doc = build_document(doc_id, data["text"], parsed, fields, losses, options)
        except (OffsetError, KeyError, ValueError, TypeError) as exc:
            raise NewsbenchError(
                [Problem(str(path), doc_id, f"$[{n}]", f"cannot read the task: {exc}")]
            ) from None
        # an annotation the format allows but a document cannot hold (two ids)
        return checked_document(doc, str(path), f"$[{n}]")

    return import_each(paths, options, tasks(), read)
