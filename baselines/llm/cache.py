"""An on-disk cache of model answers, keyed by (endpoint, model, prompt hash).

Model calls are slow and may cost money; the same request to the same model is answered from disk instead.
The key holds everything that shapes the answer (the whole request body is the "prompt") and nothing secret:
the API key is not part of any key or file. Entries are written atomically, so a run killed mid-write
leaves either the old entry or none, and an unreadable entry is treated as a miss.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsbench.digest import sha256_json
from newsbench.jsonio import dumps_canonical, read_json, write_atomic
from newsbench.problems import NewsbenchError

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
    """Message contents stored as ``<dir>/<key[:2]>/<key>.json``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @staticmethod
    def key(endpoint: str, model: str, prompt_sha256: str) -> str:
        return sha256_json([endpoint, model, prompt_sha256])

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, endpoint: str, model: str, prompt_sha256: str) -> str | None:
        path = self.path(self.key(endpoint, model, prompt_sha256))
        if not path.is_file():
            return None
        try:
            entry = read_json(path)
        except NewsbenchError:
            return None
        content = entry.get("content") if isinstance(entry, dict) else None
        return content if isinstance(content, str) else None

    def put(self, endpoint: str, model: str, prompt_sha256: str, content: str) -> None:
        entry = {"endpoint": endpoint, "model": model, "prompt_sha256": prompt_sha256, "content": content}
        write_atomic(self.path(self.key(endpoint, model, prompt_sha256)), dumps_canonical(entry))
