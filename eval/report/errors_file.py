"""Writing ``errors.jsonl`` as scoring goes: all records, a bounded sample, or none (``--errors``).

The writer takes whatever records the report layer makes for one document (JSON objects, in their final
order) and writes them at once. The file appears
whole when the block of :func:`errors_file` ends, and not at all if scoring fails, like every other report file.
A sample keeps the first :data:`SAMPLE_PER_GROUP` records of each group (task, layer and reason), in
document id order, and counts the rest; the records written are also kept (:attr:`ErrorsFile.kept`) for the
HTML page, which shows what the file holds, so memory stays bounded by the sample. Under ``--errors all`` no
record is kept: the pages read them back from the written file (:class:`RecordsFile`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, overload

import orjson

from newsbench.eval.report.errors import error_line
from newsbench.jsonio import replacing
from newsbench.wording import counted

ERRORS_FILE = "errors.jsonl"
ERROR_MODES = ("none", "sample", "all")
SAMPLE_PER_GROUP = 100
"""Records kept per group in ``--errors sample`` (the default): enough to see what goes wrong, bounded
however many documents are scored (a few tasks × metrics × kinds)."""


def layer_and_reason(record: Mapping[str, Any]) -> Hashable:
    """A record's sample group: its task, layer and reason (whatever of them it has)."""
    return (record.get("task"), record.get("layer"), record.get("reason"))


class ErrorsFile:
    """``errors.jsonl`` being written: :meth:`add` each document's records in document order."""

    def __init__(self, handle: IO[str], mode: str, keep: bool = True) -> None:
        if mode not in ERROR_MODES:
            raise ValueError(f"errors mode must be one of {', '.join(ERROR_MODES)}, not {mode!r}")
        self._handle = handle
        self.mode = mode
        self._seen: Counter[Hashable] = Counter()
        self.groups: Counter[Hashable] = Counter()
        """Every error found (written, left out of the sample or only counted) per task, layer and reason."""
        self.found = 0
        self.written = 0
        self.kept: list[dict[str, Any]] = []
        """The records written, for the HTML page; none with ``keep`` off (the page reads them back from
        the file, :class:`RecordsFile`)."""
        self._keep = keep
        self._full: frozenset[Hashable] = frozenset()
        self._full_at = 0

    def full(self) -> frozenset[Hashable]:
        """The groups (task, layer, reason) whose sample is complete: their later records are only counted,
        so a caller may count them without building them (:func:`newsbench.eval.report.errors.leave_out`)
        and pass the count to :meth:`add`. Empty unless sampling."""
        if self.mode != "sample":
            return frozenset()
        if self._full_at != self.found:  # recomputed only when something was added
            self._full_at = self.found
            self._full = frozenset(key for key, n in self._seen.items() if n >= SAMPLE_PER_GROUP)
        return self._full

    def add(
        self,
        records: Sequence[dict[str, Any]],
        left_out: Mapping[Hashable, int] | None = None,
        rendered: Sequence[str] | None = None,
    ) -> None:
        """Write one document's records (or count them, when they are left out of the sample), and count
        ``left_out`` more records per group of groups that are :meth:`full`, which the caller did not
        build. ``rendered`` are the records' lines (:func:`newsbench.eval.report.errors.error_line`) when
        the process that scored the document made them, so that this one only writes them."""
        for group, n in (left_out or {}).items():
            self.found += n
            self.groups[group] += n
        lines = []
        for index, record in enumerate(records):
            self.found += 1
            key = layer_and_reason(record)
            self.groups[key] += 1
            if self.mode == "sample":
                self._seen[key] += 1
                if self._seen[key] > SAMPLE_PER_GROUP:
                    continue
            lines.append((error_line(record) if rendered is None else rendered[index]) + "\n")
            if self._keep:
                self.kept.append(record)
        self.written += len(lines)
        self._handle.write("".join(lines))

    def summary(self) -> str:
        """``errors.jsonl: 300 of 12,345 errors (the first 100 of each task, layer and reason, …)``."""
        if self.written == self.found:
            return f"errors.jsonl: all {counted(self.found, 'error')}"
        return (
            f"errors.jsonl: {self.written} of {counted(self.found, 'error')} (the first {SAMPLE_PER_GROUP} of each "
            "task, layer and reason, by document id; --errors all writes every one)"
        )


@contextlib.contextmanager
def errors_file(path: Path, mode: str, keep: bool = True) -> Iterator[ErrorsFile | None]:
    """An :class:`ErrorsFile` at ``path`` (None for mode ``none``, which writes no file), committed
    atomically when the block ends without an error; ``keep`` off keeps no record in memory."""
    if mode == "none":
        yield None
        return
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as handle:
        yield ErrorsFile(handle, mode, keep)


class RecordsFile(Sequence[dict[str, Any]]):
    """The records of a written ``errors.jsonl``, read from it each time they are gone through, so the
    report pages of a large corpus can go through every error without holding them all."""

    def __init__(self, path: Path, count: int) -> None:
        self.path = path
        self.size = count

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self.path.open("rb") as lines:
            for line in lines:
                record: dict[str, Any] = orjson.loads(line)
                yield record

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        records = list(self)  # not used by the pages, which go through the records in order
        return records[index]
