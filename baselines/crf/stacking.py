"""Hints from the ``rules`` baseline as CRF features (stacking).

The rules extractor knows things twenty training documents cannot teach: reporting verbs, titles, name
lexicons. Its named mentions, IOB2-coded per token, become features, so the CRF learns when to trust them and
how the track's conventions differ from them (GUM puts "the" inside "the Kennedy Space Center"; ``rules`` does
not). The hints are part of the training sequences, so the model cache key, which hashes those sequences,
changes whenever the rules' output does.
"""

from __future__ import annotations

from functools import cache

from newsbench.baselines.crf.iob import TypedSpan
from newsbench.baselines.rules import RulesExtractor
from newsbench.model import Document


@cache
def _rules() -> RulesExtractor:
    return RulesExtractor()


def rules_spans(doc: Document) -> list[TypedSpan]:
    """The rules baseline's named mentions in ``doc`` as ``(start, end, type)`` (a discontinuous one by its
    extent)."""
    prediction = _rules().extract(doc.blank())
    return [(m.start, m.end, m.type) for m in prediction.mentions if m.kind == "NAM"]
