"""Sanity systems that bound every metric: ``oracle`` (the gold, copied) scores 1, ``empty`` (nothing) scores 0.

If a leaderboard shows anything else for them, the harness -- not a system -- is wrong.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.model import Document


class OracleExtractor(BaseExtractor):
    """Returns the gold annotations as its prediction; the one system the runner gives the gold document."""

    name: ClassVar[str] = "oracle"
    version: ClassVar[str] = "1.0"
    needs_gold: ClassVar[bool] = True

    def extract(self, document: Document) -> Document:
        return replace(document, system=self.system_info)


class EmptyExtractor(BaseExtractor):
    """Predicts nothing: every recall is 0 and there is nothing to be precise about."""

    name: ClassVar[str] = "empty"
    version: ClassVar[str] = "1.0"

    def extract(self, document: Document) -> Document:
        return self.prediction(document)
