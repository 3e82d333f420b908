"""The reproducibility signature: every input and option that changes a number, in one short string.

In the spirit of sacrebleu's signature, two scores are comparable exactly when their signatures agree in
every field except ``pred`` (the system output). Gold and prediction hashes cover what scoring reads (each
document's id, text and annotations) in a fixed form, sorted by id, so reordering files, reformatting JSON or
editing metadata (title, source, the ``system`` block) does not change them while any change to a text or an
annotation does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from newsbench import __version__
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.gcpause import paused_gc
from newsbench.model import SCHEMA_VERSION, Document

PRED_FIELD = "pred"


def documents_hash(docs: Iterable[Document]) -> str:
    """SHA-256 of the documents sorted by id, one line of :func:`scored_content` each.

    A line is the compact JSON of the document's scored content as Python writes it,
    ``json.dumps(content, separators=(",", ":"))``, followed by ``"\\n"``: ASCII, with every non-ASCII
    character escaped as lowercase ``\\uXXXX`` (an astral one as its UTF-16 surrogate pair) and Python's
    short escapes for ``\\b \\f \\n \\r \\t``; other JSON writers need those settings to give the same
    bytes. ASCII because it is Python's default and a sixth faster to write than UTF-8. Positional arrays
    rather than the file's objects: the hash is part of every report, and building and sorting the objects'
    keys took twice as long as scoring a document's quotes. The tests recompute it from document files with
    ``json`` and ``hashlib`` alone.
    """
    digest = DocumentsHash()
    with paused_gc():
        for doc in sorted(docs, key=lambda d: d.id):
            digest.add(doc)
    return digest.hexdigest()


class DocumentsHash:
    """:func:`documents_hash` built one document at a time, for readers that keep no documents: add them
    in id order and the digest is the same."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, doc: Document) -> None:
        self._digest.update(hash_line(doc))

    def add_line(self, line: bytes) -> None:
        """A document's :func:`hash_line`, made elsewhere (in a worker process)."""
        self._digest.update(line)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def hash_line(doc: Document) -> bytes:
    """The document's line of :func:`documents_hash`.

    The id and the text go through Python's encoder, which writes a string in one C call; the annotations,
    many small arrays, go through orjson, four times faster, which writes the same bytes as Python's encoder
    for everything below U+007F (numbers, null, and strings with their escapes of control characters,
    quotes and backslashes). Annotations holding U+007F or above, which orjson writes as they are, or a
    value orjson refuses (an integer over 64 bits), are left to Python's encoder.
    """
    content = scored_content(doc)
    annotations = content[2:]
    try:
        rest = orjson.dumps(annotations)
    except orjson.JSONEncodeError:
        rest = b""
    if not rest or not rest.isascii() or b"\x7f" in rest:
        rest = _ENCODER.encode(annotations).encode("ascii")
    head = f"[{_ENCODER.encode(content[0])},{_ENCODER.encode(content[1])},".encode("ascii")
    return head + rest[1:] + b"\n"


_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False)
"""``check_circular`` off: :func:`scored_content` builds fresh arrays, so no cycle can occur, and the check
(a set of every array's id) took three quarters of the encoding time."""


