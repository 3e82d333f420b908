"""The benchmark registry: named groups of measurements, and how one measurement is taken.

A group is a function returning a JSON-able dict of figures, registered with ``@benchmark("name")`` in a
``bench_*.py`` module beside this file; ``run.py`` imports every such module, so adding a group means adding
a file, not editing the runner.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

Group = Callable[[], dict[str, Any]]
GROUPS: dict[str, Group] = {}


def benchmark(name: str) -> Callable[[Group], Group]:
    """Register a benchmark group under ``name`` (names must be unique)."""

    def register(fn: Group) -> Group:
        if name in GROUPS:
            raise ValueError(f"benchmark group {name!r} is registered twice")
        GROUPS[name] = fn
        return fn

    return register


def measure(fn: Callable[[], Any], memory: bool = True, repeat: int = 1) -> dict[str, float]:
    """Best wall time of ``repeat`` calls, then (in one more call) the peak of memory allocated during it.

    The best of several calls is the figure least disturbed by other work on a shared machine. Memory is
    traced in a separate call because tracemalloc slows allocation-heavy code severalfold and would distort
    the time; the peak counts Python and numpy allocations made by the call, not its inputs.
    """
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    out = {"seconds": round(min(times), 4)}
    if memory:
        gc.collect()
        tracemalloc.start()
        try:
            fn()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        out["peak_mib"] = round(peak / 2**20, 2)
    return out
