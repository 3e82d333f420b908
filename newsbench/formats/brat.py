"""BRAT standoff (``.txt`` + ``.ann``), both ways, with newsbench's conventions for every layer.

- Mentions: ``T`` lines typed with an entity type, kind as ``A… Kind Tn NAM|NOM|PRO``.
- Entities: ``*\tEquiv Tn Tm …`` (one member for a singleton entity), KB links as ``N… Reference Tn DB:ID``
  on the first member, the canonical name as ``#… AnnotatorNotes Tn\tname=…``.
- Events: a trigger ``T`` typed with the event type and ``E…\tType:Tt Role:Tm Role2:Tk`` (BRAT numbers a
  repeated role), attributes as ``A… Polarity|Modality|Genericity|Tense En value``; event coreference as
  ``*\tEventEquiv`` over the triggers.
- Quotes (the PolNeAR pattern): ``Content`` and ``Cue`` spans, a ``Quote`` trigger on the cue (on the content
  when there is none), ``E…\tQuote:Tt Content:Tk Cue:Tc Speaker:Tm`` and ``A… QuoteType En direct``. On import
  PolNeAR's own ``Attribution`` events with a ``Source`` are read the same way.
- Ignore regions: ``T`` spans typed ``Boilerplate``.
- Document fields BRAT has no place for (title, source, url, date, license, meta, system) go to a sidecar
  ``<id>.meta.json``, which BRAT leaves alone and import reads back.

Offsets are code points (BRAT indexes Python strings) over the ``.txt`` read without newline translation.

Reading is :mod:`newsbench.formats.brat_read`.

Id rule (export, then import): mentions become ``T1…Tn`` in document order, events ``E1…`` then quotes
``E…`` continuing, entities ``C1…`` and event clusters ``EC1…`` in document order; other T, A, N and # ids
are numbered after them. Import names mentions, events and quotes by their BRAT ids, so a round trip gives
the same document with ids renamed by this rule (:func:`exported_ids`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsbench.formats.contract import ExportOptions, ExportResult
from newsbench.formats.fields import document_fields
from newsbench.jsonio import dumps_document, write_atomic
from newsbench.model import (
    Document,
)
from newsbench.ontology import ontology, schema_json
from newsbench.spans import Span

ATTRIBUTES = {"Polarity": "polarity", "Modality": "modality", "Genericity": "genericity", "Tense": "tense"}
QUOTE_EVENTS = ("Quote", "Attribution")
SPEAKER_ROLES = ("Speaker", "Source")
BOILERPLATE = "Boilerplate"
NAME_NOTE = "name="
META_SUFFIX = ".meta.json"


# --- export -------------------------------------------------------------------------------------------


def exported_ids(doc: Document) -> dict[str, str]:
    """The id each item of ``doc`` has after export and import (the module's id rule)."""
    ids = {m.id: f"T{i}" for i, m in enumerate(doc.mentions, start=1)}
    ids |= {e.id: f"E{i}" for i, e in enumerate(doc.events, start=1)}
    ids |= {q.id: f"E{len(doc.events) + i}" for i, q in enumerate(doc.quotes, start=1)}
    ids |= {e.id: f"C{i}" for i, e in enumerate(doc.entities, start=1)}
    ids |= {c.id: f"EC{i}" for i, c in enumerate(doc.event_coreference, start=1)}
    return ids


def _fragments(spans: Sequence[Span]) -> str:
    return ";".join(f"{s.start} {s.end}" for s in spans)


def _flat(text: str) -> str:
    """The text field of an ``.ann`` line is one line: line breaks and tabs inside a span become spaces."""
    return re.sub(r"[\r\n\t]", " ", text)


@dataclass
class _Writer:
    """Numbers BRAT ids as lines are added, so every id is unique within its letter."""

    lines: list[str] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)

    def next_id(self, letter: str) -> str:
        self.counters[letter] += 1
        return f"{letter}{self.counters[letter]}"

    def textbound(self, type_: str, spans: Sequence[Span]) -> str:
        tid = self.next_id("T")
        self.lines.append(f"{tid}\t{type_} {_fragments(spans)}\t{_flat(' '.join(s.text for s in spans))}")
        return tid


def _role_list(pairs: Sequence[tuple[str, str]]) -> str:
    """``Role:T1 Role2:T2``: BRAT numbers the second and later uses of a role."""
    seen: Counter[str] = Counter()
    out = []
    for role, target in pairs:
        seen[role] += 1
        out.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{target}")
    return " ".join(out)


