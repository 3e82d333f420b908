"""Whether a system's output is a valid prediction for the document it was given, and who said so.

Schema validation costs more than a rule-based extraction, so a fresh output is checked where the extraction
ran (in the worker, in parallel) and its verdict is cached with it. A cached output is checked again when it
is read, since an entry's digest shows that it is whole, not that whoever wrote it checked it: a verdict the
checks do not reach again marks the entry as bad (recomputed), and one stamped by other checks
(:func:`checker_fingerprint` hashes the schema files and the code of the checks) is replaced. An invalid
output is reported with the validator's own words, never repaired.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from newsbench import __version__, validate
from newsbench.ontology import schema_text
from newsbench.validate import SCHEMA_FILES, validate_data

MAX_REASON_PROBLEMS = 5
"""Validator problems quoted in a failure's reason; the count of the rest is given."""


@cache
def checker_fingerprint() -> str:
    """sha256 over the newsbench version, the schema files and the source of the checks."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for name in SCHEMA_FILES:
        digest.update(schema_text(name).encode("utf-8"))
    for module_file in (validate.__file__, __file__):
        digest.update(Path(str(module_file)).read_bytes())
    return digest.hexdigest()


def check_prediction(raw: dict[str, Any], doc_id: str, text: str, system: dict[str, Any]) -> str | None:
    """None for a valid prediction of document ``doc_id`` by ``system`` (name, version, config), else why not.

    Beyond the schema: the prediction must be for the same document (id and text, or its offsets point
    elsewhere) and name the system that made it, so outputs cannot be mixed up.
    """
    reasons = [f"{p.path}: {p.message}" for p in validate_data(raw, f"{system['name']} prediction")]
    if raw.get("id") != doc_id:
        reasons.append(f"$.id: the prediction is for {raw.get('id')!r}, not {doc_id!r}")
    if raw.get("text") != text:
        reasons.append("$.text: the prediction's text differs from the document's text")
    if raw.get("system") != system:
        reasons.append(f"$.system: expected {json.dumps(system, sort_keys=True, ensure_ascii=False)}")
    if not reasons:
        return None
    more = len(reasons) - MAX_REASON_PROBLEMS
    return "; ".join(reasons[:MAX_REASON_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
