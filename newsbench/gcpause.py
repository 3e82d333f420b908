"""Pausing Python's cyclic garbage collector around bulk work that makes no cyclic garbage.

Loading a corpus and scoring it allocate millions of short-lived, acyclic objects (parsed JSON, model
objects, counts), all freed by reference counting alone, while the documents already read stay alive. Every
so many allocations the collector walks the live objects looking for cycles and finds none; with every
document kept, those walks took as long as the reading itself. Reading that keeps only a small record per
document (:mod:`newsbench.scan`) gains nothing from a pause and runs with the collector on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Turn the cyclic garbage collector off for a block, and back on after it if it was on.

    Any cycle made inside the block is collected as usual once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
