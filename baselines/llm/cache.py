"""An on-disk cache of model answers, keyed by (endpoint, model, prompt hash).

Model calls are slow and may cost money; the same request to the same model is answered from disk instead.
The key holds everything that shapes the answer (the whole request body is the "prompt") and nothing secret:
the API key is not part of any key or file. Entries are written atomically, so a run killed mid-write
leaves either the old entry or none. Each entry carries the sha256 of its fields, checked on every read: an
entry that cannot be read, is not the entry for its key, or was changed after it was written is never used;
it is counted, reported with one warning line, and the model is asked again (its answer replaces the entry).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from newsbench.digest import sha256_json
from newsbench.jsonio import dumps_canonical, write_atomic

CACHE_ENV = "NEWSBENCH_LLM_CACHE_DIR"


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
        self.bad = 0
        """How many entries were found damaged or mismatched (and so asked again) since the cache was opened."""

    @staticmethod
    def key(endpoint: str, model: str, prompt_sha256: str) -> str:
        return sha256_json([endpoint, model, prompt_sha256])

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, model: str, prompt_sha256: str) -> str | None:
        """The cached content, or None when absent or not trustworthy (then reported and counted)."""
        path = self.path(self.key(endpoint, model, prompt_sha256))
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return self._reject(path, f"cannot be read ({exc.strerror or exc})")
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return self._reject(path, "is not JSON")
        fields = {"endpoint": endpoint, "model": model, "prompt_sha256": prompt_sha256}
        if not isinstance(entry, dict) or any(entry.get(k) != v for k, v in fields.items()):
            return self._reject(path, "is not the entry for this request")
        content = entry.get("content")
        if not isinstance(content, str) or entry.get("sha256") != _digest({**fields, "content": content}):
            return self._reject(path, "does not match its digest (changed after it was written)")
        return content

    def _reject(self, path: Path, why: str) -> str | None:
        self.bad += 1
        print(f"warning: llm response cache: {path} {why}; not used, asking again", file=sys.stderr)
        return None

    def put(self, endpoint: str, model: str, prompt_sha256: str, content: str) -> None:
        entry = {"endpoint": endpoint, "model": model, "prompt_sha256": prompt_sha256, "content": content}
        entry["sha256"] = _digest(entry)
        write_atomic(self.path(self.key(endpoint, model, prompt_sha256)), dumps_canonical(entry))


def _digest(entry: dict[str, str]) -> str:
    return sha256_json({k: entry[k] for k in ("endpoint", "model", "prompt_sha256", "content")})
