"""``newsbench export FORMAT [PATH…] --out DIR``: documents to an annotation-tool or corpus format.

The documents may come before or after ``--out DIR`` (``export brat --out DIR corpus/`` and ``export brat
corpus/ --out DIR`` are the same); with none, the corpus folder ``corpus`` is exported.

What the format cannot hold is listed on stderr and in ``DIR/export-notes.json``, never dropped silently.
The flat formats (``conll``, ``spacy``) write NAM mentions only unless ``--mention-kinds`` says otherwise:
their users read every tag as a named entity, and an import reads every tag back as NAM.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.commands.scoring import names
from newsbench.corpus import read_documents
from newsbench.formats.contract import FLAT_KINDS, NOTES_FILE, ExportOptions
from newsbench.formats.registry import EXPORT_FORMATS, exporter
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.ontology import ontology
from newsbench.problems import UsageError
from newsbench.wording import counted

FLAT_FORMATS = ("conll", "spacy")
"""Export formats with one flat layer of typed tags and no place for a mention's kind."""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help=SUMMARIES["export"],
        usage="%(prog)s FORMAT [PATH ...] --out DIR [--scheme SCHEME] [--mention-kinds KINDS] [--utf16]",
    )
    p.add_argument("format", choices=EXPORT_FORMATS, help="target format")
    paths = p.add_argument(
        "paths",
        nargs="+",
        default=[],
        type=Path,
        metavar="PATH",
        help="documents or folders (default: corpus)",
    )
    # "+" rather than "*": argparse fills a "*" positional with nothing as soon as it reads FORMAT, so
    # paths written after --out DIR would be refused; "+" waits for them. Not required, so none means corpus.
    paths.required = False
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the exported files")
    p.add_argument(
        "--scheme", default="IOB2", help="conll: tagging scheme, IOB1, IOB2 or IOBES (default IOB2)"
    )
    p.add_argument(
        "--mention-kinds",
        type=names,
        metavar="KINDS",
        help="conll, spacy: mention kinds written as tags, comma list of NAM,NOM,PRO (default: NAM, as "
        "scoring); the rest are listed as left out. brat and labelstudio keep every mention with its kind",
    )
    p.add_argument("--utf16", action="store_true", help="labelstudio: write offsets in UTF-16 code units")
    p.set_defaults(func=run)


def _kinds(args: argparse.Namespace) -> tuple[str, ...]:
    """The ``--mention-kinds`` of a flat export, in the ontology's order; refused where it means nothing."""
    if args.mention_kinds is None:
        return FLAT_KINDS
    if args.format not in FLAT_FORMATS:
        raise UsageError(
            f"--mention-kinds applies to {' and '.join(FLAT_FORMATS)}: {args.format} keeps every mention "
            "with its kind"
        )
    known = ontology().mention_kinds
    unknown = [k for k in args.mention_kinds if k not in known]
    if unknown or not args.mention_kinds:
        raise UsageError(
            f"--mention-kinds: mention kinds must be a non-empty subset of {', '.join(known)}, "
            f"not {list(args.mention_kinds)}"
        )
    return tuple(k for k in known if k in args.mention_kinds)


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    kinds = _kinds(args)
    docs = [item.document for item in read_documents(args.paths or [Path("corpus")])]
    options = ExportOptions(scheme=args.scheme, utf16=args.utf16, mention_kinds=kinds)
    result = exporter(args.format)(docs, out, options)
    notes = sorted(result.left_out)
    write_atomic(
        out / NOTES_FILE,
        dumps_canonical(
            {"format": args.format, "documents": len(docs), "left_out": [n.to_json() for n in notes]}
        ),
    )
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"{counted(len(docs), 'document')} exported to {out} ({counted(len(result.files), 'file')})",
        file=sys.stderr,
    )
    return 0
