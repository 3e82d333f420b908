"""CAT XML import (Content Annotation Tool, as MEANTIME ships it): stand-off markables over token ids.

``<token t_id sentence number>`` elements hold the words; markables (``ENTITY_MENTION``, ``EVENT_MENTION``,
``TIMEX3``) list ``<token_anchor t_id>`` children; instances (``ENTITY``, ``EVENT``) carry the types; and
relations link them: ``REFERS_TO`` (mention -> instance: its type, and coreference among mentions of one
instance) and ``HAS_PARTICIPANT`` (event mention -> participant, with a PropBank ``sem_role``). The text is
rebuilt from the tokens by the type map's spacing rule (one sentence a line). The map
(``schema/typemaps/meantime.json``) says which types, kinds, event predicates, roles and attribute values have
newsbench counterparts; whatever has none is counted in ``meta.import.dropped``, and event mentions without an
ACE type are kept, untyped, in ``meta.untyped_events`` because the schema's events need an ACE type.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsbench.formats.builder import Layers, Losses, assemble, document_id, import_each
from newsbench.formats.contract import ImportOptions
from newsbench.formats.offsets import join_tokens, runs
from newsbench.formats.output import source_files
from newsbench.jsonio import MAX_FILE_BYTES
from newsbench.model import Argument, Document, Entity, Event, EventCluster, KBLink, Mention
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Span
from newsbench.typemap import load_type_map

DEFAULT_MAP = "meantime"


@dataclass
class _Cat:
    """The parts of one CAT document that the import reads."""

    name: str
    tokens: list[tuple[str, str, str]]
    """(t_id, sentence, text) in document order."""
    markables: dict[str, ET.Element] = field(default_factory=dict)
    refers_to: dict[str, list[str]] = field(default_factory=dict)
    """mention m_id -> instance m_ids."""
    participants: list[tuple[str, str, str]] = field(default_factory=list)
    """(event mention, participant, sem_role)."""


def parse_cat(path: Path) -> _Cat:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise NewsbenchError([Problem(str(path), None, "$", "the file is over the size limit")])
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise NewsbenchError([Problem(str(path), None, "$", f"malformed XML: {exc}")]) from None
    cat = _Cat(
        root.get("doc_name") or path.stem,
        [(t.get("t_id", ""), t.get("sentence", ""), t.text or "") for t in root.iter("token")],
    )
    for section in root.iter("Markables"):
        for m in section:
            cat.markables[m.get("m_id", "")] = m
    for section in root.iter("Relations"):
        for rel in section:
            sources = [s.get("m_id", "") for s in rel.findall("source")]
            targets = [t.get("m_id", "") for t in rel.findall("target")]
            if rel.tag == "REFERS_TO":
                for s in sources:
                    cat.refers_to.setdefault(s, []).extend(targets)
            elif rel.tag == "HAS_PARTICIPANT":
                cat.participants.extend((s, t, rel.get("sem_role") or "") for s in sources for t in targets)
    return cat


def _guess_kind(tokens: list[str], tmap: dict[str, Any]) -> str:
    if all(t.lower() in tmap["pronouns"] for t in tokens):
        return "PRO"
    return "NAM" if tokens[-1][:1].isupper() else "NOM"


def build_document(cat: _Cat, tmap: dict[str, Any], file: str, losses: Losses) -> Document:
    sentences: list[list[str]] = []
    token_index: dict[str, int] = {}
    previous = None
    for i, (tid, sentence, word) in enumerate(cat.tokens):
        if not word:
            raise NewsbenchError([Problem(file, None, f"token {tid}", "empty token")])
        if sentence != previous:
            sentences.append([])
            previous = sentence
        sentences[-1].append(word)
        token_index[tid] = i
    text, rows = join_tokens(sentences, frozenset(tmap["no_space_before"]), frozenset(tmap["no_space_after"]))
    offsets = [o for row in rows for o in row]
    guessed = 0

    def anchors(m: ET.Element) -> list[int]:
        return [
            token_index[a.get("t_id", "")] for a in m.findall("token_anchor") if a.get("t_id") in token_index
        ]

    def spans_of(idx: list[int]) -> tuple[Span, ...]:
        return tuple(Span.of(text, a, b) for a, b in runs(offsets, idx))

    mentions: dict[str, Mention] = {}
    member_of: dict[str, str] = {}
    published = None
    for mid, m in cat.markables.items():
        idx = anchors(m)
        if m.tag == "TIMEX3":
            value = m.get("value") or ""
            if m.get("functionInDocument") == "CREATION_TIME" and re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
                published = value[:10]
            if not idx:
                continue
            mentions[mid] = Mention(f"m{mid}", spans_of(idx), tmap["timex_type"], tmap["timex_kind"])
        elif m.tag == "ENTITY_MENTION":
            instances = [
                i for i in cat.refers_to.get(mid, []) if cat.markables.get(i, ET.Element("x")).tag == "ENTITY"
            ]
            if not idx or not instances:
                losses.drop("entity mentions without tokens or instance")
                continue
            source_type = cat.markables[instances[0]].get("ent_type") or ""
            etype = tmap["types"].get(source_type)
            if etype is None:
                declared = source_type in tmap["types"]
                description = f"entity mentions typed {source_type or '(none)'}"
                losses.unknown_label(description, "entity type", source_type or "(none)", declared=declared)
                continue
            syntactic = m.get("syntactic_type") or ""
            kind = tmap["kinds"].get(syntactic)
            if syntactic and kind is None:
                losses.unknown[("syntactic_type", syntactic)] += 1
            if kind is None:
                kind = _guess_kind([cat.tokens[i][2] for i in idx], tmap)
                guessed += 1
            mentions[mid] = Mention(f"m{mid}", spans_of(idx), etype, kind)
            member_of[mid] = instances[0]
            losses.drop("entity mentions in a second instance", len(instances) - 1)

    entities = _entities(cat, mentions, member_of, tmap)
    events, untyped, clusters = _events(cat, text, mentions, anchors, spans_of, tmap, losses)
    meta: dict[str, Any] = {
        "import": {"format": "cat", "source": Path(file).name, "collection": Path(file).parent.name},
        "untyped_events": untyped,
    }
    if guessed:
        meta["import"]["guessed_kinds"] = guessed
    ordered = sorted(mentions.values(), key=lambda x: (x.start, -x.end, x.id))
    fields = {"title": text.split("\n", 1)[0], "published": published, "license": tmap.get("license")}
    return assemble(
        document_id(cat.name),
        text,
        losses,
        Layers(ordered, entities, events, clusters),
        fields=fields,
        meta=meta,
    )


def _entities(
    cat: _Cat, mentions: dict[str, Mention], member_of: dict[str, str], tmap: dict[str, Any]
) -> list[Entity]:
    """One entity per ENTITY instance, with the instance's external reference as a link."""
    groups: dict[str, list[str]] = {}
    for mid, instance in member_of.items():
        groups.setdefault(instance, []).append(mid)
    entities = []

    def place(mid: str) -> tuple[int, int, str]:
        return (mentions[mid].start, -mentions[mid].end, mentions[mid].id)

    for instance, mids in sorted(groups.items(), key=lambda kv: min(place(m) for m in kv[1])):
        ref = cat.markables[instance].get("external_ref") or ""
        links = () if ref in tmap["external_ref_none"] else (KBLink(tmap["external_ref_db"], ref),)
        members = sorted(mids, key=place)
        entities.append(
            Entity(
                f"e{instance}", mentions[members[0]].type, tuple(mentions[m].id for m in members), links=links
            )
        )
    return entities


