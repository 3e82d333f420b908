"""``newsbench score`` and ``newsbench compare`` end to end through the CLI entry point, on files in tmp."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from docfactory import valid_document, write_documents
from evalfactory import prediction

from newsbench.cli import main
from newsbench.eval import score
from newsbench.model import Document
from newsbench.problems import PredictionProblems


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_documents(tmp_path / "gold", [valid_document(f"doc-{i}") for i in range(4)])


def _pred(tmp_path: Path, name: str, drop: frozenset[str] = frozenset(), ids: range = range(4)) -> Path:
    return write_documents(tmp_path / name, [prediction(valid_document(f"doc-{i}"), drop) for i in ids])


def test_score_prints_a_summary_and_writes_four_files(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pred = _pred(tmp_path, "pred", frozenset({"m4"}))
    out = tmp_path / "out"
    assert (
        main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(out), "--bootstrap", "200"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "entities  strict" in printed and "signature: newsbench:0.1|" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "errors.jsonl",
        "report.html",
        "report.json",
        "report.md",
    ]
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["tasks"]["entities"]["strict"]["micro"]["recall"] == 0.8  # 16 of 20 named mentions
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    strict = [e for e in errors if "strict" in e["metrics"]]
    # Springfield is missed once in each of the 4 documents: one record each, whatever the modes.
    assert [(e["gold"]["text"], e["reason"]) for e in strict] == [("Springfield", "missed")] * 4
    assert strict[0]["metrics"] == ["strict", "exact", "type", "partial"]


def test_cli_and_python_api_give_the_same_report(gold: Path, tmp_path: Path) -> None:
    pred = _pred(tmp_path, "pred", frozenset({"m1"}))
    out = tmp_path / "out"
    args = ["--mention-kinds", "NAM,PRO", "--partial", "graded", "--bootstrap", "300", "--seed", "9"]
    assert main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(out), *args]) == 0
    docs = [Document.from_json(valid_document(f"doc-{i}")) for i in range(4)]
    preds = [Document.from_json(prediction(valid_document(f"doc-{i}"), frozenset({"m1"}))) for i in range(4)]
    read = PredictionProblems.count([()] * len(preds))  # what the command found reading them: nothing
    options: dict[str, Any] = {"mention_kinds": ("NAM", "PRO"), "partial_credit": "graded", "bootstrap": 300}
    report = score(docs, preds, seed=9, prediction_problems=read, **options)
    assert (out / "report.json").read_text(encoding="utf-8") == report.dumps()


def test_rerun_writes_byte_identical_files(gold: Path, tmp_path: Path) -> None:
    pred = _pred(tmp_path, "pred", frozenset({"m4"}))
    for out in ("a", "b"):
        assert main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(tmp_path / out)]) == 0
    for name in ("report.json", "report.md", "report.html", "errors.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_prediction_for_an_unknown_document_is_an_error(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pred = _pred(tmp_path, "pred")
    write_documents(pred, [prediction(valid_document("doc-99"))])
    out = tmp_path / "out"
    assert main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "doc-99.json: document doc-99: $.id: no gold document has this id" in err
    assert not out.exists()


def test_prediction_with_another_text_is_an_error(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = prediction(valid_document("doc-0"))
    doc["text"] += " Updated."
    pred = write_documents(tmp_path / "pred", [doc])
    assert main(["score", "--gold", str(gold), "--pred", str(pred)]) == 1
    assert "$.text: the text differs from the gold document's text" in capsys.readouterr().err


def test_gold_documents_without_prediction_count_as_empty(gold: Path, tmp_path: Path) -> None:
    pred = _pred(tmp_path, "pred", ids=range(3))
    out = tmp_path / "out"
    assert (
        main(["score", "--gold", str(gold), "--pred", str(pred), "--out", str(out), "--bootstrap", "0"]) == 0
    )
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["documents"]["missing_predictions"] == ["doc-3"]
    assert data["tasks"]["entities"]["strict"]["micro"]["recall"] == 0.75


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "entities,relations"], "tasks must be"),
        (["--mention-kinds", "XYZ"], "mention kinds"),
        (["--overlap", "2"], "overlap"),
        (["--bootstrap", "-1"], "negative"),
    ],
)
def test_bad_option_values_exit_2_with_a_one_line_message(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    pred = _pred(tmp_path, "pred")
    assert main(["score", "--gold", str(gold), "--pred", str(pred), *args]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and message in err[0]


def test_missing_gold_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = _pred(tmp_path, "pred")
    assert main(["score", "--gold", str(tmp_path / "nope"), "--pred", str(pred)]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_compare_writes_three_files_and_ranks_in_groups(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _pred(tmp_path, "base", frozenset({"m4"}))
    same = _pred(tmp_path, "same", frozenset({"m4"}))
    worse = _pred(tmp_path, "worse", frozenset({"m1", "m5"}))
    out = tmp_path / "cmp"
    argv = [
        "compare",
        "--gold",
        str(gold),
        str(base),
        str(same),
        str(worse),
        "--out",
        str(out),
        "--trials",
        "500",
    ]
    assert main(argv) == 0
    assert "tie groups" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["comparison.html", "comparison.json", "comparison.md"]
    data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert data["systems"] == ["base", "same", "worse"] and data["baseline"] == "base"
    base_same = [p for p in data["pairs"] if (p["baseline"], p["system"]) == ("base", "same")]
    assert {p["p_randomization"] for p in base_same} == {1}
    assert data["signature"].count("pred:*") == 1


@pytest.mark.parametrize("preds", [["base"], ["base", "base"]])
def test_compare_needs_two_different_systems(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], preds: list[str]
) -> None:
    _pred(tmp_path, "base")
    assert main(["compare", "--gold", str(gold), *(str(tmp_path / p) for p in preds)]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_bootstrap_count_past_the_limit_is_refused_before_any_work(
    gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", "--gold", str(gold), "--pred", str(gold), "--bootstrap", "100000000000"]) == 2
    assert "at most 100,000 bootstrap resamples" in capsys.readouterr().err


def test_agree_refuses_a_type_map_that_would_apply_to_nothing(
    gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agree", str(gold), str(gold), "--typemap", "gum"]) == 2
    assert "--typemap applies to imported sides" in capsys.readouterr().err


def _names_only(tmp_path: Path) -> Path:
    """Predictions of an entity tagger: the file cannot say that it does not attempt events or quotes."""
    docs = []
    for i in range(4):
        doc = prediction(valid_document(f"doc-{i}"))
        doc["events"], doc["quotes"] = [], []
        docs.append(doc)
    return write_documents(tmp_path / "names", docs)


def test_a_task_no_prediction_holds_anything_of_is_named_with_how_to_leave_it_out(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pred, out = _names_only(tmp_path), tmp_path / "out"
    assert main(["score", str(pred), "--gold", str(gold), "--out", str(out), "--bootstrap", "0"]) == 0
    printed = capsys.readouterr().out
    for task, item in (("events", "event"), ("quotes", "quote")):
        line = f"note: nothing predicted: {task}: none of the 4 predicted documents holds any {item}"
        assert line in printed
        hint = f"if the system does not attempt {task}, leave it out with --tasks entities"
        assert f"{line}, so its recall is 0 and its precision n/a; {hint}" in printed
        assert f"**Nothing predicted: {task}:**" in (out / "report.md").read_text(encoding="utf-8")
    assert "nothing predicted: entities" not in printed
    # Scored without them, nothing is said, and a run of all-empty predictions gets no hint to follow.
    assert main(["score", str(pred), "--gold", str(gold), "--tasks", "entities", "--bootstrap", "0"]) == 0
    assert "nothing predicted" not in capsys.readouterr().out
    assert main(["score", str(pred), "--gold", str(gold), "--tasks", "events", "--bootstrap", "0"]) == 0
    printed = capsys.readouterr().out
    assert "nothing predicted: events" in printed and "--tasks" not in printed


def test_compare_names_each_system_that_predicted_nothing_of_a_task(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full, names, out = _pred(tmp_path, "full"), _names_only(tmp_path), tmp_path / "out"
    args = ["compare", str(full), str(names), "--gold", str(gold), "--bootstrap", "0", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    for task, item in (("events", "event"), ("quotes", "quote")):
        assert (
            f"note: nothing predicted by names: {task}: none of the 4 documents predicted by names holds any {item}"
            in printed
        )
        assert f"**Nothing predicted by names: {task}:**" in (out / "comparison.md").read_text(
            encoding="utf-8"
        )
        assert f"<b>Nothing predicted by names: {task}:</b>" in (out / "comparison.html").read_text(
            encoding="utf-8"
        )
    assert "nothing predicted by full" not in printed
    assert "leave it out with --tasks" not in printed  # --tasks would drop the task for every system


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "--gold", "{gold}", "{gold}", "--types", "PERSON"], "--types: unknown type PERSON"),
        (["score", "--gold", "{gold}", "{gold}", "--tasks", "entity"], "--tasks: tasks must be"),
        (["score", "--gold", "{gold}"], "score takes one prediction folder or file"),
        (["compare", "--gold", "{gold}", "{gold}", "{gold}"], "the same prediction set is given twice"),
        (["bench", "--overlap", "1.5"], "--overlap: overlap must be a fraction"),
        (["cache", "prune", "--max-size", "abc"], "--max-size must be a size such as 500M"),
        (["stats", "{gold}", "--corpus", "{gold}"], "stats reads one corpus"),
    ],
)
def test_an_option_value_a_verb_cannot_take_exits_2_with_one_line(
    gold: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Exit status 2 is a mistyped command, the same whether argparse or the verb refuses the value."""
    assert main([a.replace("{gold}", str(gold)) for a in argv]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("none", "No error was kept (--errors none), so there is nothing to browse and no errors.jsonl."),
        ("sample", "errors of the sample are here; errors.jsonl beside this page holds the same sample, "),
        (
            "all",
            "errors are here; errors.jsonl beside this page lists every error with the metrics it affects.",
        ),
    ],
)
def test_the_error_browser_says_what_it_and_errors_jsonl_hold_in_each_errors_mode(
    gold: Path, tmp_path: Path, mode: str, said: str
) -> None:
    pred, out = _names_only(tmp_path), tmp_path / "out"
    argv = ["score", str(pred), "--gold", str(gold), "--out", str(out), "--errors", mode, "--bootstrap", "0"]
    with patch("newsbench.eval.report.errors_file.SAMPLE_PER_GROUP", 1):
        assert main(argv) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert said in page
    assert ("lists every error" in page) == (mode == "all")
    assert (out / "errors.jsonl").exists() == (mode != "none")


