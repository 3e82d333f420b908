"""Progress bars of long steps (importing, training, running systems, scoring), drawn by tqdm on stderr.

A bar counts documents (or training iterations), with the rate and the time left, and names what it counts
for: ``run`` and ``bench`` draw one bar per system, each counting that system's documents. Bars draw only
when the stream is a terminal and ``--quiet`` was not given (:func:`silence`), so logs, pipes and CI output
stay free of carriage returns. The run loop sees only :class:`Progress`, which also keeps the counts, so a
run never depends on how (or whether) the bar is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO, TypeVar

from tqdm import tqdm

REDRAW_SECONDS = 0.1
_silenced = False
T = TypeVar("T")


def silence() -> None:
    """No bar is drawn from now on in this process (``--quiet``)."""
    global _silenced
    _silenced = True


def drawing(stream: TextIO, enabled: bool | None) -> bool:
    """Whether to draw: as asked, else when ``stream`` is a terminal and bars are not silenced."""
    return (stream.isatty() and not _silenced) if enabled is None else enabled


class Progress:
    """Counts finished documents and failures; draws when ``enabled`` (default: see :func:`drawing`).

    With ``lanes`` (system names) there is one bar per lane, each counting ``total`` documents; ``advance``
    says which lane finished one. ``total`` None counts without an end (an import does not know how many
    documents its files hold).
    """

    def __init__(
        self,
        total: int | None,
        label: str = "",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        lanes: Sequence[str] = (),
        unit: str = "docs",
        leave: bool = True,
    ):
        self.total = total
        self.label = label
        stream = stream if stream is not None else sys.stderr
        self.enabled = drawing(stream, enabled)
        self.done = 0
        self.failures = 0
        names = [" ".join(part for part in (label, lane) if part) for lane in lanes] or [label]
        self._failed = [0] * len(names)
        self._bars = [
            tqdm(
                total=total,
                desc=name or None,
                file=stream,
                unit=unit,
                mininterval=REDRAW_SECONDS,
                disable=not self.enabled,
                position=i if len(names) > 1 else None,
                leave=leave,
            )
            for i, name in enumerate(names)
        ]

    def advance(self, count: int = 1, failed: int = 0, lane: int = 0) -> None:
        self.done += count
        self.failures += failed
        bar = self._bars[lane]
        if failed:
            self._failed[lane] += failed
            bar.set_postfix_str(f"{self._failed[lane]} failed", refresh=False)
        bar.update(count)

    def close(self) -> None:
        """End the lines so whatever is printed next starts on its own."""
        for bar in self._bars:
            bar.close()


def tracked(items: Iterable[T], total: int | None, label: str, unit: str = "docs") -> Iterator[T]:
    """``items``, advancing a bar (left off the screen when done) as each one is taken."""
    bar = Progress(total, label, unit=unit, leave=False)
    try:
        for item in items:
            yield item
            bar.advance()
    finally:
        bar.close()
