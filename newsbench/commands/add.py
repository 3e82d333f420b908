"""``newsbench add FILE…``: validate documents and add them to a gold corpus, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import SPLITS
from newsbench.corpus_add import add_documents


def register(sub: Any) -> None:
    p = sub.add_parser("add", help=SUMMARIES["add"])
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="document files or folders")
    p.add_argument(
        "--split", choices=SPLITS, default="test", help="split for the new documents (default: test)"
    )
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    added = add_documents(args.files, args.corpus, args.split)
    for doc_id in added:
        print(f"added {doc_id} to {args.corpus} ({args.split})", file=sys.stderr)
    return 0
