"""``newsbench agree A B [--out DIR]``: inter-annotator agreement of two annotations of the same documents.

Each side is a folder or file of newsbench JSON documents, or of any importable format (``--format``, or
``--format-a`` / ``--format-b`` when the two sides differ). The summary is printed; ``--out`` also writes
``agreement.json`` (canonical) and ``agreement.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.corpus import read_documents
from newsbench.eval.agreement.markdown import agreement_markdown, f1_rows
from newsbench.eval.agreement.measure import agreement, disagreement_kind
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.model import Document
from newsbench.problems import UsageError
from newsbench.table import text_table

DEFAULTS = ScoreOptions()


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def register(sub: Any) -> None:
    from newsbench.formats.registry import IMPORT_FORMATS

    p = sub.add_parser("agree", help=SUMMARIES["agree"])
    p.add_argument("a", type=Path, metavar="A", help="first annotation: folder or file")
    p.add_argument(
        "b", type=Path, metavar="B", help="second annotation of the same documents: folder or file"
    )
    p.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="import both sides from this format (default: newsbench JSON)",
    )
    p.add_argument("--format-a", choices=IMPORT_FORMATS, help="import side A from this format")
    p.add_argument("--format-b", choices=IMPORT_FORMATS, help="import side B from this format")
    p.add_argument("--typemap", help="type map for imported sides: a shipped name or a .json path")
    p.add_argument(
        "--tasks", type=_names, default=DEFAULTS.tasks, help=f"comma list (default: {','.join(TASKS)})"
    )
    p.add_argument(
        "--mention-kinds",
        type=_names,
        default=("NAM", "NOM", "PRO"),
        help="mention kinds compared, comma list of NAM,NOM,PRO (default: all)",
    )
    p.add_argument(
        "--overlap",
        type=float,
        default=DEFAULTS.overlap,
        help="least fraction of a span the other side must cover in lenient modes (default: 0 = any)",
    )
    p.add_argument(
        "--partial",
        choices=("half", "graded"),
        default=DEFAULTS.partial_credit,
        help=f"credit of a partial match: half, or graded by character-overlap F1 (default: {DEFAULTS.partial_credit})",
    )
    p.add_argument("--out", type=Path, help="folder for agreement.json and agreement.md")
    p.set_defaults(func=run)


def _load(
    path: Path, fmt: str | None, typemap: str | None, locations: dict[tuple[str, str], str]
) -> list[Document]:
    """One side's documents; the file each came from goes into ``locations`` (see :func:`agreement`)."""
    if fmt is None:
        loaded = read_documents([path])
        locations.update({(str(path), item.document.id): item.file for item in loaded})
        return [item.document for item in loaded]
    from newsbench.formats.contract import ImportOptions
    from newsbench.formats.registry import importer

    return importer(fmt)([path], ImportOptions(type_map=typemap))


def run(args: argparse.Namespace) -> int:
    if args.typemap is not None and not (args.format or args.format_a or args.format_b):
        raise UsageError("--typemap applies to imported sides: give --format, --format-a or --format-b")
    locations: dict[tuple[str, str], str] = {}
    a_docs = _load(args.a, args.format_a or args.format, args.typemap, locations)
    b_docs = _load(args.b, args.format_b or args.format, args.typemap, locations)
    result = agreement(
        a_docs,
        b_docs,
        str(args.a),
        str(args.b),
        locations,
        tasks=args.tasks,
        mention_kinds=args.mention_kinds,
        overlap=args.overlap,
        partial_credit=args.partial,
    )
    print(text_table(("layer", "metric", "F1 A ref %", "F1 B ref %"), f1_rows(result)))
    kappa = result.tokens.kappa
    print()
    print(
        f"tokens: {result.tokens.tokens}, Cohen's kappa: {'undefined' if kappa is None else f'{kappa:.4f}'}"
    )
    kinds = Counter(disagreement_kind(record) for record in result.disagreements)
    by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    print(f"disagreements: {len(result.disagreements)}" + (f" ({by_kind})" if by_kind else ""))
    if args.out is not None:
        for name, content in (
            ("agreement.json", dumps_canonical(result.to_json())),
            ("agreement.md", agreement_markdown(result)),
        ):
            write_atomic(args.out / name, content)
            print(f"wrote {args.out / name}", file=sys.stderr)
    return 0
