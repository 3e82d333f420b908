"""The ``rules`` system: deterministic entities, events and quotes from word lists and patterns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from newsbench.baselines.base import BaseExtractor
from newsbench.model import Document
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError

from .coref import cluster, link_roles, resolve_pronouns, to_mentions
from .events import find_events
from .found import add_nesting, without_overlaps
from .names import find_names
from .nominals import find_nominals
from .quotes import find_quotes
from .times import find_times


class RulesExtractor(BaseExtractor):
    """No model and no randomness: the same text always gives the same prediction.

    Config ``kinds`` limits the mention kinds predicted (NAM, NOM, PRO); nominals and pronouns are found by
    lexicon only, so a user scoring names alone can leave them out.
    """

    name: ClassVar[str] = "rules"
    version: ClassVar[str] = "1.0"
    """Bump on every change of behaviour: cached predictions are keyed by it."""
    default_config: ClassVar[dict[str, Any]] = {"kinds": ["NAM", "NOM", "PRO"]}

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        kinds = self.config["kinds"]
        known = ontology().mention_kinds
        if not isinstance(kinds, list) or not kinds or any(k not in known for k in kinds):
            raise NewsbenchError(
                f"system rules: kinds must be a non-empty list of {', '.join(known)}; got {kinds!r}"
            )

    def extract(self, document: Document) -> Document:
        text = document.text
        kinds = set(self.config["kinds"])
        named = without_overlaps([find_names(text), find_times(text)])
        found = add_nesting(named, find_nominals(text, named))
        found = resolve_pronouns(text, link_roles(text, found))
        found = [f for f in found if f.kind in kinds]
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