def test_an_interval_whose_items_lie_in_few_documents_is_marked_unreliable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [valid_document(f"doc-{i}") for i in range(12)]
    for doc in docs[:2]:  # Springfield is a LOC in two documents only, a GPE in the other ten
        doc["mentions"][3]["type"] = doc["entities"][2]["type"] = "LOC"
    gold = write_documents(tmp_path / "gold", docs)
    pred = write_documents(tmp_path / "pred", [prediction(doc, frozenset({"m1"})) for doc in docs])
    out = tmp_path / "out"
    assert main(["score", str(pred), "--gold", str(gold), "--out", str(out), "--bootstrap", "200"]) == 0
    assert "note: † intervals on few documents:" in capsys.readouterr().out
    rows = (out / "report.md").read_text(encoding="utf-8").splitlines()
    loc = next(r for r in rows if r.startswith("| LOC |"))
    gpe = next(r for r in rows if r.startswith("| GPE |"))
    assert "]†" in loc and "]†" not in gpe
    per_type = json.loads((out / "report.json").read_text(encoding="utf-8"))["tasks"]["entities"]["strict"]
    assert per_type["per_type"]["LOC"]["ci95"]["documents"] == 2
    assert per_type["per_type"]["GPE"]["ci95"]["documents"] == 10
    assert per_type["ci95"]["documents"] == 12
