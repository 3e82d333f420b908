"""Training the CRF, and the on-disk model cache keyed by what the model was trained on.

A model is a pure function of (training sequences, training config): its key hashes exactly those -- every
token's features and label -- so a cached model is reused only when retraining would give the same one, and
any change to the data, the config, the feature code, the gazetteer or the stacked rules' output trains
afresh.

Reproducibility: crfsuite's only random draws are the per-epoch instance shuffles of its stochastic trainers
(l2sgd and its learning-rate calibration, ap, pa, arow), made with C's ``rand()``, which python-crfsuite
gives no way to seed; so only L-BFGS, which draws nothing, is used, and there is no seed to set. Its feature
and label dictionaries follow the order instances are appended in, so documents are appended sorted by id:
the same data gives a byte-identical model file, whatever order it was handed over in.

On disk a model is ``crf-<key>.crfsuite`` and its card ``crf-<key>.json``, which records the model file's
sha256. A model is used only when its card is there, names its key and the digest matches; a damaged or
half-cached model is reported with a warning line (as any damaged cache entry, :mod:`newsbench.sealed`) and
trained again. Training holds the model folder's lock, so two processes needing the same model train it
once: the second waits, then finds it cached.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsbench.baselines.crf.features import Features, sentence_features
from newsbench.baselines.crf.gazetteer import place_phrases
from newsbench.baselines.crf.iob import TypedSpan, encode
from newsbench.baselines.crf.sentences import sentences
from newsbench.baselines.crf.stacking import rules_spans
from newsbench.cachedir import cache_root
from newsbench.digest import sha256_json
from newsbench.filelock import folder_lock
from newsbench.jsonio import dumps_canonical, replacing, write_atomic
from newsbench.model import Document
from newsbench.problems import NewsbenchError
from newsbench.progress import Progress, tracked
from newsbench.sealed import Damage
from newsbench.tokens import Token, tokenize

MODELS_SUBDIR = "models"
TRAIN_WAIT = 3600.0
"""Seconds a process waits for another that is training into the same model folder."""


def models_dir() -> Path:
    """``$NEWSBENCH_CACHE/models``, or ``.cache/newsbench/models`` under the working folder (never committed)."""
    return cache_root() / MODELS_SUBDIR


@dataclass(frozen=True)
class CRFConfig:
    """What training depends on besides the data: L1/L2 regularisation, the iteration cap, which mention
    kinds are learnt (``NAM`` alone is the named-entity view) and whether the rules baseline's mentions are
    features (:mod:`.stacking`). The regularisation defaults were chosen on GUM's dev split (never its test
    split), best strict F1 of eight (c1, c2) pairs with c1 from 0.02 to 0.5 and c2 from 0.001 to 0.1."""

    c1: float = 0.2
    c2: float = 0.01
    max_iterations: int = 200
    kinds: tuple[str, ...] = ("NAM",)
    stack_rules: bool = True

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CRFConfig:
        """The training part of an extractor config (other keys, such as ``model``, are not about training)."""
        return cls(
            c1=float(config.get("c1", cls.c1)),
            c2=float(config.get("c2", cls.c2)),
            max_iterations=int(config.get("max_iterations", cls.max_iterations)),
            kinds=tuple(config.get("kinds", cls.kinds)),
            stack_rules=bool(config.get("stack_rules", cls.stack_rules)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "c1": self.c1,
            "c2": self.c2,
            "max_iterations": self.max_iterations,
            "kinds": list(self.kinds),
            "stack_rules": self.stack_rules,
        }


def label_spans(doc: Document, kinds: Iterable[str]) -> list[TypedSpan]:
    """The mentions of the wanted kinds as ``(start, end, "TYPE.KIND")``; a discontinuous mention contributes
    its first span, the part a flat tagging can hold."""
    wanted = set(kinds)
    return [
        (m.spans[0].start, m.spans[0].end, f"{m.type}.{m.kind}") for m in doc.mentions if m.kind in wanted
    ]


def document_sequences(doc: Document, stack_rules: bool) -> list[tuple[list[Features], list[Token]]]:
    """(features, tokens) per sentence of a document: the CRF's view of a text."""
    phrases = place_phrases()
    hints = rules_spans(doc) if stack_rules else []
    out = []
    for tokens in sentences(doc.text, tokenize(doc.text)):
        labels = encode(tokens, hints) if stack_rules else []
        out.append((sentence_features(tokens, phrases, labels), tokens))
    return out


