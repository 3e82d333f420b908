"""Content fingerprints: the sha256 of a text and of a JSON value, the one way newsbench hashes data.

Cache keys, config hashes, suite hashes and manifest entries all go through here, so two places never hash
the same thing differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from newsbench.jsonio import canonical_json
from newsbench.model import Document


def sha256_text(text: str) -> str:
    """sha256 (hex) of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_json(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of ``data`` (:func:`newsbench.jsonio.canonical_json`)."""
    return sha256_text(canonical_json(data))


def sha256_documents(docs: Iterable[Document]) -> str:
    """sha256 (hex) of whole documents sorted by id, as canonical JSON lines: every field, metadata included.

    What identifies a run's input (its folder name, the corpus hash in run and leaderboard files): systems
    see titles and sources, and a track's scoring reads importer material kept in ``meta``. A report's
    signature hashes less, only what scoring reads (:func:`newsbench.eval.stats.signature.documents_hash`).
    """
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.id):
        digest.update(canonical_json(doc.to_json()).encode("utf-8") + b"\n")
    return digest.hexdigest()
