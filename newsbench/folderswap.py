"""Replacing a whole folder at once: a run folder is seen fully old or fully new, never a mix.

A run folder holds many files that belong together (spec, predictions, reports, summary); writing them one by
one over an older run would leave a mix if the process died half-way. So a writer fills a fresh staging folder
beside the target (``.<name>.<random>.new``), holding a lock on it while it works, and commits with two
renames under a lock on the parent folder: the old folder aside (``.<name>.<random>.old``), the staging folder
into place (on Linux the two swap in one step, so a reader never finds the folder missing). :func:`settle`, run by the next writer of the same target, finishes whatever a killed writer left:

- a staging folder whose lock nobody holds belongs to a dead writer and is deleted (a live writer's is left);
- an ``.old`` folder is deleted when the target exists (the commit happened) and renamed back when it does
  not (killed between the two renames: the old folder is restored).

Locks are ``flock`` locks on the folders themselves, so nothing is left in the user's ``--out`` but run
folders; they die with their process, so a killed writer never blocks the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from newsbench.filelock import directory_lock, try_lock_fd
from newsbench.journal import fsync_dir

NEW_SUFFIX = ".new"
OLD_SUFFIX = ".old"
COMMIT_WAIT = 600.0
"""Seconds a writer waits for another's commit (two renames, then deleting the old folder's files)."""


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so a reader finds the old
    or the new folder at every moment; False where the system cannot, and the caller renames twice."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)


def _aside(final: Path, suffix: str) -> Path:
    return final.with_name(f".{final.name}.{secrets.token_hex(6)}{suffix}")


def _leftovers(final: Path, suffix: str) -> list[Path]:
    prefix = f".{final.name}."
    if not final.parent.is_dir():
        return []
    return sorted(
        p
        for p in final.parent.iterdir()
        if p.name.startswith(prefix) and p.name.endswith(suffix) and p.is_dir() and not p.is_symlink()
    )


def _dead(staging: Path) -> bool:
    """Whether nobody holds ``staging``'s lock: its writer has died (a live writer holds it until done)."""
    try:
        fd = os.open(staging, os.O_RDONLY)
    except OSError:
        return False
    try:
        return try_lock_fd(fd)
    finally:
        os.close(fd)


def settle(final: Path) -> list[str]:
    """Finish or undo what killed writers of ``final`` left; one line per folder touched. Call under the
    parent folder's lock."""
    done: list[str] = []
    for old in _leftovers(final, OLD_SUFFIX):
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
            done.append(f"{final.name}: removed the previous version a finished write had set aside")
        else:
            os.rename(old, final)
            done.append(
                f"{final.name}: restored the previous version (a write was killed while replacing it)"
            )
    for staging in _leftovers(final, NEW_SUFFIX):
        if _dead(staging):
            shutil.rmtree(staging, ignore_errors=True)
            done.append(f"{final.name}: removed the unfinished output of a killed write")
    if done:
        fsync_dir(final.parent)
    return done


def _fsync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError), open(os.path.join(folder, name), "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(Path(folder))


@contextlib.contextmanager
def staged_folder(final: Path, *, wait: float = COMMIT_WAIT) -> Iterator[Path]:
    """A fresh folder to fill; when the block ends it replaces ``final`` whole. If the block raises (or the
    process dies), ``final`` is left as it was and the staging folder is removed (by the next writer, if
    killed)."""
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    with directory_lock(parent, wait=wait, what="output folder"):
        settle(final)
    staging = _aside(final, NEW_SUFFIX)
    staging.mkdir()
    fd = os.open(staging, os.O_RDONLY)
    try:
        try_lock_fd(fd)  # marks the staging folder live for as long as this process holds it
        try:
            yield staging
            _fsync_tree(staging)
            with directory_lock(parent, wait=wait, what="output folder"):
                settle(final)
                if final.exists() and _exchange(staging, final):
                    fsync_dir(parent)  # the old version is now at the staging name, deleted below
                    shutil.rmtree(staging, ignore_errors=True)
                else:
                    old = _aside(final, OLD_SUFFIX) if final.exists() else None
                    if old is not None:
                        os.rename(final, old)
                    os.rename(staging, final)
                    fsync_dir(parent)
                    if old is not None:
                        shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        os.close(fd)
