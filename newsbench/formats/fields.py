"""A document's own fields (id, title, source, url, date, license, meta, system), apart from text and layers.

BRAT and Label Studio have no place for them, so export writes them beside the annotations (BRAT's
``<id>.meta.json``, Label Studio's ``data.newsbench``) and import reads them back from there.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsbench.formats.contract import record_dropped
from newsbench.model import Document, Entity, Event, EventCluster, Mention, Quote, SystemInfo
from newsbench.spans import Span

LAYERS = ("text", "mentions", "entities", "events", "event_coreference", "quotes", "ignore")


def document_fields(doc: Document) -> dict[str, Any]:
    """The document's JSON without its text and annotation layers, keys in schema order."""
    return {key: value for key, value in doc.to_json().items() if key not in LAYERS}


def document_from_fields(
    doc_id: str,
    text: str,
    fields: dict[str, Any],
    dropped: Counter[str],
    *,
    mentions: tuple[Mention, ...],
    entities: tuple[Entity, ...],
    events: tuple[Event, ...],
    event_coreference: tuple[EventCluster, ...],
    quotes: tuple[Quote, ...],
    ignore: tuple[Span, ...],
) -> Document:
    """An imported document: its own fields from ``fields`` (as :func:`document_fields` wrote them), the
    layers the importer built, and what it dropped counted in ``meta.import.dropped``."""
    meta = dict(fields.get("meta", {}))
    record_dropped(meta, dropped)
    system = fields.get("system")
    return Document(
        id=doc_id,
        text=text,
        title=fields.get("title"),
        source=fields.get("source"),
        url=fields.get("url"),
        published=fields.get("published"),
        language=fields.get("language", "en"),
        license=fields.get("license"),
        meta=meta,
        system=SystemInfo.from_json(system) if system else None,
        mentions=mentions,
        entities=entities,
        events=events,
        event_coreference=event_coreference,
        quotes=quotes,
        ignore=ignore,
    )
