"""The ``spacy`` system: any installed spaCy pipeline with NER, its OntoNotes labels mapped onto ours.

Names come from the pipeline's entity recogniser, typed through the ``ontonotes`` type map and trimmed to
CoNLL-style name spans; spaCy's character offsets index the Python string, so they are already code points.
Quotes are found from quotation marks and speech cues and, when the pipeline has a dependency parser,
attributed by syntax (:mod:`newsbench.baselines.spacy_quotes`); without one, by proximity. spaCy does not
predict ACE events, so the events layer stays empty.

spaCy is an optional dependency (``pip install 'newsbench[spacy]'``) and pipelines are separate packages that
this project never downloads; both are imported only when the system is built, so listing systems stays fast.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.rules.lexicon import lexicon
from newsbench.baselines.rules.quotes import find_quotes
from newsbench.baselines.spacy_quotes import attribute
from newsbench.extractor import Availability
from newsbench.model import Document, Entity, Mention
from newsbench.spans import Span
from newsbench.typemap import load_type_map, types

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_PIPELINE = "en_core_web_sm"
LABEL_MAP = "ontonotes"
"""The shipped type map from OntoNotes labels (what spaCy's English pipelines predict) to ours."""
INSTALL_SPACY = "pip install 'newsbench[spacy]'"


def install_hint(pipeline: str) -> str:
    return f"python -m spacy download {pipeline}"


@dataclass(frozen=True)
class LabelMap:
    """How OntoNotes labels become entity types (see the notes of ``schema/typemaps/ontonotes.json``)."""

    labels: dict[str, str]
    demonym_labels: dict[str, str]
    strip_leading: frozenset[str]

    def type_of(self, label: str, text: str) -> str | None:
        """Our type for an entity with this label and text, or None when it is not one of our entities."""
        if label in self.labels:
            return self.labels[label]
        if label in self.demonym_labels and text in lexicon().demonyms:
            return self.demonym_labels[label]
        return None


@cache
def label_map() -> LabelMap:
    raw = load_type_map(LABEL_MAP)
    return LabelMap(
        labels={label: ours for label, ours in types(raw).items() if ours is not None},
        demonym_labels={
            label: ours for label, ours in types(raw, "demonym_types").items() if ours is not None
        },
        strip_leading=frozenset(w.lower() for w in raw.get("strip_leading", [])),
    )


def pipeline_installed(pipeline: str) -> bool:
    """A pipeline is a package (found without importing it) or a folder saved with ``nlp.to_disk``."""
    if Path(pipeline).is_dir():
        return True
    try:
        return importlib.util.find_spec(pipeline) is not None
    except (ImportError, ValueError):
        return False


def ner_mentions(doc: Doc) -> list[Mention]:
    """Name mentions from the recogniser's entities, in text order, with leading determiners left out."""
    mapping = label_map()
    found: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        tokens = list(ent)
        while len(tokens) > 1 and tokens[0].lower_ in mapping.strip_leading:
            tokens = tokens[1:]
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        etype = mapping.type_of(ent.label_, doc.text[start:end])
        if etype is not None:
            found.setdefault((start, end), etype)
    return [
        Mention(f"m{n}", (Span.of(doc.text, start, end),), etype, "NAM")
        for n, ((start, end), etype) in enumerate(sorted(found.items()), 1)
    ]


def cluster(mentions: Sequence[Mention]) -> list[Entity]:
    """Coreference by name: the same text and type is the same entity, and a one-word person name joins the
    earlier person whose name ends with it ("Ana Silva" ... "Silva")."""
    members: dict[tuple[str, str], list[str]] = {}
    surname: dict[str, tuple[str, str]] = {}
    for m in mentions:
        key = (m.type, m.text.casefold())
        if key not in members and m.type == "PER" and " " not in m.text and key[1] in surname:
            key = surname[key[1]]
        members.setdefault(key, []).append(m.id)
        if m.type == "PER" and " " in m.text:
            surname.setdefault(m.text.rsplit(maxsplit=1)[-1].casefold(), key)
    names = {m.id: m.text for m in mentions}
    return [
        Entity(f"e{n}", etype, tuple(ids), names[ids[0]])
        for n, ((etype, _), ids) in enumerate(members.items(), 1)
    ]


class SpacyExtractor(BaseExtractor):
    """Named entities from a spaCy pipeline, quotes attributed by dependency parse."""

    name: ClassVar[str] = "spacy"
    version: ClassVar[str] = "1.0"
    tasks: ClassVar[tuple[str, ...]] = ("entities", "quotes")
    default_config: ClassVar[dict[str, Any]] = {
        "pipeline": DEFAULT_PIPELINE,
        "pipeline_version": None,
    }

    def __init__(self, *, nlp: Language | None = None, **config: Any) -> None:
        """``nlp`` is an already built pipeline (tests, pipelines assembled in code); without it the pipeline
        named in config is loaded on first use. ``pipeline_version`` is filled in from the pipeline itself
        (whatever was passed), so upgrading the model changes the config hash and the prediction cache does not
        serve stale answers."""
        super().__init__(**config)
        self._nlp = nlp
        if nlp is not None:
            self.config["pipeline"] = f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}"
            self.config["pipeline_version"] = str(nlp.meta.get("version", "unknown"))
            return
        pipeline = str(self.config["pipeline"])
        if importlib.util.find_spec("spacy") is None:
            raise ValueError(f"spacy: spaCy is not installed; {INSTALL_SPACY}")
        if not pipeline_installed(pipeline):
            raise ValueError(f"spacy: no spaCy pipeline {pipeline!r} is installed; {install_hint(pipeline)}")
        import spacy.util

        self.config["pipeline_version"] = spacy.util.get_package_version(pipeline) or "unknown"

    @classmethod
    def availability(cls) -> Availability:
        if importlib.util.find_spec("spacy") is None:
            return Availability.missing(f"spaCy is not installed: {INSTALL_SPACY}")
        if not pipeline_installed(DEFAULT_PIPELINE):
            return Availability.missing(
                f"no spaCy pipeline {DEFAULT_PIPELINE} installed: {install_hint(DEFAULT_PIPELINE)}"
            )
        return Availability.ok()

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            import spacy

            self._nlp = spacy.load(str(self.config["pipeline"]))
        return self._nlp

    def from_spacy(self, document: Document, doc: Doc) -> Document:
        """The prediction for ``document`` given spaCy's analysis of its text."""
        if doc.text != document.text:
            raise ValueError(
                f"spacy: the pipeline changed the text of document {document.id}; offsets would not hold"
            )
        mentions = ner_mentions(doc)
        quotes = [replace(q, id=f"q{n}") for n, q in enumerate(find_quotes(document.text, mentions), 1)]
        if doc.has_annotation("DEP"):
            quotes = attribute(doc, quotes, mentions)
        return self.prediction(
            document, mentions=tuple(mentions), entities=tuple(cluster(mentions)), quotes=tuple(quotes)
        )

    def extract(self, document: Document) -> Document:
        return self.from_spacy(document, self.nlp(document.text))
