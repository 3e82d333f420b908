"""``newsbench export FORMAT --out DIR [PATH…]``: documents to an annotation-tool or corpus format.

``--out`` takes the folder and then any documents, so ``export brat --out DIR corpus/`` works; paths may
also come before ``--out`` (argparse cannot otherwise read an optional positional list after an option).

What the format cannot hold is listed on stderr and in ``DIR/export-notes.json``, never dropped silently.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.corpus import read_documents
from newsbench.formats.contract import NOTES_FILE, ExportOptions
from newsbench.formats.registry import EXPORT_FORMATS, exporter
from newsbench.jsonio import dumps_canonical, write_atomic


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="write documents as BRAT, CoNLL, Label Studio or spaCy JSON")
    p.add_argument("format", choices=EXPORT_FORMATS, help="target format")
    p.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="documents or folders (default: corpus)"
    )
    p.add_argument(
        "--out",
        nargs="+",
        type=Path,
        required=True,
        metavar=("DIR", "PATH"),
        help="folder for the exported files, then optionally the documents or folders to export",
    )
    p.add_argument(
        "--scheme", default="IOB2", help="conll: tagging scheme, IOB1, IOB2 or IOBES (default IOB2)"
    )
    p.add_argument("--utf16", action="store_true", help="labelstudio: write offsets in UTF-16 code units")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out, *more = args.out
    docs = [item.document for item in read_documents([*args.paths, *more] or [Path("corpus")])]
    result = exporter(args.format)(docs, out, ExportOptions(scheme=args.scheme, utf16=args.utf16))
    notes = sorted(result.left_out)
    write_atomic(
        out / NOTES_FILE,
        dumps_canonical(
            {"format": args.format, "documents": len(docs), "left_out": [n.to_json() for n in notes]}
        ),
    )
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{len(docs)} document(s) exported to {out} ({len(result.files)} files)", file=sys.stderr)
    return 0
