"""Sealed cache entries: a JSON object carrying the sha256 of its fields, and the one way such an entry is
trusted again and a damaged one reported.

A cache serves what it once computed instead of computing it again, so an entry it cannot vouch for must
never be served: a file torn by a full disk or a killed writer, one edited by hand, one copied under another
key (or whose key hashed to the same file name), one written by a version of newsbench that laid its entries
out differently. Every digest-checked JSON cache seals its entries with :meth:`Seal.seal` and opens them with
:meth:`Seal.load`, which turns each of those cases into a reason rather than an exception: a cache is never
the reason a command fails, it only costs the reuse.

A damaged entry is recomputed, counted, and reported on stderr as it is met, one line naming the cache, the
file and why it is not used. It is said as it is met rather than once at the end of a run because the model
answers are read in a run's worker processes, which have no end of run to report at; so every cache says it
the same way, whichever process met the entry. A cache that meets many (after an upgrade changed its
format, or on a damaged disk) lists the first :data:`LISTED`, then says once that it goes on recomputing
without a line for each, rather than burying the run's output; its count keeps every one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from newsbench.digest import sha256_json

DIGEST_FIELD = "sha256"
FORMAT_FIELD = "format"
LISTED = 10
"""Damaged entries of one cache reported with a line each; later ones are counted, not listed."""


@dataclass(frozen=True)
class Unusable:
    """Why an entry's bytes cannot be served: the end of a sentence whose subject is the entry's file."""

    reason: str


@dataclass(frozen=True)
class Seal:
    """How one cache seals its entries: the fields the digest covers and the cache's format marker.

    ``covered`` are the fields whose change would change what the entry serves (its key and its content);
    the marker itself is not covered, as an entry of another format is refused before any digest is
    compared. ``format`` None is a cache with no marker (its layout has never changed).
    """

    covered: tuple[str, ...]
    format: int | None = None

    def digest(self, entry: Mapping[str, Any]) -> str:
        """sha256 of the canonical JSON of the covered fields (a missing one counts as null).

        Raises ValueError for NaN or infinity, which JSON cannot hold: no entry is written with one."""
        return sha256_json({name: entry.get(name) for name in self.covered})

    def seal(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The entry to write: the format marker (if any) first, then ``fields`` in their order, then the
        digest. Serialising it (key order, spacing) is the cache's choice; the digest does not depend on it."""
        entry: dict[str, Any] = {} if self.format is None else {FORMAT_FIELD: self.format}
        entry.update(fields)
        entry[DIGEST_FIELD] = self.digest(entry)
        return entry

    def open(self, raw: bytes, key: Mapping[str, Any]) -> dict[str, Any] | Unusable:
        """The entry's fields, or why they cannot be served: not JSON, not an object, another format, not the
        entry for ``key`` (each of its fields must hold exactly that value), or a digest that does not match."""
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return Unusable("is not JSON (torn or overwritten)")
        if not isinstance(entry, dict):
            return Unusable("is not a cache entry (not a JSON object)")
        if self.format is not None and entry.get(FORMAT_FIELD) != self.format:
            found = entry.get(FORMAT_FIELD)
            return Unusable(f"is of format {found!r}, not {self.format} (written by another version)")
        if any(entry.get(name) != value for name, value in key.items()):
            return Unusable("is not the entry for this key")
        try:
            digest = self.digest(entry)
        except ValueError:
            return Unusable("holds NaN or infinity, which no entry is written with")
        if entry.get(DIGEST_FIELD) != digest:
            return Unusable("does not match its digest (changed after it was written)")
        return entry

    def load(self, path: Path, key: Mapping[str, Any], damage: Damage) -> dict[str, Any] | None:
        """The fields of the entry at ``path`` for ``key``; None when there is none, and when it cannot be
        served, which is then reported to ``damage``."""
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # no entry can be there: absent, not damaged
            return None
        except OSError as exc:
            damage.report(path, f"cannot be read ({exc.strerror or exc})")
            return None
        opened = self.open(raw, key)
        if isinstance(opened, Unusable):
            damage.report(path, opened.reason)
            return None
        return opened


class Damage:
    """The damaged entries one cache met in this process: counted, and reported as :mod:`the module
    <newsbench.sealed>` says.

    ``cache`` names the cache in each line (``prediction cache``); ``instead`` says what is done in the
    entry's place (``recomputing``, ``asking again``).
    """

    def __init__(self, cache: str, instead: str) -> None:
        self.cache = cache
        self.instead = instead
        self.count = 0

    def report(self, path: Path | str, reason: str) -> None:
        """Count one damaged entry and, unless :data:`LISTED` were already listed, say which and why."""
        self.count += 1
        if self.count <= LISTED:
            warn(f"warning: {self.cache}: {path} {reason}; not used, {self.instead}")
        elif self.count == LISTED + 1:
            warn(
                f"warning: {self.cache}: more damaged entries; each is counted and not used, "
                f"{self.instead}, without a line of its own"
            )


def warn(line: str) -> None:
    """One line on stderr, above any progress bar being drawn rather than through it: how every cache
    speaks to the user."""
    tqdm.write(line, file=sys.stderr)
