"""The built-in systems by their registered names, typed so the type checker holds each to the contract.

The registry finds systems through entry points, which a type checker cannot follow; this table names the
same classes directly, so ``mypy`` checks every built-in against :class:`newsbench.extractor.Extractor`
(and the ones given the train split against :class:`newsbench.extractor.Trainable`), and a test checks that the table
and the entry points in ``pyproject.toml`` agree.
"""

from __future__ import annotations

from newsbench.baselines.crf import CRFExtractor
from newsbench.baselines.llm import LLMExtractor
from newsbench.baselines.rules import RulesExtractor
from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.baselines.spacy_adapter import SpacyExtractor
from newsbench.extractor import Extractor, Trainable

BUILT_IN: dict[str, type[Extractor]] = {
    "crf": CRFExtractor,
    "empty": EmptyExtractor,
    "llm": LLMExtractor,
    "oracle": OracleExtractor,
    "rules": RulesExtractor,
    "spacy": SpacyExtractor,
}

TRAINABLE: dict[str, Trainable] = {"crf": CRFExtractor, "llm": LLMExtractor}
