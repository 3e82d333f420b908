"""The reproducibility signature: every input and option that changes a number, in one short string.

In the spirit of sacrebleu's signature, two scores are comparable exactly when their signatures agree in
every field except ``pred`` (the system output). Gold and prediction hashes are SHA-256 over the canonical
JSON of the documents sorted by id, so reordering files or reformatting JSON does not change them while
any change to a text or an annotation does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from newsbench import __version__
from newsbench.eval.options import ScoreOptions
from newsbench.eval.scoring import paused_gc
from newsbench.model import SCHEMA_VERSION, Document

PRED_FIELD = "pred"


def documents_hash(docs: Iterable[Document]) -> str:
    """SHA-256 of the documents sorted by id, as canonical JSON Lines.

    Each document is one line of compact JSON (``separators=(",", ":")``) with sorted keys and unescaped
    Unicode, so the hash can be recomputed with a few lines of any JSON library; compact lines also let
    the C encoder do the work, which keeps hashing 10,000 documents well under a second.
    """
    digest = hashlib.sha256()
    with paused_gc():
        for doc in sorted(docs, key=lambda d: d.id):
            line = json.dumps(doc.to_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def _overlap(value: float) -> str:
    return "any" if value == 0 else f"{value:g}"


def make_signature(
    gold_hash: str, pred_hash: str, options: ScoreOptions, suite_hash: str | None = None
) -> str:
    """``newsbench:0.1|schema:1.0|gold:sha256=…|pred:sha256=…|tasks:…|kinds:…|match:optimal|…|seed:…``."""
    fields = [
        ("newsbench", ".".join(__version__.split(".")[:2])),
        ("schema", SCHEMA_VERSION),
        ("gold", f"sha256={gold_hash}"),
        (PRED_FIELD, f"sha256={pred_hash}"),
        ("tasks", ",".join(options.tasks)),
        ("kinds", ",".join(options.mention_kinds)),
        ("match", "optimal"),
        ("overlap", _overlap(options.overlap)),
        ("partial", options.partial_credit),
        ("args", options.argument_match),
        ("avg", "micro"),
        ("bs", str(options.bootstrap)),
        ("seed", str(options.seed)),
    ]
    if suite_hash is not None:
        fields.append(("suite", f"sha256={suite_hash}"))
    return "|".join(f"{name}:{value}" for name, value in fields)


def parse_signature(signature: str) -> dict[str, str]:
    """Field name -> value; a value may itself hold ':' (``gold:sha256=…`` splits at the first one)."""
    out: dict[str, str] = {}
    for part in signature.split("|"):
        name, sep, value = part.partition(":")
        if not sep or not name:
            raise ValueError(f"not a newsbench signature field: {part!r}")
        out[name] = value
    return out


def comparable(first: str, second: str) -> bool:
    """True when the two signatures agree on every field but ``pred``: same gold, options and version."""
    a, b = parse_signature(first), parse_signature(second)
    a.pop(PRED_FIELD, None)
    b.pop(PRED_FIELD, None)
    return a == b
