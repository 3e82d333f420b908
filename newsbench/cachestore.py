"""What the caches hold and how to keep them small: sizes per cache, and pruning oldest-used first.

Every cache under :func:`newsbench.cachedir.cache_root` holds only what can be recomputed (predictions,
trained models, model responses), so deleting any entry is always safe: the next run that needs it
recomputes it. Pruning removes the least recently used files first (by access time, or modification time
where the file system does not keep access times) until the total is under the limit.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from newsbench.filelock import LOCK_FILE


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
        if path.name == LOCK_FILE or path.is_symlink() or not path.is_file():
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
