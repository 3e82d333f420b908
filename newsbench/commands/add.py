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
        "--split",
        choices=SPLITS,
        default=None,
        help="split for the new documents (default: test; with --replace, the split the document was in)",
    )
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="correct documents the corpus holds: each FILE must have the id of one, and takes its place "
        "(all or nothing, like an add)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    split = args.split or (None if args.replace else "test")
    done = add_documents(args.files, args.corpus, split, replace=args.replace)
    for doc_id in done:
        if args.replace:
            moved = f" (now in {split})" if split else ""
            print(f"replaced {doc_id} in {args.corpus}{moved}", file=sys.stderr)
        else:
            print(f"added {doc_id} to {args.corpus} ({split})", file=sys.stderr)
    return 0
