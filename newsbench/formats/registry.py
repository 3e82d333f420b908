"""Format names -> their modules; a module offers ``import_files`` and/or ``export_documents``.

Modules load on demand, so ``newsbench --help`` does not import every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from newsbench.formats.contract import ExportOptions, ExportResult, ImportOptions
from newsbench.model import Document
from newsbench.problems import NewsbenchError

Importer = Callable[[Sequence[Path], ImportOptions], list[Document]]
Exporter = Callable[[Sequence[Document], Path, ExportOptions], ExportResult]

MODULES = {
    "brat": "brat",
    "webanno": "webanno",
    "cat": "cat",
    "conll": "conll",
    "labelstudio": "labelstudio",
    "spacy": "spacy_json",
}
READERS = {"brat": "brat_read"}
"""Formats whose reading lives in a module of its own."""
IMPORT_FORMATS = ("brat", "webanno", "cat", "conll", "labelstudio")
EXPORT_FORMATS = ("brat", "conll", "labelstudio", "spacy")


def importer(name: str) -> Importer:
    if name not in IMPORT_FORMATS:
        raise NewsbenchError(f"cannot import {name!r}; formats: {', '.join(IMPORT_FORMATS)}")
    found: Importer = importlib.import_module(
        f"newsbench.formats.{READERS.get(name, MODULES[name])}"
    ).import_files
    return found


def exporter(name: str) -> Exporter:
    if name not in EXPORT_FORMATS:
        raise NewsbenchError(f"cannot export {name!r}; formats: {', '.join(EXPORT_FORMATS)}")
    found: Exporter = importlib.import_module(f"newsbench.formats.{MODULES[name]}").export_documents
    return found
