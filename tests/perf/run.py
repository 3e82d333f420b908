"""``python tests/perf/run.py --out bench-results.json [--group NAME …]``: run benchmark groups, write JSON.

Every ``bench_*.py`` module in this folder is imported and registers its groups in
:mod:`registry`; ``--list`` prints their names. Results are figures, never pass/fail: speed targets are
read from the file, not asserted in unit tests.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from registry import GROUPS  # noqa: E402

from newsbench.jsonio import dumps_canonical, write_atomic  # noqa: E402


def load_groups() -> None:
    for module in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(module.stem)


def main(argv: list[str] | None = None) -> int:
    load_groups()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"), help="results file")
    parser.add_argument(
        "--group", action="append", choices=sorted(GROUPS), help="run only this group (repeatable)"
    )
    parser.add_argument("--list", action="store_true", help="list the groups and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(sorted(GROUPS)))
        return 0
    results: dict[str, Any] = {}
    for name in args.group or sorted(GROUPS):
        print(f"== {name}", file=sys.stderr, flush=True)
        start = time.perf_counter()
        results[name] = GROUPS[name]()
        print(f"   done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    report = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.machine(),
        },
        "groups": results,
    }
    write_atomic(args.out, dumps_canonical(report))
    print(dumps_canonical(report), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
