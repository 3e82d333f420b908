"""A system declares the tasks it attempts; a task it does not attempt is *not attempted*, not F1 0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from conftest import REPO
from jsonschema import Draft202012Validator
from test_bench import entry, write_suite

from newsbench.baselines.sanity import EmptyExtractor, OracleExtractor
from newsbench.eval.bench.benchmark import RunSettings, run_suite
from newsbench.eval.bench.leaderboard import render_html, render_markdown
from newsbench.eval.bench.suite import load_suite


class NamesOnly(EmptyExtractor):
    """An entity tagger: it declares that it does not attempt events or quotes."""

    name: ClassVar[str] = "names-only"
    tasks: ClassVar[tuple[str, ...]] = ("entities",)


def test_a_task_a_system_does_not_attempt_is_not_ranked_and_not_shown_as_zero(tmp_path: Path) -> None:
    folder = write_suite(tmp_path)
    entries = {"oracle": entry(OracleExtractor), "names-only": entry(NamesOnly)}
    result = run_suite(load_suite(folder / "suite.toml"), entries, folder / "runs", RunSettings(None))
    (section,) = result.leaderboard["sections"]
    quotes = section["tasks"]["quotes"]
    assert quotes["not_attempted"] == ["names-only"]
    assert [row["system"] for row in quotes["ranking"]] == ["oracle"]
    entities = section["tasks"]["entities"]
    assert entities["not_attempted"] == [] and {r["system"] for r in entities["ranking"]} == {
        "oracle",
        "names-only",
    }
    for text in (render_markdown(result.leaderboard), render_html(result.leaderboard)):
        assert "not attempted by names-only" in text
    summary = json.loads((result.sections[0].folder / "summary.json").read_text(encoding="utf-8"))
    (names_only,) = [s for s in summary["systems"] if s["name"] == "names-only"]
    assert names_only["not_attempted"] == ["quotes"] and "quotes" not in names_only["scores"]
    report = json.loads(
        (result.sections[0].folder / "reports" / "names-only" / "report.json").read_text(encoding="utf-8")
    )
    assert report["not_attempted"] == ["quotes"] and report["tasks"]["quotes"] == {}
    schema = json.loads((REPO / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(report)) == []
    assert report["tasks"]["entities"]["strict"]["micro"]["f1"] == 0  # attempted, found nothing: a real 0
    markdown = (result.sections[0].folder / "reports" / "names-only" / "report.md").read_text(
        encoding="utf-8"
    )
    assert "Not attempted: quotes" in markdown
    compared = (result.sections[0].folder / "comparison.md").read_text(encoding="utf-8")
    quote_rows = [line for line in compared.splitlines() if line.startswith("| quotes | end_to_end |")]
    assert quote_rows and all("not attempted" in line for line in quote_rows[:1])
    data = json.loads((result.sections[0].folder / "comparison.json").read_text(encoding="utf-8"))
    assert "names-only" not in data["scores"]["quotes"]["end_to_end"]


def test_the_built_in_systems_declare_the_tasks_they_attempt() -> None:
    from newsbench.baselines.systems import BUILT_IN
    from newsbench.extractor import attempted_tasks

    declared = {name: attempted_tasks(cls) for name, cls in BUILT_IN.items()}
    assert declared["crf"] == ("entities",) and declared["spacy"] == ("entities", "quotes")
    assert all(
        declared[name] == ("entities", "events", "quotes") for name in ("rules", "llm", "oracle", "empty")
    )
