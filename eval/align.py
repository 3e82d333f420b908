"""Which gold referent a predicted mention stands for, for coreference-aware argument and speaker scoring.

A predicted mention is aligned to the gold mentions with exactly the same spans; it then stands for their
entities (or, for a gold mention in no entity, for that mention alone). A predicted mention is therefore
credited with the right referent when it names the gold entity anywhere in the document, not only at the
annotated mention, and never when its span matches no gold mention at all.
"""

from __future__ import annotations

from collections import defaultdict

from newsbench.eval.match import Offsets, offsets

from newsbench.model import Document, Mention

Referent = tuple[str, str]
"""``("entity", id)`` or, for a gold mention that belongs to no entity, ``("mention", id)``."""


class Referents:
    def __init__(self, gold: Document) -> None:
        self._entity_of = gold.entity_of()
        self._by_span: dict[Offsets, list[str]] = defaultdict(list)
        for m in gold.mentions:
            self._by_span[offsets(m.spans)].append(m.id)

    def of_gold(self, mention_id: str) -> Referent:
        entity = self._entity_of.get(mention_id)
        return ("entity", entity) if entity is not None else ("mention", mention_id)

    def of_pred(self, mention: Mention) -> frozenset[Referent]:
        """The referents of the gold mentions at the predicted mention's exact spans (empty when none)."""
        return frozenset(self.of_gold(g) for g in self._by_span.get(offsets(mention.spans), ()))
