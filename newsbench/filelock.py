"""Advisory file locks: one writer or many readers per folder, across processes.

Two ``newsbench add`` runs on one corpus must not interleave (the second would overwrite the first's manifest),
and a reader must not see a corpus halfway through an add. ``flock`` locks die with their process, so a killed
writer never leaves a stale lock behind; only the lock file itself (empty, harmless) stays.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from newsbench.problems import NewsbenchError, Problem

LOCK_FILE = ".newsbench.lock"
DEFAULT_WAIT = 30.0
"""Seconds a second writer waits for the first before giving up: long enough for any add, short enough to
notice a stuck one."""
_POLL = 0.05


class LockHeld(NewsbenchError):
    """Another process holds the lock, and did not let go within the wait."""


@contextlib.contextmanager
def folder_lock(
    folder: Path, *, exclusive: bool, wait: float = DEFAULT_WAIT, what: str = "folder"
) -> Iterator[bool]:
    """Hold ``folder``'s lock for the block: exclusive for writers, shared for readers.

    Yields whether the lock is really held: a folder the user cannot write (a read-only copy of a corpus) has
    no lock file and cannot be written by anyone using it, so readers go on without one (yield False), while
    writers get the file system's own error when they try to write.
    """
    path = folder / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        if exclusive and exc.errno not in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise NewsbenchError(
                [Problem(str(path), None, "$", f"cannot create the lock file ({exc.strerror or exc})")]
            ) from None
        yield False
        return
    try:
        _acquire(fd, exclusive=exclusive, wait=wait, place=folder, lock=path, what=what)
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, *, exclusive: bool, wait: float, place: Path, lock: Path, what: str) -> None:
    """Take the flock on ``fd``, polling up to ``wait`` seconds; :class:`LockHeld` when it stays taken."""
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = "written to" if not exclusive else "in use"
                message = (
                    f"the {what} is {holder} by another newsbench process (lock {lock} still held after "
                    f"{wait:g} s); try again when it has finished"
                )
                raise LockHeld([Problem(str(place), None, "$", message)]) from None
            time.sleep(_POLL)


@contextlib.contextmanager
def directory_lock(folder: Path, *, wait: float = DEFAULT_WAIT, what: str = "folder") -> Iterator[None]:
    """Hold an exclusive lock on the folder itself (no lock file is left in it) for the block.

    For short critical sections in folders whose listing belongs to the user, such as ``--out``: replacing a
    run folder there happens under this lock, so two runs never interleave their swaps.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        _acquire(fd, exclusive=True, wait=wait, place=folder, lock=folder, what=what)
        yield
    finally:
        os.close(fd)


def try_lock_fd(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another process holds one."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
