"""Gold keeps every consistency rule; a prediction is refused only for what makes it unscorable.

A system can give an argument a role its event type does not allow, put mentions of different types in one
entity, or call a quote direct where there are no quotation marks: those are mistakes to score (and count),
not input to refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docfactory import valid_document

from newsbench.cli import main
from newsbench.validate import check_document, validate_data

SYSTEM = {"name": "s", "version": "1", "config": {}}


def _sloppy_prediction() -> dict[str, Any]:
    doc = valid_document()
    doc["events"][0]["arguments"][0]["role"] = "Victim"  # not a role of Conflict.Attack
    doc["entities"][1]["mentions"].append("m2")  # TIME mention in an ORG entity
    doc["entities"][3]["mentions"] = []
    doc["quotes"][0]["type"] = "direct"  # no quotation marks around it
    return doc


def test_gold_refuses_what_a_prediction_is_scored_for() -> None:
    doc = _sloppy_prediction()
    gold = check_document(doc, "f.json", prediction=False)
    pred = check_document(doc, "f.json", prediction=True)
    assert {p.path for p in gold.problems} >= {
        "$.events[0].arguments[0].role",
        "$.entities[1].mentions[1]",
        "$.quotes[0].content[0]",
    }
    assert not [p for p in pred.problems if not p.path.startswith("$.entities[3]")]
    assert sorted({rule for rule, _ in pred.tolerated}) == ["member type", "quote marks", "role"]


def test_unscorable_predictions_are_still_refused() -> None:
    doc = valid_document() | {"system": SYSTEM}
    doc["events"][0]["arguments"][0]["mention"] = "nope"  # dangling reference
    doc["mentions"][0]["spans"][0]["end"] = 10_000  # outside the text
    paths = {p.path for p in validate_data(doc, "f.json")}
    assert {"$.events[0].arguments[0].mention", "$.mentions[0].spans[0]"} <= paths


def test_score_counts_tolerated_problems_and_scores_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = valid_document()
    pred = _sloppy_prediction() | {"system": SYSTEM}
    del pred["entities"][3]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "pred.json").write_text(json.dumps(pred), encoding="utf-8")
    status = main(
        [
            "score",
            "--gold",
            str(tmp_path / "gold.json"),
            "--pred",
            str(tmp_path / "pred.json"),
            "--bootstrap",
            "0",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert (
        "4 prediction problems in 1 of 1 document scored as given: member type 1, quote marks 2, role 1"
        in out
    )
    # The same file as gold is refused.
    assert main(["validate", str(tmp_path / "gold.json")]) == 0
    pred_as_gold = tmp_path / "as-gold.json"
    pred_as_gold.write_text(json.dumps({k: v for k, v in pred.items() if k != "system"}), encoding="utf-8")
    assert main(["validate", str(pred_as_gold)]) == 1
