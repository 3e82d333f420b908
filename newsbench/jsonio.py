"""JSON at the edges: reading with errors a user can act on, canonical dumping, and atomic writes."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from newsbench.problems import NewsbenchError, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before parsing: no news article comes close, and parsing would eat memory."""


MAX_INTEGER = 2**63 - 1
"""The largest integer a document may hold: what every JSON reader of other languages can represent exactly."""

_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_DIGIT_RUNS = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
"""A ``bytes.translate`` table turning every digit into ``0`` and every other byte into a space."""
_LONG_NUMBER = b"0" * 19
"""19 digits in a row: the shortest integer that can exceed :data:`MAX_INTEGER`."""


def _parse_fast(raw: bytes) -> Any:
    """``raw`` parsed by orjson when that gives exactly what :func:`parse_json` would, else ``None``.

    orjson refuses NaN, infinities, lone surrogates, bad UTF-8, a byte-order mark and deep nesting (the
    careful parser then words the problem), but it keeps the last of two equal keys silently and reads an
    integer above 64 bits as a float. So a document is taken from orjson only when (1) no run of 19 digits
    occurs anywhere in it (no integer can exceed :data:`MAX_INTEGER`), and (2) it has as many ``:`` as
    orjson's own rewrite of the parsed value. Every ``:`` is a key's separator or a character of a
    string, and with no ``\\u003a`` escape every string's colons are written literally in both texts; so the
    counts differ exactly when a key was dropped as a duplicate (taking its colon, and any in its value,
    with it). Any doubt falls back to the careful parser, which is never wrong, only slower.
    """
    if b"\\u003" in raw or _LONG_NUMBER in raw.translate(_DIGIT_RUNS):
        return None
    try:
        data = orjson.loads(raw)
        rewritten = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None  # the rewrite refuses nesting over 254 levels; the careful parser takes those
    if raw.count(b":") != rewritten.count(b":"):
        return None
    return data


class _Bad:
    """Stands in for a value the JSON must not hold, so the walk after parsing can name its path."""

    __slots__ = ("why",)

    def __init__(self, why: str) -> None:
        self.why = why


class _Duplicated(dict[str, Any]):
    """An object in which a key occurred twice; ``keys_twice`` names them."""

    keys_twice: tuple[str, ...] = ()


