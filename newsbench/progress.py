"""The progress bar of long runs (documents done, rate, failures), drawn by tqdm on stderr.

It draws only when the stream is a terminal, so logs, pipes and CI output stay free of carriage returns.
The run loop sees only :class:`Progress`, which also keeps the counts, so a run never depends on how (or
whether) the bar is drawn.
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

REDRAW_SECONDS = 0.1


class Progress:
    """Counts finished documents and failures; draws when ``enabled`` (default: the stream is a terminal)."""

    def __init__(
        self, total: int, label: str = "", stream: TextIO | None = None, enabled: bool | None = None
    ):
        self.total = total
        self.label = label
        stream = stream if stream is not None else sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self.done = 0
        self.failures = 0
        self._bar = tqdm(
            total=total,
            desc=label or None,
            file=stream,
            unit="docs",
            mininterval=REDRAW_SECONDS,
            disable=not self.enabled,
        )

    def advance(self, count: int = 1, failed: int = 0) -> None:
        self.done += count
        self.failures += failed
        if failed:
            self._bar.set_postfix_str(f"{self.failures} failed", refresh=False)
        self._bar.update(count)

    def close(self) -> None:
        """End the line so whatever is printed next starts on its own."""
        self._bar.close()