def _events(
    cat: _Cat,
    text: str,
    mentions: dict[str, Mention],
    anchors: Callable[[ET.Element], list[int]],
    spans_of: Callable[[list[int]], tuple[Span, ...]],
    tmap: dict[str, Any],
    losses: Losses,
) -> tuple[list[Event], list[dict[str, Any]], list[EventCluster]]:
    """ACE events for mentions whose predicate the map lists; the rest untyped, for ``meta.untyped_events``."""
    roles_by_type = ontology().event_roles
    known_roles = set(tmap["modifier_roles"]) | set(tmap.get("dropped_roles", []))
    known_roles |= {role for entry in tmap["event_predicates"].values() for role in entry["roles"]}
    args_of: dict[str, list[tuple[str, str]]] = {}
    for source, target, role in cat.participants:
        args_of.setdefault(source, []).append((target, role))
    events: list[Event] = []
    untyped: list[dict[str, Any]] = []
    instance_of: dict[str, str] = {}
    for mid, m in cat.markables.items():
        if m.tag != "EVENT_MENTION":
            continue
        idx = anchors(m)
        if not idx:
            losses.drop("event mentions without tokens")
            continue
        spans = spans_of(idx)
        instances = [
            i for i in cat.refers_to.get(mid, []) if cat.markables.get(i, ET.Element("x")).tag == "EVENT"
        ]
        pred = (m.get("pred") or "").lower()
        entry = tmap["event_predicates"].get(pred or " ".join(s.text for s in spans).lower())
        if entry is None:
            untyped.append(
                {
                    "id": f"ev{mid}",
                    "trigger": [s.to_json() for s in spans],
                    "class": cat.markables[instances[0]].get("class", "") if instances else "",
                    "pred": pred,
                    "instance": instances[0] if instances else None,
                    "arguments": [
                        {"sem_role": role, "mention": mentions[t].id}
                        for t, role in args_of.get(mid, [])
                        if t in mentions
                    ],
                }
            )
            continue
        allowed = roles_by_type[entry["type"]]
        arguments: list[Argument] = []
        for target, role in args_of.get(mid, []):
            if target not in mentions:
                losses.drop("event arguments that are not imported mentions")
                continue
            is_time = mentions[target].type == tmap["timex_type"]
            ace = (
                tmap["timex_role"]
                if is_time
                else entry["roles"].get(role) or tmap["modifier_roles"].get(role)
            )
            argument = Argument(ace, mentions[target].id)
            if ace not in allowed or argument in arguments:
                description = "event arguments whose role has no ACE counterpart"
                losses.unknown_label(description, "sem_role", role, declared=role in known_roles)
            else:
                arguments.append(argument)
        if len(spans) > 1:
            losses.drop("discontinuous triggers taken as one span")
        events.append(
            Event(
                f"ev{mid}",
                entry["type"],
                Span.of(text, spans[0].start, spans[-1].end),
                tuple(arguments),
                polarity=_attribute(m, "polarity", "polarity", tmap, losses),
                modality=_attribute(m, "certainty", "modality", tmap, losses),
                genericity=_attribute(m, "special_cases", "genericity", tmap, losses),
                tense=_attribute(m, "tense", "tense", tmap, losses),
            )
        )
        if instances:
            instance_of[f"ev{mid}"] = instances[0]
    groups: dict[str, list[str]] = {}
    for eid, instance in instance_of.items():
        groups.setdefault(instance, []).append(eid)
    clusters = [
        EventCluster(f"c{inst}", tuple(eids)) for inst, eids in sorted(groups.items()) if len(eids) > 1
    ]
    return events, untyped, clusters