def _path(parts: list[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _document_id(data: Any) -> str | None:
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) and is_utf8(ident) else None


def is_utf8(text: str) -> bool:
    """False for a string holding a lone surrogate, which JSON escapes can carry but no UTF-8 file can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk_bad(data: Any, where: str) -> list[Problem]:
    """Every stand-in, duplicated key and lone surrogate in ``data``, at its JSON path (iterative: no depth limit)."""
    doc_id = _document_id(data)
    problems: list[Problem] = []
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, _Bad):
            problems.append(Problem(where, doc_id, _path(parts), node.why))
        elif isinstance(node, str):
            if not is_utf8(node):
                problems.append(
                    Problem(
                        where,
                        doc_id,
                        _path(parts),
                        "the string holds a lone surrogate (\\ud800-\\udfff), which UTF-8 cannot store",
                    )
                )
        elif isinstance(node, dict):
            for key in getattr(node, "keys_twice", ()):
                problems.append(
                    Problem(
                        where, doc_id, _path([*parts, key]), "the key occurs more than once in this object"
                    )
                )
            for key, value in node.items():
                if not is_utf8(key):
                    problems.append(
                        Problem(
                            where,
                            doc_id,
                            _path(parts),
                            "a key holds a lone surrogate, which UTF-8 cannot store",
                        )
                    )
                    continue
                stack.append((value, [*parts, key]))
        elif isinstance(node, list):
            stack.extend((value, [*parts, i]) for i, value in enumerate(node))
    return sorted(problems)


def parse_json(raw: bytes, where: str) -> Any:
    """Parse one JSON text strictly, raising a :class:`NewsbenchError` with one problem per offending value.

    Python's reader accepts what JSON does not (``NaN``, ``Infinity``), resolves duplicate keys silently (last
    wins), decodes lone surrogates that no UTF-8 file can hold, turns ``1e400`` into infinity and reads
    integers of any size; each of these is refused here with the path where it occurs, so no later step meets
    a value it cannot handle. The hooks only run for the rare bad value, so valid documents parse at full speed,
    and most documents never reach them: orjson reads them first (:func:`_parse_fast`).
    """
    fast = _parse_fast(raw)
    return fast if fast is not None else parse_json_carefully(raw, where)


def parse_json_carefully(raw: bytes, where: str) -> Any:
    """:func:`parse_json` without the orjson fast path: Python's reader with a hook for every doubtful value."""
    flagged = False

    def bad(why: str) -> _Bad:
        nonlocal flagged
        flagged = True
        return _Bad(why)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            twice = []
            for key, _ in items:
                if key in seen:
                    twice.append(key)
                seen.add(key)
            dup = _Duplicated(out)
            dup.keys_twice = tuple(dict.fromkeys(twice))
            nonlocal flagged
            flagged = True
            return dup
        return out

    def integer(text: str) -> Any:
        if len(text) > 18 and (len(text) > 40 or abs(int(text)) > MAX_INTEGER):
            return bad(
                f"the integer {text[:20]}{'…' if len(text) > 20 else ''} ({len(text)} digits) is too large; the limit is {MAX_INTEGER}"
            )
        return int(text)

    def number(text: str) -> Any:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            return bad(f"the number {text[:20]} is too large to represent")
        return value

    def constant(text: str) -> Any:
        return bad(f"{text} is not valid JSON (JSON has no NaN or Infinity)")

    def fail(message: str) -> NewsbenchError:
        return NewsbenchError([Problem(where, None, "$", message)])

    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 (byte {exc.start} cannot be decoded)") from None
    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_int=integer, parse_float=number, parse_constant=constant
        )
    except json.JSONDecodeError as exc:
        raise fail(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise fail("JSON nested too deeply") from None
    if flagged or _ESCAPED_SURROGATE.search(raw):
        NewsbenchError.collect(_walk_bad(data, where))
    return data


def read_json(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse a UTF-8 JSON file strictly (:func:`parse_json`), turning every way it can be unreadable into a
    :class:`NewsbenchError`."""
    return parse_json(read_json_bytes(path, max_bytes), str(path))


def read_json_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A JSON file's bytes, unparsed; an empty, oversized or unreadable file is a :class:`NewsbenchError`."""

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
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file ({exc.strerror or exc})") from None


LINE_BLOCK = 1 << 20
"""Bytes read at a time from a JSON Lines file."""


def read_json_lines_at(path: Path, max_line_bytes: int = MAX_FILE_BYTES) -> Iterator[tuple[str, bytes, int]]:
    """``(file:line, raw bytes, byte offset)`` for each non-blank line of a JSON Lines file, its line end
    (and any ``\\r`` before it) left out; the offset lets a reader come back to the line.

    The file is read in blocks of :data:`LINE_BLOCK` bytes, not line by line: a line is a whole document,
    often longer than a line reader's buffer. A JSON Lines file may hold a whole corpus, so there is no
    limit on the file; each line (one document) has the limit of a ``.json`` file, and an oversized line is
    refused without being held whole.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise NewsbenchError(
            [Problem(str(path), None, "$", f"cannot read the file ({exc.strerror or exc})")]
        ) from None

    def oversized(n: int) -> NewsbenchError:
        message = f"the line is over the limit of {max_line_bytes} bytes"
        return NewsbenchError([Problem(f"{path}:{n}", None, "$", message)])

    with handle:
        n = 0  # lines seen
        base = 0  # the file offset of block[0]
        block = b""
        while True:
            try:
                more = handle.read(LINE_BLOCK)
            except OSError as exc:
                raise NewsbenchError(
                    [Problem(f"{path}:{n + 1}", None, "$", f"cannot read the file ({exc.strerror or exc})")]
                ) from None
            block += more
            start = 0
            while True:
                end = block.find(b"\n", start)
                if end < 0:
                    break
                n += 1
                if end + 1 - start > max_line_bytes:
                    raise oversized(n)
                raw = _content(block, start, end)
                if raw is not None:
                    yield f"{path}:{n}", raw, base + start
                start = end + 1
            if len(block) - start > max_line_bytes:
                raise oversized(n + 1)
            if not more:  # the last line, without a line end
                raw = _content(block, start, len(block)) if start < len(block) else None
                if raw is not None:
                    yield f"{path}:{n + 1}", raw, base + start
                return
            block = block[start:]
            base += start


def _content(block: bytes, start: int, end: int) -> bytes | None:
    """The line ``block[start:end]`` (no ``\\n``) without any ``\\r`` it ends in; None if it is blank."""
    # "{" first: nearly every line starts a document at once, and so is not blank, with nothing to strip
    if block[start] != 0x7B and not block[start:end].strip():
        return None
    while block[end - 1] == 0x0D:
        end -= 1
    return block[start:end]


def dumps_canonical(data: Any) -> str:
    """Sorted keys, no ASCII escaping, fixed separators: the same data always gives the same bytes."""
    fast = _dumps_fast(data, orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    if fast is not None:
        return fast + "\n"
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, no ASCII escaping: equal data gives equal strings (what gets hashed)."""
    fast = _dumps_fast(data, orjson.OPT_SORT_KEYS)
    if fast is not None:
        return fast
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps_document(data: Any) -> str:
    """Documents keep the model's key order (metadata first, text, then layers) so files read top-down."""
    fast = _dumps_fast(data, orjson.OPT_INDENT_2)
    if fast is not None:
        return fast + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


_SMALLEST_PLAIN = 1e-4
"""Python writes a float below this in magnitude with an exponent (``1e-05``) and orjson without one
(``0.00001``); at and above it, and for every other value, the two write the same characters."""


def _dumps_fast(data: Any, option: int) -> str | None:
    """``data`` written by orjson when that gives exactly the characters :mod:`json` gives (with
    ``ensure_ascii=False``, and ``indent=2`` or no spaces as ``option`` says), else ``None``.

    orjson writes a report of 10,000 documents in a hundredth of the time :mod:`json` takes with an indent
    (it then runs in pure Python). It is used only for plain data: dicts with string keys, lists, tuples,
    strings, 64-bit integers, ``None``, booleans and floats that both write alike (finite, and 0 or at least
    :data:`_SMALLEST_PLAIN` in magnitude). Anything else (a NaN, which :mod:`json` must refuse, a subclass,
    an integer key, a lone surrogate, deep nesting) goes to :mod:`json`, which writes or refuses it as before.
    """
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            if not all(type(key) is str for key in value):
                return None
            stack.extend(value.values())
        elif kind is list or kind is tuple:
            stack.extend(value)
        elif kind is float:
            if not (value == 0.0 or _SMALLEST_PLAIN <= abs(value) < math.inf):
                return None
        elif kind is int:
            if not -(2**63) <= value < 2**64:
                return None
        elif not (kind is str or kind is bool or value is None):
            return None
    try:
        return orjson.dumps(data, option=option).decode("utf-8")
    except orjson.JSONEncodeError:
        return None


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
