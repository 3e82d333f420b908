"""What every format module takes and returns: import options, and the export report of what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

NOTES_FILE = "export-notes.json"
"""What an export left out, written beside its files; importers reading a folder skip it."""


@dataclass(frozen=True)
class ImportOptions:
    """Options an importer may use; each format reads only those that concern it.

    ``type_map`` names a type map (``schema/typemap.schema.json``) (a path, or a bare name of a shipped map);
    ``conllu`` is a folder of CoNLL-U files beside WebAnno TSV (for sentence text, part of speech and
    metadata); ``splits`` is a split list (GUM ``splits.md``); ``text_dir`` holds ``<stem>.txt`` originals for
    CoNLL alignment; ``utf16`` says offsets count UTF-16 code units (older Label Studio exports).
    """

    type_map: str | None = None
    conllu: Path | None = None
    splits: Path | None = None
    text_dir: Path | None = None
    scheme: str = "IOB2"
    utf16: bool = False
    drop_unknown: bool = False
    """Accept dropping annotations whose labels have no mapping (they are counted, never silent)."""
    default_kind: str | None = None
    """The kind of mentions the source gives none; without it such mentions make the import fail."""


FLAT_KINDS = ("NAM",)
"""The mention kinds a flat export (CoNLL columns, spaCy ``ents``) writes by default: its users read every
tag as a named entity, and an import of it reads every tag back as NAM, as scoring counts by default."""


@dataclass(frozen=True)
class ExportOptions:
    scheme: str = "IOB2"
    utf16: bool = False
    mention_kinds: tuple[str, ...] = FLAT_KINDS
    """The kinds of mention a flat format writes; the others are listed as left out. Formats that keep
    each mention's kind (BRAT, Label Studio) write every mention."""


@dataclass(frozen=True, order=True)
class LeftOut:
    """Annotations of one layer of one document that the target format cannot hold, and why."""

    document: str
    layer: str
    count: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"document": self.document, "layer": self.layer, "count": self.count, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.document}: left out {self.count} {self.layer}: {self.reason}"


@dataclass(frozen=True)
class ExportResult:
    files: tuple[Path, ...]
    left_out: tuple[LeftOut, ...] = field(default=())
