"""An on-disk cache of model answers, keyed by (endpoint, model, prompt hash).

Model calls are slow and may cost money; the same request to the same model is answered from disk instead.
The key holds everything that shapes the answer (the whole request body is the "prompt") and nothing secret:
the API key is not part of any key or file. Entries are written atomically, so a run killed mid-write
leaves either the old entry or none. Each entry carries the sha256 of its fields, checked on every read
(:mod:`newsbench.sealed`): an entry that cannot be read, is not the entry for its key, or was changed after
it was written is never used; it is counted, reported with one warning line, and the model is asked again
(its answer replaces the entry).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsbench.digest import sha256_json
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.sealed import Damage, Seal, warn

CACHE_ENV = "NEWSBENCH_LLM_CACHE_DIR"
SEAL = Seal(covered=("endpoint", "model", "prompt_sha256", "content"))
"""The request an answer is for, and the answer; the layout has never changed, so there is no format marker."""


def default_cache_dir() -> Path:
    """``$NEWSBENCH_LLM_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsbench/llm``, else ``~/.cache/newsbench/llm``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsbench" / "llm"


def prompt_hash(payload: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of the request body (messages, model, sampling and format settings)."""
    return sha256_json(payload)


class ResponseCache:
    """Message contents stored as ``<dir>/<key[:2]>/<key>.json``, each with the digest of its fields."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.damage = Damage("llm response cache", "asking again")
        self.unwritable = 0
        """How many answers could not be written (they were used, not cached)."""

    @property
    def bad(self) -> int:
        """How many entries were found damaged or mismatched (and so asked again) since the cache was opened."""
        return self.damage.count

    @staticmethod
    def key(endpoint: str, model: str, prompt_sha256: str) -> str:
        return sha256_json([endpoint, model, prompt_sha256])

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, model: str, prompt_sha256: str) -> str | None:
        """The cached content, or None when absent or not trustworthy (then reported and counted)."""
        path = self.path(self.key(endpoint, model, prompt_sha256))
        request = {"endpoint": endpoint, "model": model, "prompt_sha256": prompt_sha256}
        entry = SEAL.load(path, request, self.damage)
        if entry is None:
            return None
        content = entry.get("content")
        if not isinstance(content, str):
            self.damage.report(path, "holds no answer text")
            return None
        return content

    def put(self, endpoint: str, model: str, prompt_sha256: str, content: str) -> None:
        """Store an answer. One that cannot be written (a full disk, a read-only folder) is still used: the
        cache costs the reuse, never the answer already paid for; the first such failure is reported."""
        entry = {"endpoint": endpoint, "model": model, "prompt_sha256": prompt_sha256, "content": content}
        path = self.path(self.key(endpoint, model, prompt_sha256))
        try:
            write_atomic(path, dumps_canonical(SEAL.seal(entry)))
        except OSError as exc:
            self.unwritable += 1
            if self.unwritable == 1:
                warn(
                    f"warning: llm response cache: cannot write {path} ({exc.strerror or exc}); "
                    "answers are used but not cached"
                )
