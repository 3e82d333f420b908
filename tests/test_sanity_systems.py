"""The sanity systems bound every metric: oracle (gold copied) scores 1, empty (nothing predicted) scores 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.corpus import read_document
from newsbench.eval.metrics.document import score_document
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.model import Document, SystemInfo
from newsbench.validate import validate_data

SEED_GOLD = Path(__file__).resolve().parent.parent / "corpus" / "documents" / "000_e5ff7c9162f697fe.json"


@pytest.fixture
def gold() -> Document:
    assert SEED_GOLD.is_file(), f"the seed's committed gold annotation {SEED_GOLD} is missing"
    return read_document(SEED_GOLD)


def test_only_the_oracle_asks_for_gold() -> None:
    assert (OracleExtractor.needs_gold, EmptyExtractor.needs_gold) == (True, False)


def test_oracle_returns_the_gold_annotations_as_its_prediction(gold: Document) -> None:
    pred = OracleExtractor().extract(gold)
    assert pred.system == SystemInfo("oracle", "1.0", {})
    assert (pred.id, pred.text) == (gold.id, gold.text)
    assert (pred.mentions, pred.entities, pred.events, pred.quotes) == (
        gold.mentions,
        gold.entities,
        gold.events,
        gold.quotes,
    )
    assert validate_data(pred.to_json(), "oracle") == []


def test_empty_predicts_nothing(gold: Document) -> None:
    pred = EmptyExtractor().extract(gold.blank())
    assert pred.system == SystemInfo("empty", "1.0", {})
    assert (pred.id, pred.text, pred.title) == (gold.id, gold.text, gold.title)
    assert (pred.mentions, pred.entities, pred.events, pred.quotes) == ((), (), (), ())
    assert validate_data(pred.to_json(), "empty") == []


@pytest.mark.parametrize(("system", "expected"), [(OracleExtractor(), 1.0), (EmptyExtractor(), 0.0)])
@pytest.mark.parametrize("kinds", [("NAM",), ("NAM", "NOM", "PRO")])
def test_every_metric_is_bounded_by_the_sanity_systems(
    gold: Document, system: OracleExtractor | EmptyExtractor, expected: float, kinds: tuple[str, ...]
) -> None:
    given = gold if system.needs_gold else gold.blank()
    result = score_document(gold, system.extract(given), ScoreOptions(mention_kinds=kinds))
    overall = {
        f"{task}/{metric}": counts.f1 for (task, metric, label), counts in result.stats.items() if not label
    }
    # A metric with no gold item is not applicable (None) for both; every defined one is at its bound.
    assert overall and all(f1 == expected for f1 in overall.values() if f1 is not None), overall
