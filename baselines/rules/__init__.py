"""The ``rules`` baseline: a deterministic extractor for entities, events and quotes, with no model."""

from .extractor import RulesExtractor

__all__ = ["RulesExtractor"]
