"""``newsbench validate PATH…``: check documents against the schema and the rules a schema cannot state."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import read_documents, tolerated_note
from newsbench.problems import NewsbenchError, Problem


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help=SUMMARIES["validate"])
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="document files or folders")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    count = 0
    for path in args.paths:
        try:  # a corpus folder is settled, read under its lock and checked against its manifest
            loaded = read_documents([path])
        except NewsbenchError as exc:
            problems.extend(exc.problems)
            continue
        count += len(loaded)
        note = tolerated_note(loaded)
        if note:
            print(f"note: {path}: {note} (refused in gold)", file=sys.stderr)
    NewsbenchError.collect(problems)
    print(f"{count} document(s) valid", file=sys.stderr)
    return 0