def _attribute(m: ET.Element, source: str, ours: str, tmap: dict[str, Any], losses: Losses) -> str | None:
    """An event attribute through the map's table; a value the table does not list (a ``null`` there says
    "leave unset" on purpose) is unknown, and an empty or missing value is no value."""
    value = m.get(source) or ""
    table: dict[str, str | None] = tmap[ours]
    if value and value not in table:
        losses.unknown[(f"{source} value", value)] += 1
    return table.get(value)


def _warn(doc: Document, message: str) -> Document:
    """``doc`` with ``message`` added to ``meta.import.warnings`` (the import command prints them)."""
    meta = dict(doc.meta)
    block = dict(meta.get("import", {}))
    block["warnings"] = [*block.get("warnings", []), message]
    meta["import"] = block
    return replace(doc, meta=meta)


def _without_txt_suffix(docs: list[Document]) -> list[Document]:
    """Ids with MEANTIME's stray ``.txt`` (``260_Some_title.txt``) removed, unless two ids would then collide.

    The suffix is a leftover of the file the annotators loaded, not part of the document's name; but an id
    must stay unique, so when stripping would merge two documents the suffix is kept and the reason noted.
    """
    wanted = [d.id.removesuffix(".txt") if d.id.endswith(".txt") and d.id != ".txt" else d.id for d in docs]
    taken = Counter(wanted)
    result = []
    for doc, new_id in zip(docs, wanted, strict=True):
        if new_id == doc.id:
            result.append(doc)
        elif taken[new_id] > 1:
            others = sorted(d.id for d, w in zip(docs, wanted, strict=True) if w == new_id and d is not doc)
            note = f"id keeps its .txt suffix: {new_id} would collide with {', '.join(others)}"
            result.append(_warn(doc, note))
        else:
            result.append(replace(doc, id=new_id))
    return result


def _flag_identical_texts(docs: list[Document]) -> list[Document]:
    """A warning on every document whose text another imported document repeats word for word.

    MEANTIME has such duplicates (one article filed under two names); scored twice, they weigh double.
    """
    by_text: dict[str, list[str]] = {}
    for doc in docs:
        by_text.setdefault(doc.text, []).append(doc.id)
    result = []
    for doc in docs:
        others = [i for i in by_text[doc.text] if i != doc.id]
        result.append(_warn(doc, f"same text as {', '.join(others)}") if others else doc)
    return result


def import_files(paths: Sequence[Path], options: ImportOptions) -> list[Document]:
    tmap = load_type_map(options.type_map or DEFAULT_MAP, ontology().entity_types)
    docs = import_each(
        paths,
        options,
        source_files(paths, "*.xml"),
        lambda path, losses: build_document(parse_cat(path), tmap, str(path), losses),
    )
    return _flag_identical_texts(_without_txt_suffix(docs))
