"""What score and compare say when predictions do not cover the gold documents scored."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import CORPUS
from docfactory import valid_document, write_documents
from evalfactory import prediction

from newsbench.cli import main
from newsbench.eval.report.markdown import missing_text


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_documents(tmp_path / "gold", [valid_document(f"doc-{i}") for i in range(8)])


def _pred(tmp_path: Path, name: str, ids: range = range(8)) -> Path:
    return write_documents(tmp_path / name, [prediction(valid_document(f"doc-{i}")) for i in ids])


def test_missing_documents_are_named_up_to_five() -> None:
    assert missing_text(["a", "b"]) == "2 gold documents had no prediction and count as empty: a, b"
    assert missing_text([f"d{i}" for i in range(7)]) == (
        "7 gold documents had no prediction and count as empty: d0, d1, d2, d3, d4, … (2 more)"
    )


def test_compare_says_per_system_which_gold_documents_had_no_prediction(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = _pred(tmp_path, "full")
    part = _pred(tmp_path, "part", ids=range(6))
    out = tmp_path / "cmp"
    argv = ["compare", "--gold", str(gold), str(full), str(part), "--out", str(out), "--trials", "100"]
    assert main([*argv, "--bootstrap", "0"]) == 0
    printed = capsys.readouterr().out
    note = "2 gold documents had no prediction and count as empty: doc-6, doc-7"
    assert f"note: missing predictions of part: {note}" in printed
    assert "missing predictions of full" not in printed
    assert f"**Missing predictions of part:** {note}." in (out / "comparison.md").read_text(encoding="utf-8")
    assert note in (out / "comparison.html").read_text(encoding="utf-8")
    data = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert data["missing_predictions"] == {"full": [], "part": ["doc-6", "doc-7"]}


def test_score_names_the_documents_without_prediction(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pred = _pred(tmp_path, "pred", ids=range(7))
    assert main(["score", "--gold", str(gold), str(pred), "--bootstrap", "0"]) == 0
    assert "note: 1 gold document had no prediction and count as empty: doc-7" in capsys.readouterr().out


def test_compare_points_to_the_split_every_system_predicted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbench.corpus import load_corpus

    lines = "".join(
        json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in load_corpus(CORPUS).split("test")
    )
    (tmp_path / "a.jsonl").write_text(lines, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(lines, encoding="utf-8")
    argv = ["compare", "--corpus", str(CORPUS), str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    assert main([*argv, "--bootstrap", "0", "--trials", "10", "--tasks", "entities"]) == 0
    printed = capsys.readouterr().out
    assert "note: missing predictions of a: 72 gold documents had no prediction" in printed
    assert printed.count("--split test scores on it alone") == 1


@pytest.mark.parametrize("verb", ["score", "compare"])
def test_a_prediction_file_with_no_scored_document_is_refused(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    preds = [str(empty)] if verb == "score" else [str(_pred(tmp_path, "full")), str(empty)]
    assert main([verb, "--gold", str(gold), *preds, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"error: {empty} holds no prediction of the 8 gold documents scored (--split all)"
    assert not out.exists()


def test_predictions_of_another_split_only_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbench.corpus import load_corpus

    test = load_corpus(CORPUS).split("test")
    pred = tmp_path / "test.jsonl"
    pred.write_text(
        "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in test), encoding="utf-8"
    )
    assert main(["score", "--corpus", str(CORPUS), "--split", "dev", str(pred), "--bootstrap", "0"]) == 1
    captured = capsys.readouterr()
    assert f"error: {pred} holds no prediction of the" in captured.err
    assert "(--split dev)" in captured.err
    assert captured.out == ""


def _jsonl(path: Path, system: str) -> Path:
    docs = []
    for i in range(8):
        doc = prediction(valid_document(f"doc-{i}"))
        doc["system"] = {**doc["system"], "name": system}
        docs.append(json.dumps(doc, ensure_ascii=False) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(docs), encoding="utf-8")
    return path


@pytest.mark.parametrize("verb", ["score", "compare"])
def test_a_folder_of_several_systems_predictions_is_refused_in_one_line(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    run = tmp_path / "predictions"
    for name in ("rules", "crf", "empty"):
        _jsonl(run / f"{name}.jsonl", name)
    preds = [str(run)] if verb == "score" else [str(run / "rules.jsonl"), str(run)]
    assert main([verb, "--gold", str(gold), *preds]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {run} holds predictions of several systems (crf, empty, rules): score one file, or compare them\n"
    )


def test_subfolders_of_different_systems_are_refused_and_one_system_is_scored(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one"
    _jsonl(one / "part.jsonl", "rules")
    assert main(["score", "--gold", str(gold), str(one), "--bootstrap", "0"]) == 0
    mixed = tmp_path / "mixed"
    for name in ("a", "b"):
        docs = [prediction(valid_document(f"doc-{i}")) for i in range(8)]
        for doc in docs:
            doc["system"] = {**doc["system"], "name": name}
        write_documents(mixed / name, docs)
    capsys.readouterr()
    assert main(["score", "--gold", str(gold), str(mixed)]) == 1
    assert "holds predictions of several systems (a, b)" in capsys.readouterr().err


class _ClosedPipe(io.TextIOBase):
    """A stdout whose reader has gone (``| head`` after its lines): every write fails."""

    def __init__(self, spare: Path) -> None:
        self._spare = spare.open("w", encoding="utf-8")

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self._spare.fileno()  # the CLI points this descriptor at devnull; not the real stdout


@pytest.mark.parametrize("verb", ["score", "compare"])
def test_report_files_are_written_before_a_closed_stdout_stops_the_summary(
    gold: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verb: str
) -> None:
    full = _pred(tmp_path, "full")
    preds = [str(full)] if verb == "score" else [str(full), str(_pred(tmp_path, "part", ids=range(6)))]
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "stdout", _ClosedPipe(tmp_path / "spare"))
    assert main([verb, "--gold", str(gold), *preds, "--out", str(out), "--bootstrap", "0"]) == 141
    expected = (
        ["report.html", "report.json", "report.md"]
        if verb == "score"
        else ["comparison.html", "comparison.json", "comparison.md"]
    )
    assert [p for p in expected if not (out / p).is_file()] == []


def test_no_intervals_is_said_once(gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--gold", str(gold), str(_pred(tmp_path, "full")), "--bootstrap", "0"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "no confidence intervals" in line]
    assert lines == ["note: no confidence intervals: bootstrap resampling was turned off (--bootstrap 0)"]
    assert "no intervals are given" not in "".join(lines)
