"""``newsbench import FORMAT SRC… --out DIR``: annotation-tool or corpus files to validated newsbench documents.

The module is ``import_`` because ``import`` is a Python keyword; the verb is ``import``. The output folder
holds one ``<id>.json`` per document, ready for ``newsbench add DIR``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES
from newsbench.formats.builder import MISSING_KIND
from newsbench.formats.contract import ImportOptions
from newsbench.formats.output import write_documents
from newsbench.formats.registry import IMPORT_FORMATS, importer
from newsbench.problems import NewsbenchError
from newsbench.wording import counted


def register(sub: Any) -> None:
    p = sub.add_parser("import", help=SUMMARIES["import"])
    p.add_argument("format", choices=IMPORT_FORMATS, help="source format")
    p.add_argument("sources", nargs="+", type=Path, metavar="SRC", help="files or folders to import")
    p.add_argument("--out", type=Path, required=True, help="folder for the documents (one JSON each)")
    p.add_argument(
        "--typemap", help="type map: a shipped name (gum, meantime, inception-ner) or a .json path"
    )
    p.add_argument(
        "--conllu", type=Path, help="webanno: folder of CoNLL-U files beside the TSV (text, POS, metadata)"
    )
    p.add_argument("--splits", type=Path, help="webanno: GUM splits.md, to record each document's split")
    p.add_argument("--text-dir", type=Path, help="conll: folder of <stem>.txt originals to align tokens to")
    p.add_argument(
        "--scheme", default="IOB2", help="conll: tagging scheme, IOB1, IOB2 or IOBES (default IOB2)"
    )
    p.add_argument("--utf16", action="store_true", help="labelstudio: offsets count UTF-16 code units")
    p.add_argument(
        "--drop-unknown",
        action="store_true",
        help="import even when some labels or attribute values have no mapping: drop those annotations and "
        "list them (without it such an import fails, naming each label and its count)",
    )
    p.add_argument(
        "--default-kind",
        choices=("NAM", "NOM", "PRO"),
        help="the kind of mentions the source gives none (without it such mentions make the import fail; "
        "conll: default NAM)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = ImportOptions(
        type_map=args.typemap,
        conllu=args.conllu,
        splits=args.splits,
        text_dir=args.text_dir,
        scheme=args.scheme,
        utf16=args.utf16,
        drop_unknown=args.drop_unknown,
        default_kind=args.default_kind,
    )
    docs = importer(args.format)(args.sources, options)
    if not docs:
        sources = ", ".join(str(p) for p in args.sources)
        raise NewsbenchError(f"nothing to import: no {args.format} document in {sources}")
    write_documents(docs, args.out)
    for doc in docs:
        print(f"imported {doc.id}{_losses(doc.meta.get('import', {}).get('dropped', {}))}", file=sys.stderr)
        for warning in doc.meta.get("import", {}).get("warnings", []):
            print(f"warning: {doc.id}: {warning}", file=sys.stderr)
    print(f"{counted(len(docs), 'document')} written to {args.out}", file=sys.stderr)
    return 0


def _losses(dropped: dict[str, int]) -> str:
    """`` (dropped: 2 spans typed Person; kind set to NAM for 3 mentions that had none)``, or nothing.

    Mentions given ``--default-kind`` are kept, so they are said apart from what was dropped, although
    ``meta.import.dropped`` records them too (what the source did not say is still a loss of information).
    """
    missing = MISSING_KIND.split("{", 1)[0]
    parts = []
    lost = "; ".join(f"{n} {what}" for what, n in dropped.items() if not what.startswith(missing))
    if lost:
        parts.append(f"dropped: {lost}")
    for what, n in dropped.items():
        if what.startswith(missing):
            kind = what[len(missing) :].removesuffix(")")
            parts.append(f"kind set to {kind} for {counted(n, 'mention')} that had none")
    return f" ({'; '.join(parts)})" if parts else ""
