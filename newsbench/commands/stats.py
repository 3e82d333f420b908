"""``newsbench stats PATH``: the corpus summary table (documents, tokens, mentions, events, quotes)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from newsbench.corpus import corpus_summary, load_corpus
from newsbench.table import text_table


def register(sub: Any) -> None:
    p = sub.add_parser("stats", help="summary table of a corpus")
    p.add_argument(
        "path", type=Path, nargs="?", default=Path("corpus"), help="corpus folder (default: corpus)"
    )
    p.add_argument("--split", choices=("train", "dev", "test"), help="only this split")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.path)
    summary = corpus_summary(corpus.split(args.split))
    print(text_table(["corpus", "count"], sorted(summary["totals"].items())))
    for layer in ("mentions", "events", "quotes"):
        rows = sorted(summary[layer].items())
        print()
        print(text_table([f"{layer} by type", "count"], rows or [("(none)", 0)]))
    return 0
