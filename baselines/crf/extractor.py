"""``crf``: a linear-chain CRF (sklearn-crfsuite, L-BFGS) for named mentions.

It is the learned baseline: it has no model until one is trained on a track's training split, so the bench
calls :meth:`CRFExtractor.trained` with that split (served from the model cache when the same data and config
were trained on before) and runs the instance it returns. The trained model's key is part of the config, so it
is part of every prediction-cache key and run signature, and a worker process rebuilds the same extractor from
the config alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.baselines.crf.iob import decode
from newsbench.baselines.crf.training import CRFConfig, document_sequences, model_path, model_problem, train
from newsbench.extractor import Availability
from newsbench.model import Document, Mention
from newsbench.problems import NewsbenchError

if TYPE_CHECKING:  # sklearn-crfsuite loads scikit-learn: imported when a model is opened, not to list systems
    import sklearn_crfsuite

__all__ = ["CRFExtractor"]


class CRFExtractor(BaseExtractor):
    name = "crf"
    version = "1.0"
    default_config: ClassVar[dict[str, Any]] = {"model": None, **CRFConfig().to_json()}
    tasks: ClassVar[tuple[str, ...]] = ("entities",)
    needs_training: ClassVar[bool] = True
    """The bench trains it on a track's training split (:meth:`trained`) before running it there."""

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._model: sklearn_crfsuite.CRF | None = None

    @classmethod
    def availability_for(cls, train_docs: Sequence[Document]) -> Availability:
        """Whether a track with this training split can have a ``crf`` run, and if not, why."""
        if not train_docs:
            return Availability.missing("crf is trained at benchmark time and this corpus has no train split")
        kinds = set(CRFConfig.from_config(cls.default_config).kinds)
        if not any(m.kind in kinds for d in train_docs for m in d.mentions):
            return Availability.missing(
                f"the train split has no {'/'.join(sorted(kinds))} mentions to learn from"
            )
        return Availability.ok()

    @classmethod
    def trained(cls, train_docs: Sequence[Document], **config: Any) -> CRFExtractor:
        """An extractor whose model is trained on ``train_docs`` (or loaded from the model cache)."""
        model = train(train_docs, CRFConfig.from_config({**cls.default_config, **config}))
        return cls(**{**config, "model": model.key})

    def __getstate__(self) -> dict[str, Any]:
        """A loaded model holds an open crfsuite tagger, which cannot be pickled; a worker process reopens
        the model file from the key in the config."""
        return {**self.__dict__, "_model": None}

    def _open(self) -> sklearn_crfsuite.CRF:
        if self._model is None:
            key = self.config["model"]
            if not key:
                raise NewsbenchError(
                    "crf has no trained model: run it through `newsbench bench` on a track with a train split"
                )
            path = model_path(str(key))
            if not path.exists():
                raise NewsbenchError(
                    f"crf: model {key} is not in the model cache ({path}); rerun the bench to train it"
                )
            problem = model_problem(path)
            if problem is not None:  # never predict with a damaged model
                raise NewsbenchError(f"crf: model {path.name} {problem}; rerun the bench to train it again")
            import sklearn_crfsuite

            self._model = sklearn_crfsuite.CRF(model_filename=str(path))
        return self._model

    def extract(self, document: Document) -> Document:
        model = self._open()
        mentions: list[Mention] = []
        for features, tokens in document_sequences(document, bool(self.config["stack_rules"])):
            for start, end, label in decode(tokens, model.predict_single(features)):
                type_, _, kind = label.partition(".")
                mentions.append(Mention(f"m{len(mentions) + 1}", (document.span(start, end),), type_, kind))
        return self.prediction(document, mentions=tuple(mentions))
