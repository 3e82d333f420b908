"""``newsbench systems``: every registered extractor, its version, and whether it can run here (and why not)."""

from __future__ import annotations

import argparse
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.registry import discover
from newsbench.table import text_table


def register(sub: Any) -> None:
    p = sub.add_parser("systems", help=SUMMARIES["systems"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    systems = discover()
    rows = [
        (s.name, s.version or "?", "yes" if s.available else "no", s.availability.reason or "")
        for s in systems.values()
    ]
    print(
        text_table(["system", "version", "available", "reason"], rows or [("(none registered)", "", "", "")])
    )
    return 0