Sequences = list[tuple[list[Features], list[str]]]


def training_data(docs: Iterable[Document], config: CRFConfig) -> Sequences:
    """(features, IOB2 labels) per sentence, documents in id order."""
    out: Sequences = []
    ordered = sorted(docs, key=lambda d: d.id)
    for doc in tracked(ordered, len(ordered), "crf: reading training documents"):
        spans = label_spans(doc, config.kinds)
        for features, tokens in document_sequences(doc, config.stack_rules):
            out.append((features, encode(tokens, spans)))
    return out


def model_key(sequences: Sequences, config: CRFConfig) -> str:
    """sha256 of the config and of every training token's features and label, in training order."""
    payload = {"config": config.to_json(), "sequences": sequences}
    return sha256_json(payload)


@dataclass(frozen=True)
class CRFModel:
    """A trained model on disk: its key (the cache file name) and path."""

    key: str
    path: Path


def model_path(key: str, root: Path | None = None) -> Path:
    return (root or models_dir()) / f"crf-{key}.crfsuite"


def _fit(sequences: Sequences, config: CRFConfig, target: Path) -> None:
    """Train into a temporary file beside ``target`` and rename it into place, so a reader never opens a
    half-written model."""
    features = [f for f, _ in sequences]
    labels = [y for _, y in sequences]
    import pycrfsuite
    import sklearn_crfsuite  # loads scikit-learn; only training needs it

    bar = Progress(
        config.max_iterations, "crf: training (L-BFGS iterations, at most)", unit="it", leave=False
    )

    class Trainer(pycrfsuite.Trainer):  # type: ignore[misc]
        """crfsuite's trainer, advancing the bar at each iteration instead of printing its log (crfsuite
        hands the log over only to a verbose trainer)."""

        def __init__(self, algorithm: str, params: dict[str, Any], verbose: bool) -> None:
            super().__init__(algorithm=algorithm, params=params, verbose=True)

        def message(self, message: str) -> None:
            if self.logparser.feed(message) == "iteration":
                bar.advance()

    with replacing(target) as tmp, closing(bar):
        crf = sklearn_crfsuite.CRF(
            algorithm="lbfgs",
            c1=config.c1,
            c2=config.c2,
            max_iterations=config.max_iterations,
            all_possible_transitions=True,
            model_filename=str(tmp),
            trainer_cls=Trainer,
        )
        crf.fit(features, labels)


def model_problem(path: Path) -> str | None:
    """Why the cached model at ``path`` cannot be used (missing, no card, a card for another model, digest
    mismatch), or None.

    The card is not sealed itself (:mod:`newsbench.sealed`): what it vouches for is the model file, whose
    bytes its ``model_sha256`` covers; its other fields only describe the model and serve nothing.
    """
    try:
        card = json.loads(path.with_suffix(".json").read_bytes().decode("utf-8"))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError as exc:
        return f"{Path(str(exc.filename)).name} is missing"
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return f"cannot be read ({exc})"
    if not isinstance(card, dict) or card.get("key") != path.stem.removeprefix("crf-"):
        return "has a card that is not the one for this model (copied or edited)"
    if card.get("model_sha256") != digest:
        return "does not match the digest on its card (damaged or changed after training)"
    return None


def train(docs: Sequence[Document], config: CRFConfig, root: Path | None = None) -> CRFModel:
    """The model for ``docs`` under ``config``: served from the cache when present and intact, trained and
    cached if not.

    Raises :class:`NewsbenchError` when there is nothing to learn from.
    """
    sequences = training_data(docs, config)
    if not any(label != "O" for _, labels in sequences for label in labels):
        kinds = ", ".join(config.kinds)
        raise NewsbenchError(f"crf: the training documents hold no mentions of kind {kinds} to learn from")
    key = model_key(sequences, config)
    path = model_path(key, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(path.parent, exclusive=True, wait=TRAIN_WAIT, what="model cache"):
        problem = model_problem(path) if path.exists() else "absent"
        if problem is not None:
            if problem != "absent":
                Damage("crf model cache", "training it again").report(path.name, problem)
            _fit(sequences, config, path)
            card = {
                "key": key,
                "config": config.to_json(),
                "documents": sorted(d.id for d in docs),
                "model_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
            write_atomic(path.with_suffix(".json"), dumps_canonical(card))
    return CRFModel(key, path)
