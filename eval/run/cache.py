"""The prediction cache: one file per (system, version, config hash, document hash), written atomically.

A cached prediction is the system's raw output for exactly the input it was given, so a rerun serves it
without extraction work, and a run that was interrupted resumes from the entries already on disk. Each
entry also holds the verdict of the validity check and the fingerprint of the checks that reached it
(:mod:`newsbench.eval.run.verdict`); the runner checks every cached output again when it reads it, and an
entry whose stored verdict is not what the checks find is recomputed, so the cache never turns an invalid
prediction into a valid one. Entries are sealed with the sha256 of their key, verdict and prediction
(:mod:`newsbench.sealed`): one that cannot be read, is not the entry for its key (a hand edit, a copy, a hash
collision), is of another format or no longer matches its digest is not used but recomputed, counted and
reported; a cache must never be the reason a run fails.

Only outputs are cached. A raise or a timeout may be transient (a network error, a loaded machine), so
those are retried on the next run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbench.cachedir import cache_root
from newsbench.digest import sha256_json, sha256_text
from newsbench.jsonio import write_atomic
from newsbench.model import Document
from newsbench.names import file_stem
from newsbench.sealed import Damage, Seal

SUBDIR = "predictions"
FORMAT = 3
"""Bumped when the entry layout changes; entries of another format are recomputed, not misread."""
SEAL = Seal(covered=("key", "verdict", "prediction"), format=FORMAT)


def default_dir() -> Path:
    """``$NEWSBENCH_CACHE/predictions``, or ``.cache/newsbench/predictions`` under the working folder."""
    return cache_root() / SUBDIR


def document_hash(document: Document) -> str:
    """sha256 of the canonical JSON of the document exactly as the system receives it."""
    return sha256_json(document.to_json())


@dataclass(frozen=True)
class CacheKey:
    system: str
    version: str
    config_hash: str
    document_hash: str

    @property
    def digest(self) -> str:
        joined = "\x1f".join((self.system, self.version, self.config_hash, self.document_hash))
        return sha256_text(joined)

    def fields(self) -> dict[str, str]:
        return {
            "system": self.system,
            "version": self.version,
            "config_hash": self.config_hash,
            "document_hash": self.document_hash,
        }


@dataclass(frozen=True)
class Entry:
    """A cached output, with the reason it is not a valid prediction (None when valid) and who checked it."""

    prediction: dict[str, Any]
    problem: str | None
    checked_by: str


class PredictionCache:
    """Raw prediction JSON by :class:`CacheKey`, under ``root/<system>/<2 hex>/<digest>.json``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_dir()
        self.damage = Damage("prediction cache", "recomputing")
        self.unwritable = 0
        """How many entries could not be written (the run went on without caching them)."""

    @property
    def unreadable(self) -> int:
        """How many entries were found damaged or mismatched (and so recomputed) since this cache was opened."""
        return self.damage.count

    def path(self, key: CacheKey) -> Path:
        digest = key.digest
        return self.root / file_stem(key.system) / digest[:2] / f"{digest}.json"

    def get(self, key: CacheKey) -> Entry | None:
        """The cached entry, or None when absent or not trustworthy (then reported and counted)."""
        path = self.path(key)
        data = SEAL.load(path, {"key": key.fields()}, self.damage)
        if data is None:
            return None
        verdict = data.get("verdict")
        if (
            not isinstance(data.get("prediction"), dict)
            or not isinstance(verdict, dict)
            or not isinstance(verdict.get("problem"), str | None)
            or not isinstance(verdict.get("checked_by"), str)
        ):
            self.damage.report(path, "does not hold a prediction with its verdict")
            return None
        return Entry(data["prediction"], verdict["problem"], verdict["checked_by"])

    def discard(self, key: CacheKey, reason: str) -> None:
        """Count and report the entry for ``key`` as not used, for a reason only its reader can see (its
        stored verdict is not what the checks find); it is recomputed, and the new entry replaces it."""
        self.damage.report(self.path(key), reason)

    def put(self, key: CacheKey, entry: Entry) -> None:
        """Store an entry, the prediction's keys in the order the system gave them, so a cached prediction
        is the same data, key order included, as a fresh one (``meta`` and ``config`` are written out in
        their own order)."""
        data = SEAL.seal(
            {
                "key": key.fields(),
                "verdict": {"problem": entry.problem, "checked_by": entry.checked_by},
                "prediction": entry.prediction,
            }
        )
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        try:
            write_atomic(self.path(key), text + "\n")
        except OSError:  # a full disk or a read-only cache costs the reuse, never the run
            self.unwritable += 1
