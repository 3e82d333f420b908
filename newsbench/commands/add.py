"""``newsbench add FILE…``: validate documents and add them to a gold corpus, all or nothing.

A ``--corpus`` folder with no manifest becomes a new corpus, and ``add`` says so, so that a mistyped folder
name is seen at once. Each added document is named on stderr; past ``LIST_AT_MOST`` documents one summary
line is printed instead (``--verbose`` names them all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import MANIFEST, SPLITS
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
    p.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        help="corpus folder (default: corpus); a folder with no manifest becomes a new corpus, said on stderr",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="correct documents the corpus holds: each FILE must have the id of one, and takes its place "
        "(all or nothing, like an add)",
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help=f"name every document (by default, past {LIST_AT_MOST} documents one summary line is printed)",
    )
    p.set_defaults(func=run)


LIST_AT_MOST = 20
"""Most documents named one line each; more would bury the summary of a large addition."""


def run(args: argparse.Namespace) -> int:
    corpus: Path = args.corpus
    new_corpus = not (corpus / MANIFEST).exists()
    split = args.split or (None if args.replace else "test")
    done = add_documents(args.files, corpus, split, replace=args.replace)
    if new_corpus:
        print(f"created a new corpus at {corpus}", file=sys.stderr)
    verb = "replaced" if args.replace else "added"
    if args.verbose or len(done) <= LIST_AT_MOST:
        for doc_id in done:
            if args.replace:
                moved = f" (now in {split})" if split else ""
                print(f"replaced {doc_id} in {corpus}{moved}", file=sys.stderr)
            else:
                print(f"added {doc_id} to {corpus} ({split})", file=sys.stderr)
    else:
        where = (
            f"in {corpus}" + (f" (now in {split})" if split else "")
            if args.replace
            else f"to {corpus} ({split})"
        )
        print(
            f"{verb} {len(done)} documents {where}: {done[0]} … {done[-1]} (--verbose names each)",
            file=sys.stderr,
        )
    return 0
