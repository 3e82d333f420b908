"""What the caches hold and how to keep them small: sizes per cache, and pruning oldest-used first.

Every cache under :func:`newsbench.cachedir.cache_root` holds only what can be recomputed (predictions,
trained models, model responses), so deleting any entry is always safe: the next run that needs it
recomputes it. Pruning removes the least recently used files first (by access time, or modification time
where the file system does not keep access times) until the total is under the limit.

Caches also stay bounded on their own: after every ``run`` and ``bench``, :func:`keep_bounded` prunes each
cache root down to :data:`DEFAULT_MAX_BYTES` (2 GiB), or to ``$NEWSBENCH_CACHE_MAX_SIZE`` (``500M``, ``10G``;
``unlimited`` turns the bound off). Temporary files a killed writer left (``.<name>.<random>.tmp``) are
removed once they are an hour old -- a younger one may belong to a writer still at work.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from newsbench.filelock import LOCK_FILE
from newsbench.problems import NewsbenchError

MAX_SIZE_ENV = "NEWSBENCH_CACHE_MAX_SIZE"
DEFAULT_MAX_BYTES = 2 * 1024**3
"""The size each cache root is pruned to after a run: room for many runs' predictions and models, small
enough not to fill a laptop's disk unnoticed."""
STALE_TMP_SECONDS = 3600.0
_SIZE = re.compile(r"\A\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*\Z", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str, what: str = "--max-size") -> int:
    """``500M``, ``2G``, ``1.5GiB`` or a number of bytes."""
    found = _SIZE.match(text)
    if found is None:
        raise NewsbenchError(f"{what} must be a size such as 500M or 2G, not {text!r}")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def max_bytes() -> int | None:
    """The automatic bound: ``$NEWSBENCH_CACHE_MAX_SIZE`` (None for ``unlimited``), else the default."""
    text = os.environ.get(MAX_SIZE_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_BYTES
    if text.lower() in ("unlimited", "none"):
        return None
    return parse_size(text, f"${MAX_SIZE_ENV}")


def _is_tmp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def remove_stale_tmp(root: Path, older_than: float = STALE_TMP_SECONDS) -> int:
    """Delete temporary files of killed writers under ``root`` older than ``older_than`` seconds."""
    removed = 0
    if not root.is_dir():
        return removed
    now = time.time()
    for path in root.rglob(".*.tmp"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink() and now - path.stat().st_mtime > older_than:
                path.unlink()
                removed += 1
    return removed


def keep_bounded(roots: list[Path]) -> tuple[int, int]:
    """Remove stale temporary files and prune each root to :func:`max_bytes`; (files deleted, bytes freed)."""
    limit = max_bytes()
    deleted = freed = 0
    for root in roots:
        deleted += remove_stale_tmp(root)
        if limit is not None:
            d, f = prune(root, limit)
            deleted, freed = deleted + d, freed + f
    return deleted, freed


@dataclass(frozen=True)
class CacheUsage:
    name: str
    files: int
    bytes: int


def _entries(root: Path) -> list[tuple[float, int, Path]]:
    found: list[tuple[float, int, Path]] = []
    if not root.is_dir():
        return found
    for path in root.rglob("*"):
        if path.name == LOCK_FILE or _is_tmp(path) or path.is_symlink() or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            st = path.stat()
            found.append((max(st.st_atime, st.st_mtime), st.st_size, path))
    return found


def usage(root: Path) -> list[CacheUsage]:
    """Files and bytes per cache (one per folder directly under ``root``), largest first."""
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        entries = _entries(folder)
        out.append(CacheUsage(folder.name, len(entries), sum(size for _, size, _ in entries)))
    return sorted(out, key=lambda u: (-u.bytes, u.name))


def prune(root: Path, max_bytes: int) -> tuple[int, int]:
    """Delete least recently used files under ``root`` until at most ``max_bytes`` remain.

    Returns (files deleted, bytes freed). A file that vanished meanwhile (another run pruning) is skipped.
    """
    if not root.is_dir():
        return 0, 0
    entries = sorted(_entries(root))
    total = sum(size for _, size, _ in entries)
    deleted = freed = 0
    for _, size, path in entries:
        if total - freed <= max_bytes:
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            deleted += 1
            freed += size
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only empty folders go
    return deleted, freed
