"""A one-line progress bar for long runs: documents done, rate and failures, redrawn in place on stderr.

It draws only when the stream is a terminal, so logs, pipes and CI output stay free of carriage returns; no
dependency is needed for one line of text. Redraws are throttled so a fast run does not spend its time
printing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1
BAR_WIDTH = 24


def render(done: int, total: int, failures: int, elapsed: float, label: str = "") -> str:
    """The bar's text: ``label [#####.....] 12/40 docs  3.1 docs/s  1 failed`` (pure, so it is testable)."""
    fraction = done / total if total else 1.0
    filled = round(fraction * BAR_WIDTH)
    rate = done / elapsed if elapsed > 0 else 0.0
    parts = [f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}]", f"{done}/{total} docs", f"{rate:.1f} docs/s"]
    if failures:
        parts.append(f"{failures} failed")
    return "  ".join(([label] if label else []) + parts)


class Progress:
    """Counts finished documents and failures; draws when ``enabled`` (default: the stream is a terminal)."""

    def __init__(
        self, total: int, label: str = "", stream: TextIO | None = None, enabled: bool | None = None
    ):
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.failures = 0
        self._started = time.monotonic()
        self._drawn = 0.0

    def advance(self, count: int = 1, failed: int = 0) -> None:
        self.done += count
        self.failures += failed
        now = time.monotonic()
        if self.enabled and (now - self._drawn >= REDRAW_SECONDS or self.done >= self.total):
            self._draw(now)

    def _draw(self, now: float) -> None:
        self._drawn = now
        line = render(self.done, self.total, self.failures, now - self._started, self.label)
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        """End the line so whatever is printed next starts on its own."""
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
