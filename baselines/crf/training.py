"""Training the CRF, and the on-disk model cache keyed by what the model was trained on.

A model is a pure function of (training sequences, training config, feature version): its key hashes exactly
those, so a cached model is reused only when retraining would give the same one, and any change to the data or
the config trains afresh. Training uses L-BFGS, which has no random state: crfsuite draws random numbers only
to shuffle instances for its stochastic trainers (l2sgd, ap, pa, arow), which are therefore not offered. The
feature and label dictionaries follow the order instances are appended in, so documents are appended sorted
by id: the same data gives a byte-identical model file, whatever order it was handed over in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite
from newsbench.baselines.crf.features import FEATURES_VERSION, Features, sentence_features
from newsbench.baselines.crf.gazetteer import place_phrases
from newsbench.baselines.crf.iob import TypedSpan, encode
from newsbench.baselines.crf.sentences import sentences
from newsbench.eval.cache import DEFAULT_ROOT, ENV_VAR

from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.model import Document
from newsbench.problems import NewsbenchError
from newsbench.tokens import Token, tokenize

MODELS_SUBDIR = "models"


def models_dir() -> Path:
    """``$NEWSBENCH_CACHE/models``, or ``.cache/newsbench/models`` under the working folder (never committed)."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_ROOT) / MODELS_SUBDIR


@dataclass(frozen=True)
class CRFConfig:
    """What training depends on besides the data: L1/L2 regularisation, the iteration cap, and which mention
    kinds are learnt (``NAM`` alone is the named-entity view)."""

    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 200
    kinds: tuple[str, ...] = ("NAM",)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CRFConfig:
        """The training part of an extractor config (other keys, such as ``model``, are not about training)."""
        return cls(
            c1=float(config.get("c1", cls.c1)),
            c2=float(config.get("c2", cls.c2)),
            max_iterations=int(config.get("max_iterations", cls.max_iterations)),
            kinds=tuple(config.get("kinds", cls.kinds)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.max_iterations,
            "kinds": list(self.kinds),
        }


def label_spans(doc: Document, kinds: Iterable[str]) -> list[TypedSpan]:
    """The mentions of the wanted kinds as ``(start, end, "TYPE.KIND")``; a discontinuous mention contributes
    its first span, the part a flat tagging can hold."""
    wanted = set(kinds)
    return [
        (m.spans[0].start, m.spans[0].end, f"{m.type}.{m.kind}") for m in doc.mentions if m.kind in wanted
    ]


def document_sequences(doc: Document) -> list[tuple[list[Features], list[Token]]]:
    """(features, tokens) per sentence of a document: the CRF's view of a text."""
    phrases = place_phrases()
    out = [(sentence_features(s, phrases), s) for s in sentences(doc.text, tokenize(doc.text))]
    if os.environ.get("STACK"):
        from newsbench.baselines.rules import RulesExtractor
        global _RX
        try: _RX
        except NameError: _RX = RulesExtractor()
        pred = _RX.extract(doc.blank())
        spans = [(m.start, m.end, m.type) for m in pred.mentions if m.kind == "NAM"]
        for feats, toks in out:
            labels = encode(toks, spans)
            for i, f in enumerate(feats):
                f["rules"] = labels[i]
                if i > 0: f["-1:rules"] = labels[i-1]
                if i < len(feats) - 1: f["1:rules"] = labels[i+1]
    return out


def training_data(docs: Iterable[Document], config: CRFConfig) -> list[tuple[list[Features], list[str]]]:
    """(features, IOB2 labels) per sentence, documents in id order."""
    out: list[tuple[list[Features], list[str]]] = []
    for doc in sorted(docs, key=lambda d: d.id):
        spans = label_spans(doc, config.kinds)
        for features, tokens in document_sequences(doc):
            out.append((features, encode(tokens, spans)))
    return out


def model_key(docs: Sequence[Document], config: CRFConfig) -> str:
    """sha256 of the training texts, their labelled spans, the config and the feature version."""
    data = [
        [d.id, hashlib.sha256(d.text.encode("utf-8")).hexdigest(), sorted(label_spans(d, config.kinds))]
        for d in sorted(docs, key=lambda d: d.id)
    ]
    payload = {"features": FEATURES_VERSION, "config": config.to_json(), "data": data}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CRFModel:
    """A trained model on disk: its key (the cache file name) and path."""

    key: str
    path: Path


def model_path(key: str, root: Path | None = None) -> Path:
    return (root or models_dir()) / f"crf-{key}.crfsuite"


def _fit(sequences: Sequence[tuple[list[Features], list[str]]], config: CRFConfig, target: Path) -> None:
    """Train into a temporary file beside ``target`` and rename it into place, so a reader never opens a
    half-written model."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(
        {
            "c1": config.c1,
            "c2": config.c2,
            "max_iterations": config.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    for features, labels in sequences:
        trainer.append(features, labels)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        trainer.train(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def train(docs: Sequence[Document], config: CRFConfig, root: Path | None = None) -> CRFModel:
    """The model for ``docs`` under ``config``: served from the cache when present, trained and cached if not.

    Raises :class:`NewsbenchError` when there is nothing to learn from.
    """
    sequences = training_data(docs, config)
    if not any(label != "O" for _, labels in sequences for label in labels):
        kinds = ", ".join(config.kinds)
        raise NewsbenchError(f"crf: the training documents hold no mentions of kind {kinds} to learn from")
    key = model_key(docs, config)
    path = model_path(key, root)
    if not path.exists():
        _fit(sequences, config, path)
        card = {
            "key": key,
            "config": config.to_json(),
            "features": FEATURES_VERSION,
            "documents": sorted(d.id for d in docs),
        }
        write_atomic(path.with_suffix(".json"), dumps_canonical(card))
    return CRFModel(key, path)