def to_ann(doc: Document) -> str:
    """The ``.ann`` text of a document under this module's conventions."""
    w = _Writer()
    tids = {m.id: w.textbound(m.type, m.spans) for m in doc.mentions}
    for m in doc.mentions:
        w.lines.append(f"{w.next_id('A')}\tKind {tids[m.id]} {m.kind}")
    for ent in doc.entities:
        first = tids[ent.mentions[0]]
        w.lines.append("*\tEquiv " + " ".join(tids[mid] for mid in ent.mentions))
        for link in ent.links:
            w.lines.append(
                f"{w.next_id('N')}\tReference {first} {link.db}:{link.id}\t{_flat(ent.name or link.id)}"
            )
        if ent.name is not None:
            w.lines.append(f"{w.next_id('#')}\tAnnotatorNotes {first}\t{NAME_NOTE}{_flat(ent.name)}")
    trigger_of: dict[str, str] = {}
    for n, ev in enumerate(doc.events, start=1):
        trigger_of[ev.id] = w.textbound(ev.type, [ev.trigger])
        roles = _role_list([(a.role, tids[a.mention]) for a in ev.arguments])
        w.lines.append(f"E{n}\t{ev.type}:{trigger_of[ev.id]}{' ' + roles if roles else ''}")
        for label, attr in ATTRIBUTES.items():
            value = getattr(ev, attr)
            if value is not None:
                w.lines.append(f"{w.next_id('A')}\t{label} E{n} {value}")
    for cluster in doc.event_coreference:
        w.lines.append("*\tEventEquiv " + " ".join(trigger_of[e] for e in cluster.events))
    for n, q in enumerate(doc.quotes, start=len(doc.events) + 1):
        content = w.textbound("Content", q.content)
        cue = w.textbound("Cue", [q.cue]) if q.cue else None
        trigger = w.textbound("Quote", [q.cue] if q.cue else q.content)
        pairs = [("Content", content)] + ([("Cue", cue)] if cue else [])
        pairs += [
            (role, tids[ref])
            for role, ref in (("Speaker", q.speaker), ("Addressee", q.addressee), ("Medium", q.medium))
            if ref
        ]
        w.lines.append(f"E{n}\tQuote:{trigger} {_role_list(pairs)}")
        w.lines.append(f"{w.next_id('A')}\tQuoteType E{n} {q.type}")
    for region in doc.ignore:
        w.textbound(BOILERPLATE, [region])
    return "".join(line + "\n" for line in w.lines)


def annotation_conf() -> str:
    """A BRAT ``annotation.conf`` declaring every type, role and attribute the export can write."""
    onto = ontology()
    defs = schema_json("ontology.schema.json")["$defs"]
    lines = ["[entities]", *onto.entity_types, "Content", "Cue", BOILERPLATE, "", "[relations]"]
    lines.append("Equiv\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive")
    lines.append("EventEquiv\tArg1:<EVENT>, Arg2:<EVENT>, <REL-TYPE>:symmetric-transitive")
    lines += ["", "[events]"]
    for etype, roles in onto.event_roles.items():
        lines.append(f"{etype}\t" + ", ".join(f"{r}*:<ENTITY>" for r in roles))
    lines.append("Quote\tContent:Content, Cue?:Cue, Speaker?:<ENTITY>, Addressee?:<ENTITY>, Medium?:<ENTITY>")
    lines += ["", "[attributes]", f"Kind\tArg:<ENTITY>, Value:{'|'.join(onto.mention_kinds)}"]
    lines.append(f"QuoteType\tArg:Quote, Value:{'|'.join(onto.quote_types)}")
    for label, attr in ATTRIBUTES.items():
        lines.append(f"{label}\tArg:<EVENT>, Value:{'|'.join(defs[attr]['enum'])}")
    return "\n".join(lines) + "\n"


def export_documents(docs: Sequence[Document], out: Path, options: ExportOptions) -> ExportResult:
    files = []
    for doc in docs:
        for suffix, content in (
            (".txt", doc.text),
            (".ann", to_ann(doc)),
            (META_SUFFIX, dumps_document(document_fields(doc))),
        ):
            path = out / f"{doc.id}{suffix}"
            write_atomic(path, content)
            files.append(path)
    conf = out / "annotation.conf"
    write_atomic(conf, annotation_conf())
    return ExportResult((*files, conf))
