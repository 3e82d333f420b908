"""``newsbench cache info|prune``: how much the caches hold, and keeping them under a size."""

from __future__ import annotations

import argparse
from typing import Any

from newsbench.cachedir import ENV_VAR, cache_root
from newsbench.cachestore import MAX_SIZE_ENV, max_bytes, parse_size, prune, remove_stale_tmp, usage
from newsbench.problems import NewsbenchError, UsageError
from newsbench.wording import counted


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
        try:
            max_size = parse_size(args.max_size)
        except NewsbenchError as exc:
            raise UsageError(exc.problems) from None
        deleted, freed = prune(root, max_size)
        deleted += remove_stale_tmp(root)
        print(f"deleted {counted(deleted, 'file')}, {_human(freed)} freed, from {root}")
        return 0
    found = usage(root)
    if not found:
        print(f"{root}: no caches")
        return 0
    for u in found:
        print(f"{u.name}\t{counted(u.files, 'file')}\t{_human(u.bytes)}")
    print(
        f"total\t{counted(sum(u.files for u in found), 'file')}\t{_human(sum(u.bytes for u in found))}\t({root})"
    )
    bound = max_bytes()
    limit = "unlimited" if bound is None else _human(bound)
    print(f"bound\t{limit}, pruned after every run and bench (${MAX_SIZE_ENV})")
    return 0
