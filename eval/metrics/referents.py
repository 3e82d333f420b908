"""Which gold referent a predicted mention stands for, for coreference-aware argument and speaker scoring.

A predicted mention is aligned to the gold mentions with exactly the same spans; it then stands for their
entities (or, for a gold mention in no entity, for that mention alone). A predicted mention is therefore
credited with the right referent when it names the gold entity anywhere in the document, not only at the
annotated mention, and never when its span matches no gold mention at all.
"""

from __future__ import annotations

from collections import defaultdict

from newsbench.eval.metrics.lazy import lazy
from newsbench.model import Document, Mention
from newsbench.spans import Offsets, offsets

Referent = tuple[str, str]
"""``("entity", id)`` or, for a gold mention that belongs to no entity, ``("mention", id)``."""


class Referents:
    """The gold side's referents; indexes are built on first use, since most documents need few or none."""

    def __init__(self, gold: Document) -> None:
        self._gold = gold
        self._referent_spans: dict[Referent, frozenset[Offsets]] = {}

    @lazy
    def _entity_of(self) -> dict[str, str]:
        return self._gold.entity_of()

    @lazy
    def _members(self) -> dict[str, tuple[str, ...]]:
        return {e.id: e.mentions for e in self._gold.entities}

    @lazy
    def _mentions(self) -> dict[str, Mention]:
        return self._gold.mention_index()

    @lazy
    def _by_span(self) -> dict[Offsets, list[str]]:
        by_span: dict[Offsets, list[str]] = defaultdict(list)
        for m in self._gold.mentions:
            by_span[offsets(m.spans)].append(m.id)
        return by_span

    def gold_mention(self, mention_id: str) -> Mention | None:
        """The gold mention of that id, if any."""
        return self._mentions.get(mention_id)

    def of_gold(self, mention_id: str) -> Referent:
        entity = self._entity_of.get(mention_id)
        return ("entity", entity) if entity is not None else ("mention", mention_id)

    def of_pred(self, mention: Mention) -> frozenset[Referent]:
        """The referents of the gold mentions at the predicted mention's exact spans (empty when none)."""
        return frozenset(self.of_gold(g) for g in self._by_span.get(offsets(mention.spans), ()))

    def same(self, gold_mention_id: str, pred: Mention) -> bool:
        """Whether the predicted mention stands for the gold mention's referent (``of_gold in of_pred``),
        looking only at that referent's own mentions."""
        return offsets(pred.spans) in self._spans_of(self.of_gold(gold_mention_id))

    def _spans_of(self, referent: Referent) -> frozenset[Offsets]:
        """The spans of a referent's mentions, gathered once per referent: a long document's main entity
        has hundreds of mentions, and every quote it speaks asks about them."""
        found = self._referent_spans.get(referent)
        if found is None:
            kind, ident = referent
            members = self._members[ident] if kind == "entity" else (ident,)
            mentions = self._mentions
            found = frozenset([offsets(mentions[m].spans) for m in members if m in mentions])
            self._referent_spans[referent] = found
        return found
