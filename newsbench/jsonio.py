"""JSON at the edges: reading with errors a user can act on, canonical dumping, and atomic writes."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsbench.problems import NewsbenchError, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before parsing: no news article comes close, and parsing would eat memory."""


def read_json(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse a UTF-8 JSON file, turning every way it can be unreadable into a :class:`NewsbenchError`."""

    def fail(message: str) -> NewsbenchError:
        return NewsbenchError([Problem(str(path), None, "$", message)])

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise fail(f"the file is {size} bytes, over the limit of {max_bytes} bytes")
    if size == 0:
        raise fail("the file is empty")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"the file is not UTF-8 (byte {exc.start} cannot be decoded)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise fail("JSON nested too deeply") from None


def dumps_canonical(data: Any) -> str:
    """Sorted keys, no ASCII escaping, fixed separators: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, no ASCII escaping: equal data gives equal strings (what gets hashed)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps_document(data: Any) -> str:
    """Documents keep the model's key order (metadata first, text, then layers) so files read top-down."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; when the block ends it is synced and renamed over ``path``.

    Readers see the old file or the new one, never a half-written one, even if the process dies mid-write; if
    the block raises, the temporary file is removed and ``path`` is left as it was. For writers that need a
    file name of their own (crfsuite writes its model itself); everything else calls :func:`write_atomic`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        # mkstemp creates the file 0600; give it the mode a plain open() would, so corpus files stay readable.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through :func:`replacing`."""
    with replacing(path) as tmp:
        tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
