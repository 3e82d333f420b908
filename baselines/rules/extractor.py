"""The ``rules`` system: deterministic entities, events and quotes from word lists and patterns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from newsbench.baselines.base import Extractor
from newsbench.baselines.rules.coref import cluster, to_mentions
from newsbench.baselines.rules.events import find_events
from newsbench.baselines.rules.found import without_overlaps
from newsbench.baselines.rules.names import find_names
from newsbench.baselines.rules.nominals import find_nominals
from newsbench.baselines.rules.quotes import find_quotes
from newsbench.baselines.rules.times import find_times

from newsbench.model import Document


class RulesExtractor(Extractor):
    """No model and no randomness: the same text always gives the same prediction.

    Config ``kinds`` limits the mention kinds predicted (NAM, NOM, PRO); nominals and pronouns are found by
    lexicon only, so a user scoring names alone can leave them out.
    """

    name: ClassVar[str] = "rules"
    version: ClassVar[str] = "0.1"
    default_config: ClassVar[dict[str, Any]] = {"kinds": ["NAM", "NOM", "PRO"]}

    def extract(self, document: Document) -> Document:
        text = document.text
        kinds = set(self.config["kinds"])
        ranked = [find_names(text), find_times(text), find_nominals(text)]
        found = [f for f in without_overlaps(ranked) if f.kind in kinds]
        mentions = to_mentions(text, found)
        entities = cluster(found, mentions)
        events = find_events(text, mentions)
        quotes = [replace(q, id=f"q{i}") for i, q in enumerate(find_quotes(text, mentions), 1)]
        return self.prediction(
            document,
            mentions=tuple(mentions),
            entities=tuple(entities),
            events=tuple(events),
            quotes=tuple(quotes),
        )
