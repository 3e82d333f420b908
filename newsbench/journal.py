"""Write-ahead adding to a corpus: the manifest is the one commit point.

An add writes each new document under a pending name (``documents/.<id>.json.adding``), then replaces the
manifest (the commit), then renames the pending files to their final names. A process killed at any moment
leaves one of two states, and :func:`recover` (run under the corpus's exclusive lock by the next command that
opens the corpus) finishes either one:

- the manifest does not list a pending file's document (killed before the commit): the add never happened,
  and the pending file is deleted (rolled back);
- the manifest lists it with the pending file's hash (killed after the commit): the add happened, and the
  pending file is renamed into place (rolled forward).

Temporary files of atomic writes (``.<name>.<random>.tmp``) left by a killed writer are deleted too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

PENDING_SUFFIX = ".adding"
TMP_SUFFIX = ".tmp"


def pending_path(final: Path) -> Path:
    """Where a document waits until the manifest that lists it is committed."""
    return final.with_name(f".{final.name}{PENDING_SUFFIX}")


def final_path(pending: Path) -> Path:
    return pending.with_name(pending.name[1 : -len(PENDING_SUFFIX)])


def fsync_dir(folder: Path) -> None:
    """Make renames and new names in ``folder`` durable (a rename is only on disk once its folder is)."""
    with contextlib.suppress(OSError):  # some file systems cannot open or sync a folder; nothing more to do
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def leftovers(root: Path, documents_dir: str) -> list[Path]:
    """Pending documents and temporary files a killed writer left in the corpus folder."""
    found: list[Path] = []
    for folder in (root, root / documents_dir):
        if folder.is_dir():
            found.extend(
                p
                for p in folder.iterdir()
                if p.name.startswith(".") and p.name.endswith((PENDING_SUFFIX, TMP_SUFFIX)) and p.is_file()
            )
    return sorted(found)


def _listed(root: Path, manifest: str) -> dict[str, str]:
    """File → sha256 from the manifest as committed (empty when there is none or it cannot be read)."""
    try:
        data = json.loads((root / manifest).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    return {
        str(e["file"]): str(e.get("sha256"))
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("file"), str)
    }


def recover(root: Path, manifest: str, documents_dir: str) -> list[str]:
    """Finish or undo an interrupted add; returns one line per file touched. Call under the exclusive lock."""
    listed = _listed(root, manifest)
    done: list[str] = []
    for path in leftovers(root, documents_dir):
        if path.name.endswith(PENDING_SUFFIX):
            final = final_path(path)
            rel = final.relative_to(root).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if listed.get(rel) == digest:
                os.replace(path, final)
                done.append(f"{rel}: finished an interrupted add (the manifest already listed it)")
                continue
            path.unlink()
            done.append(f"{rel}: undid an interrupted add (the manifest never listed it)")
        else:
            path.unlink()
            done.append(
                f"{path.relative_to(root).as_posix()}: removed a temporary file left by a killed write"
            )
    if done:
        fsync_dir(root / documents_dir)
        fsync_dir(root)
    return done
