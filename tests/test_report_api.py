"""Reading numbers from a Report in Python: f1(), table(), dataframe(), and the README's snippet running."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import valid_document
from evalfactory import prediction

from newsbench.eval import Report, score
from newsbench.eval.stats.sample import MIN_RELIABLE_DOCUMENTS
from newsbench.model import Document

ROOT = Path(__file__).parents[1]


def _report() -> Report:
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(3)]
    pred = [
        Document.from_json(prediction(g.to_json(), frozenset({"m4"}) if i else frozenset()))
        for i, g in enumerate(gold)
    ]
    return score(gold, pred, bootstrap=100)


def test_f1_reads_the_number_report_json_holds() -> None:
    report = _report()
    data = report.to_json()["tasks"]["entities"]["strict"]
    assert report.f1("entities", "strict") == pytest.approx(data["micro"]["f1"], abs=1e-6)
    label = next(iter(data["per_type"]))
    assert report.f1("entities", "strict", label) == pytest.approx(data["per_type"][label]["f1"], abs=1e-6)
    assert report.f1("entities", "strict", "NO_SUCH_TYPE") is None
    with pytest.raises(KeyError, match="scored metrics: entities/strict"):
        report.f1("entities", "no_such_metric")


def test_table_and_dataframe_hold_one_row_per_scored_metric() -> None:
    report = _report()
    rows = report.table()
    assert [(r.task, r.metric) for r in rows] == report.metrics()
    strict = next(r for r in rows if (r.task, r.metric) == ("entities", "strict"))
    micro = report.totals[("entities", "strict")].micro
    assert (strict.gold, strict.predicted, strict.f1) == (micro.pos, micro.act, micro.f1)
    frame = report.dataframe()
    assert list(frame.columns) == [
        "task",
        "metric",
        "precision",
        "recall",
        "f1",
        "ci_low",
        "ci_high",
        "gold",
        "predicted",
        "unreliable",
    ]
    assert len(frame) == len(rows)


def test_rows_flag_their_intervals_unreliable_below_the_small_sample_threshold() -> None:
    few = _report()  # 3 gold documents
    assert few.small_sample is not None
    assert all(row.unreliable for row in few.table())
    gold = [Document.from_json(valid_document(f"doc-{i}")) for i in range(MIN_RELIABLE_DOCUMENTS)]
    enough = score(gold, gold, bootstrap=20)
    assert enough.small_sample is None
    assert not any(row.unreliable for row in enough.table())


def test_the_readme_api_snippet_runs_and_prints_a_number() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- api-snippet -->\n```python\n(.*?)```", readme, re.S)
    assert found is not None
    out = subprocess.run(
        [sys.executable, "-c", found.group(1)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    first = out.splitlines()[0]
    assert 0 < float(first) <= 1, out