def scored_content(doc: Document) -> list[Any]:
    """What scoring reads from a document, as positional arrays (``null`` for an absent optional value)::

        [id, text,
         [[mention id, type, kind, [[start, end], …]], …],
         [[entity id, type, [mention id, …], name, [[db, id], …]], …],
         [[event id, type, [start, end], [[role, mention id], …], polarity, modality, genericity, tense], …],
         [[cluster id, [event id, …]], …],
         [[quote id, type, [[start, end], …], [start, end] or null, speaker, addressee, medium], …],
         [[start, end], …]]                       (ignore regions)

    Layers and items keep the document's order. Span texts are left out: a valid document's span text is
    ``text[start:end]``, which the text already fixes.
    """
    return [
        doc.id,
        doc.text,
        [[m.id, m.type, m.kind, [[s.start, s.end] for s in m.spans]] for m in doc.mentions],
        [[e.id, e.type, e.mentions, e.name, [[k.db, k.id] for k in e.links]] for e in doc.entities],
        [
            [
                e.id,
                e.type,
                [e.trigger.start, e.trigger.end],
                [[a.role, a.mention] for a in e.arguments],
                e.polarity,
                e.modality,
                e.genericity,
                e.tense,
            ]
            for e in doc.events
        ],
        [[c.id, c.events] for c in doc.event_coreference],
        [
            [
                q.id,
                q.type,
                [[s.start, s.end] for s in q.content],
                [q.cue.start, q.cue.end] if q.cue else None,
                q.speaker,
                q.addressee,
                q.medium,
            ]
            for q in doc.quotes
        ],
        [[s.start, s.end] for s in doc.ignore],
    ]


def _overlap(value: float) -> str:
    return "any" if value == 0 else f"{value:g}"


@dataclass(frozen=True)
class Signature:
    """A signature's fields in order; rendered as ``name:value|name:value|…`` and parsed back here only.

    A value may itself hold ':' (``gold:sha256=…`` splits at the first one).
    """

    fields: tuple[tuple[str, str], ...]

    @classmethod
    def of(
        cls, gold_hash: str, pred_hash: str, options: ScoreOptions, suite_hash: str | None = None
    ) -> Signature:
        """The signature of scoring predictions ``pred_hash`` against gold ``gold_hash`` with ``options``."""
        fields = [
            ("newsbench", ".".join(__version__.split(".")[:2])),
            ("schema", SCHEMA_VERSION),
            ("gold", f"sha256={gold_hash}"),
            (PRED_FIELD, f"sha256={pred_hash}"),
            ("tasks", ",".join(options.tasks)),
            ("kinds", ",".join(options.mention_kinds)),
            *([("types", ",".join(options.types))] if options.types else []),
            ("match", "optimal"),
            ("overlap", _overlap(options.overlap)),
            ("partial", options.partial_credit),
            ("args", options.argument_match),
            ("avg", "micro"),
            ("bs", str(options.bootstrap)),
            ("seed", str(options.seed)),
        ]
        if suite_hash is not None:
            fields.append(("suite", f"sha256={suite_hash}"))
        return cls(tuple(fields))

    @classmethod
    def parse(cls, text: str) -> Signature:
        """The signature ``text`` renders; anything else is refused."""
        fields: dict[str, str] = {}
        for part in text.split("|"):
            name, sep, value = part.partition(":")
            if not sep or not name:
                raise ValueError(f"not a newsbench signature field: {part!r}")
            fields[name] = value
        return cls(tuple(fields.items()))

    def __str__(self) -> str:
        return "|".join(f"{name}:{value}" for name, value in self.fields)

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)

    def with_field(self, name: str, value: str) -> Signature:
        """The same signature with one field's value replaced (``pred:*`` for a set of systems)."""
        return Signature(tuple((n, value if n == name else v) for n, v in self.fields))

    def comparable_to(self, other: Signature) -> bool:
        """True when both agree on every field but ``pred``: same gold, options and version."""
        mine, theirs = self.as_dict(), other.as_dict()
        mine.pop(PRED_FIELD, None)
        theirs.pop(PRED_FIELD, None)
        return mine == theirs


def make_signature(
    gold_hash: str, pred_hash: str, options: ScoreOptions, suite_hash: str | None = None
) -> str:
    """``newsbench:0.1|schema:1.0|gold:sha256=…|pred:sha256=…|tasks:…|kinds:…|match:optimal|…|seed:…``."""
    return str(Signature.of(gold_hash, pred_hash, options, suite_hash))


def comparable(first: str, second: str) -> bool:
    """True when the two signatures agree on every field but ``pred``: same gold, options and version."""
    return Signature.parse(first).comparable_to(Signature.parse(second))
