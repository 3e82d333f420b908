"""``newsbench cache info|prune``: how much the caches hold, and keeping them under a size."""

from __future__ import annotations

import argparse
import re
from typing import Any

from newsbench.cachedir import ENV_VAR, cache_root
from newsbench.cachestore import prune, usage
from newsbench.problems import NewsbenchError

_SIZE = re.compile(r"\A\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*\Z", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(text: str) -> int:
    """``500M``, ``2G``, ``1.5GiB`` or a number of bytes."""
    found = _SIZE.match(text)
    if found is None:
        raise NewsbenchError(f"--max-size must be a size such as 500M or 2G, not {text!r}")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


def register(sub: Any) -> None:
    p = sub.add_parser("cache", help=f"show or prune the caches (under ${ENV_VAR} or .cache/newsbench)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("info", help="files and bytes per cache")
    pr = actions.add_parser("prune", help="delete least recently used cache files down to a size")
    pr.add_argument(
        "--max-size", required=True, help="size to keep, such as 500M or 2G (0 empties the caches)"
    )
    p.set_defaults(func=run)


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def run(args: argparse.Namespace) -> int:
    root = cache_root()
    if args.action == "prune":
        deleted, freed = prune(root, parse_size(args.max_size))
        print(f"deleted {deleted} file(s), {_human(freed)} freed, from {root}")
        return 0
    found = usage(root)
    if not found:
        print(f"{root}: no caches")
        return 0
    for u in found:
        print(f"{u.name}\t{u.files} file(s)\t{_human(u.bytes)}")
    print(f"total\t{sum(u.files for u in found)} file(s)\t{_human(sum(u.bytes for u in found))}\t({root})")
    return 0
