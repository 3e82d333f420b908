"""A document's own fields (id, title, source, url, date, license, meta, system), apart from text and layers.

BRAT and Label Studio have no place for them, so export writes them beside the annotations (BRAT's
``<id>.meta.json``, Label Studio's ``data.newsbench``) and import reads them back from there.
"""

from __future__ import annotations

from typing import Any

from newsbench.model import Document

LAYERS = ("text", "mentions", "entities", "events", "event_coreference", "quotes", "ignore")


def document_fields(doc: Document) -> dict[str, Any]:
    """The document's JSON without its text and annotation layers, keys in schema order."""
    return {key: value for key, value in doc.to_json().items() if key not in LAYERS}
