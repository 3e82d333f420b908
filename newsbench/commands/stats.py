"""``newsbench stats --corpus PATH``: the corpus summary table (documents, tokens, mentions, events, quotes)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import Corpus, corpus_summary, document_counts, load_corpus
from newsbench.model import Document
from newsbench.problems import UsageError
from newsbench.provenance import by_family, by_subset
from newsbench.table import text_table


def register(sub: Any) -> None:
    p = sub.add_parser("stats", help=SUMMARIES["stats"])
    p.add_argument("--corpus", type=Path, help="corpus folder or document file (default: corpus)")
    p.add_argument("path", type=Path, nargs="?", help=argparse.SUPPRESS)  # the older spelling: stats PATH
    p.add_argument("--split", choices=("train", "dev", "test"), help="only this split")
    p.add_argument(
        "--by",
        choices=("family", "subset", "split"),
        help="one row per source family, subset or split, with densities per 100 tokens",
    )
    p.set_defaults(func=run)


def density_rows(groups: dict[str, list[Document]]) -> list[list[object]]:
    """Documents, tokens and the layers per 100 tokens for each group: how completely each source is annotated."""
    rows: list[list[object]] = []
    for name, docs in groups.items():
        totals = {"tokens": 0, "mentions": 0, "events": 0, "quotes": 0}
        for doc in docs:
            counts = document_counts(doc)
            for key in totals:
                totals[key] += counts[key]
        per100 = [
            f"{100 * totals[k] / totals['tokens']:.2f}" if totals["tokens"] else "n/a"
            for k in ("mentions", "events", "quotes")
        ]
        rows.append(
            [
                name,
                len(docs),
                totals["tokens"],
                totals["mentions"],
                totals["events"],
                totals["quotes"],
                *per100,
            ]
        )
    return rows


DENSITY_HEADER = [
    "documents",
    "tokens",
    "mentions",
    "events",
    "quotes",
    "mentions/100",
    "events/100",
    "quotes/100",
]


def _groups(corpus: Corpus, docs: list[Document], by: str) -> dict[str, list[Document]]:
    if by == "family":
        return by_family(docs)
    if by == "subset":
        return by_subset(docs)
    return {name: [d for d in docs if corpus.splits.get(d.id) == name] for name in ("train", "dev", "test")}


def run(args: argparse.Namespace) -> int:
    if args.path is not None and args.corpus is not None:
        raise UsageError("stats reads one corpus: give --corpus PATH (or the older PATH), not both")
    corpus = load_corpus(args.corpus or args.path or Path("corpus"))
    docs = corpus.split(args.split)
    if args.by:
        rows = density_rows(_groups(corpus, docs, args.by))
        rows.append(density_rows({"all": docs})[0])
        print(text_table([args.by, *DENSITY_HEADER], rows))
        return 0
    summary = corpus_summary(docs)
    print(text_table(["corpus", "count"], sorted(summary["totals"].items())))
    for layer in ("mentions", "events", "quotes"):
        counts = sorted(summary[layer].items())
        print()
        print(text_table([f"{layer} by type", "count"], counts or [("(none)", 0)]))
    return 0
