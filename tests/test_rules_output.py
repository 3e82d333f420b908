"""The rules system end to end: every prediction is valid, deterministic, and carries its system info."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsbench.baselines.rules import RulesExtractor
from newsbench.jsonio import dumps_document
from newsbench.model import Document, SystemInfo
from newsbench.problems import NewsbenchError
from newsbench.validate import validate_data

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_e5ff7c9162f697fe.txt"

_PIECES = [
    "Iraq", "Iraqi", "U.S.", "officials", "said", "told", "that", "attack", "killed", "John Smith", "Gen.", "Oct. 7",
    "According to", "“", "”", '"', "«", "»", "we", "its", "forces", "😀", "e\u0301", "\r\n", "\n", " ", ", ", ". ",
    "-", "’s", "(PMF)", "Popular Mobilization Forces", "last week", "2024", "\t",
]  # fmt: skip


def _check(text: str) -> Document:
    pred = RulesExtractor().extract(Document(id="t", text=text))
    assert validate_data(pred.to_json(), "t") == []
    return pred


def test_the_seed_prediction_is_valid_and_finds_all_three_layers() -> None:
    pred = _check(SEED.read_text(encoding="utf-8"))
    assert pred.mentions and pred.entities and pred.events and pred.quotes


@pytest.mark.parametrize(
    "text",
    [
        "😀 Iraq’s “forces” said 😀 that U.S. officials left.",
        "First line.\r\nU.S. officials told Reuters that e\u0301tienne Dupont had left.\r\n“Quote 😀 here,” he said.",
        "Cafe\u0301 owners in Mu\u0308nchen said: “We are closed.”",
        "\n\n  \r\n",
        "x",
        "“",
        "“”",
        "said said said that that",
    ],
)
def test_predictions_are_valid_on_awkward_text(text: str) -> None:
    _check(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=40))
def test_predictions_are_valid_on_generated_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assume(text)  # a document's text is never empty (the schema says so)
    _check(text)


def test_the_same_text_always_gives_the_same_prediction() -> None:
    doc = Document(id="seed", text=SEED.read_text(encoding="utf-8"))
    first, second = RulesExtractor().extract(doc), RulesExtractor().extract(doc)
    assert dumps_document(first.to_json()) == dumps_document(second.to_json())


def test_the_prediction_keeps_id_text_and_metadata_and_names_the_system() -> None:
    doc = Document(id="d9", text="Iraq said so.", title="T", source="S", published="2024-08-01")
    pred = RulesExtractor().extract(doc)
    assert (pred.id, pred.text, pred.title, pred.source, pred.published) == (
        "d9",
        "Iraq said so.",
        "T",
        "S",
        "2024-08-01",
    )
    assert pred.system == SystemInfo("rules", "1.0", {"kinds": ["NAM", "NOM", "PRO"]})


def test_the_kinds_config_limits_the_mentions_predicted() -> None:
    pred = RulesExtractor(kinds=["NAM"]).extract(Document(id="d", text="U.S. officials said they left Iraq."))
    assert [(m.text, m.kind) for m in pred.mentions] == [("U.S.", "NAM"), ("Iraq", "NAM")]
    assert validate_data(pred.to_json(), "d") == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"kind": ["NAM"]}, "unknown config key"),
        ({"kinds": ["NAME"]}, "kinds must be a non-empty list of NAM, NOM, PRO; got \\['NAME'\\]"),
        ({"kinds": []}, "kinds must be a non-empty list"),
        ({"kinds": "NAM"}, "kinds must be a non-empty list"),
    ],
)
def test_a_bad_config_is_refused(config: dict[str, object], message: str) -> None:
    with pytest.raises(NewsbenchError, match=message):
        RulesExtractor(**config)
