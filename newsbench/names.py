"""Names that become file names: one function for every writer, so no name escapes its folder or collides.

Systems, suite corpora and documents are named by users and plug-ins; the files named after them must stay
inside their folder (``..``, ``a/b``), must not be special on some system (``NUL``, ``CON.json`` on Windows),
and two different names must never land in one file (``a/b`` and ``a_b``; ``Doc`` and ``doc`` on a
case-insensitive file system). :func:`file_stem` encodes any name reversibly; :func:`name_problem` says why
a name cannot be used as it is, for the places (document ids) that refuse rather than encode.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_PLAIN = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")
_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
"""Windows device names: ``NUL.json`` opens the null device there, whatever the extension."""
MAX_STEM = 200


def is_reserved(name: str) -> bool:
    return name.split(".", 1)[0].rstrip(" ").upper() in RESERVED


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a file name as it is, or None when it can."""
    if not _PLAIN.match(name):
        return (
            "must start with a letter or digit, hold only letters, digits, '.', '_' and '-', "
            f"and be at most {MAX_STEM} characters"
        )
    return device_problem(name)


def device_problem(name: str) -> str | None:
    """What only some file systems refuse in a name of plain characters: a trailing dot (dropped on
    Windows, so ``d1.`` and ``d1`` would be one file) or a device name (``CON``, ``NUL.txt``); None when
    neither. Document ids are held to it wherever they are checked, so every id a corpus accepts can be
    written as a file anywhere."""
    if name.endswith("."):
        return "must not end with '.'"
    if is_reserved(name):
        device, dot, _ = name.partition(".")
        shape = f"begin with '{device}.'" if dot else f"be {device!r}"
        return f"must not {shape}: {device!r} is a reserved device name on Windows"
    return None


def file_stem(name: str) -> str:
    """A file name for ``name``: the name itself when it is safe, else a reversible escape of it.

    Every character outside letters, digits, ``_``, ``-`` and inner ``.`` becomes ``%XX`` (its UTF-8 bytes),
    ``%`` included, so different names always give different stems; a leading or trailing dot, and the first
    letter of a reserved device name, are escaped too. The result is never empty, ``.`` or ``..``.
    """
    if name_problem(name) is None:
        return name
    out: list[str] = []
    last = len(name) - 1
    for i, ch in enumerate(name):
        keep = ch in _KEEP and not (ch == "." and i in (0, last))
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
    if is_reserved(name):
        out[0] = f"%{ord(out[0]):02X}" if len(out[0]) == 1 else out[0]
    stem = "".join(out) or "%"
    if len(stem) > MAX_STEM:  # long names keep a readable head and a hash of the whole, which stays unique
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        stem = stem[: MAX_STEM - 17] + "~" + digest
    return stem


def fold_collisions(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of different names whose files would be one file on a case-insensitive file system."""
    seen: dict[str, str] = {}
    clashes: list[tuple[str, str]] = []
    for name in names:
        key = file_stem(name).casefold()
        other = seen.setdefault(key, name)
        if other != name:
            clashes.append((other, name))
    return clashes
