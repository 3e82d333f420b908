"""``newsbench validate PATH…``: check documents against the schema and the rules a schema cannot state.

Documents are read and checked one at a time (:func:`newsbench.scan.scan`), so a corpus of any size is
validated in bounded memory; ``--jobs N`` checks them in N processes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import MANIFEST, check_manifest_files, document_root, reading
from newsbench.parallel import jobs_option, jobs_or_cores
from newsbench.problems import NewsbenchError, PredictionProblems, Problem
from newsbench.scan import BATCH, scan
from newsbench.wording import counted


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help=SUMMARIES["validate"])
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="document files or folders")
    p.add_argument(
        "--jobs",
        type=jobs_option,
        metavar="N",
        help="check documents in N processes (0, and the default on Linux: one per core; "
        f"input of {BATCH} documents or fewer is checked in one process)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    count = 0
    for path in args.paths:
        found: list[Problem] = []
        files: list[tuple[str, str, str]] = []
        tolerated: list[tuple[tuple[str, Problem], ...]] = []
        with reading(path):  # a corpus folder: settled first, then read under its lock
            for item, _ in scan([document_root(path)], skip=MANIFEST, jobs=jobs_or_cores(args.jobs)):
                found.extend(item.problems)
                if item.id is not None and not item.problems:
                    files.append((item.where, item.id, item.sha256))
                    tolerated.append(item.tolerated)
            if path.is_dir() and not found:
                found.extend(check_manifest_files(path, files))
        problems.extend(found)
        if found:
            continue
        count += len(files)
        note = PredictionProblems.count(tolerated).note()
        if note:
            print(f"note: {path}: {note} (refused in gold)", file=sys.stderr)
    NewsbenchError.collect(problems)
    print(f"{counted(count, 'document')} valid", file=sys.stderr)
    return 0
