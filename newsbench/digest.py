"""Content fingerprints: the sha256 of a text and of a JSON value, the one way newsbench hashes data.

Cache keys, config hashes, suite hashes and manifest entries all go through here, so two places never hash
the same thing differently.
"""

from __future__ import annotations

import hashlib
from typing import Any

from newsbench.jsonio import canonical_json


def sha256_text(text: str) -> str:
    """sha256 (hex) of ``text`` as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_json(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of ``data`` (:func:`newsbench.jsonio.canonical_json`)."""
    return sha256_text(canonical_json(data))
