"""One scoring vocabulary: ``run``, ``bench``, ``score`` and ``compare`` take the same scoring options and give
the same numbers for the same system on the same documents; ``bench --track`` takes any corpus folder."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, REPO

from newsbench.cli import build_parser, main
from newsbench.registry import discover

SYSTEMS = ("rules", "oracle", "empty")
OPTIONS = ["--bootstrap", "40", "--seed", "7", "--mention-kinds", "NAM,NOM", "--args", "overlap"]
SUITE = f"""
name = "same-numbers"
[[corpus]]
name = "bundled"
path = "{CORPUS.as_posix()}"
split = "test"
[options]
bootstrap = 1000
"""


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def without_suite(signature: str) -> str:
    return re.sub(r"\|suite:sha256=[0-9a-f]+", "", signature)


def only(folder: Path, pattern: str) -> Path:
    (found,) = folder.glob(pattern)
    return found


@pytest.fixture
def few_systems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The cheap systems only (the point is the scoring, not the systems), with a private cache."""
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path / "cache"))
    entries = {name: entry for name, entry in discover().items() if name in SYSTEMS}
    monkeypatch.setattr("newsbench.commands.bench.discover", lambda: entries)


@pytest.mark.usefixtures("few_systems")
def test_run_bench_score_and_compare_give_the_same_numbers_for_the_same_system(tmp_path: Path) -> None:
    assert (
        main(
            [
                "run",
                *SYSTEMS,
                "--corpus",
                str(CORPUS),
                "--split",
                "test",
                *OPTIONS,
                "--out",
                str(tmp_path / "r"),
            ]
        )
        == 0
    )
    run_folder = only(tmp_path / "r", "run-*")
    predictions = run_folder / "predictions"

    copy = tmp_path / "my-corpus"
    shutil.copytree(CORPUS, copy)  # a corpus folder of one's own: no type map, native types
    suite = tmp_path / "suite.toml"
    suite.write_text(SUITE, encoding="utf-8")
    bench = [
        "bench",
        "--suite",
        str(suite),
        "--track",
        f"mine={copy}",
        *OPTIONS,
        "--out",
        str(tmp_path / "b"),
    ]
    assert main(bench) == 0
    bench_folder = only(tmp_path / "b", "bench-*")

    gold = ["--corpus", str(CORPUS), "--split", "test", *OPTIONS]
    assert main(["score", *gold, str(predictions / "rules.jsonl"), "--out", str(tmp_path / "s")]) == 0
    pair = [str(predictions / f"{name}.jsonl") for name in ("rules", "oracle")]
    assert main(["compare", *gold, *pair, "--out", str(tmp_path / "c")]) == 0

    reports = {
        "run": read(run_folder / "reports" / "rules" / "report.json"),
        "bench": read(bench_folder / "bundled" / "reports" / "rules" / "report.json"),
        "bench --track": read(bench_folder / "mine" / "reports" / "rules" / "report.json"),
        "score": read(tmp_path / "s" / "report.json"),
    }
    expected = reports["run"]
    assert expected["options"]["bootstrap"] == 40 and expected["options"]["mention_kinds"] == ["NAM", "NOM"]
    assert expected["documents"]["gold"] == 34
    for verb, report in reports.items():
        assert report["tasks"] == expected["tasks"], verb
        assert report["options"] == expected["options"], verb
        assert without_suite(report["signature"]) == expected["signature"], verb
    compared = read(tmp_path / "c" / "comparison.json")
    assert compared["signatures"]["rules"] == expected["signature"]
    for task, metrics in expected["tasks"].items():
        for metric, numbers in metrics.items():
            assert compared["scores"][task][metric]["rules"]["f1"] == numbers["micro"]["f1"], (task, metric)


def test_a_refused_scoring_value_is_named_by_the_flag_typed(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in (["score", "--corpus", str(CORPUS), str(CORPUS)], ["run", "oracle"], ["bench"]):
        assert main([*verb, "--partial", "half", "--overlap", "1.5", "--mention-kinds", "XYZ"]) == 2
        err = capsys.readouterr().err
        assert "error: --overlap: " in err and "error: --mention-kinds: " in err, verb
        assert "$options" not in err


def test_every_scoring_verb_has_the_same_scoring_flags() -> None:
    def flags(verb: str) -> set[str]:
        sub = build_parser([verb])._subparsers._group_actions[0].choices[verb]  # type: ignore[union-attr]
        (group,) = [g for g in sub._action_groups if g.title == "scoring options"]
        return {s for action in group._group_actions for s in action.option_strings}

    expected = {
        "--tasks",
        "--mention-kinds",
        "--types",
        "--overlap",
        "--partial",
        "--args",
        "--bootstrap",
        "--seed",
    }
    assert {verb: flags(verb) for verb in ("run", "bench", "score", "compare")} == dict.fromkeys(
        ("run", "bench", "score", "compare"), expected
    )


@pytest.mark.usefixtures("few_systems")
def test_the_readme_suite_parses_and_benchmarks_a_folder_of_documents(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    suite_text = readme.split("<!-- suite-example -->", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    mine = tmp_path / "my-corpus"
    mine.mkdir()
    for doc in sorted((CORPUS / "documents").glob("*.json"))[:3]:
        shutil.copy(doc, mine / doc.name)  # a plain folder of documents, no manifest
    (tmp_path / "suite.toml").write_text(suite_text, encoding="utf-8")
    out = tmp_path / "runs"
    assert (
        main(["bench", "--suite", str(tmp_path / "suite.toml"), "--bootstrap", "0", "--out", str(out)]) == 0
    )
    board = read(only(out, "bench-*") / "leaderboard.json")
    (section,) = board["sections"]
    assert section["name"] == "my-corpus" and section["documents"] == 3


def test_score_reads_a_corpus_folder_by_its_manifest_and_points_to_the_split_predicted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbench.corpus import load_corpus

    test = load_corpus(CORPUS).split("test")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in test), encoding="utf-8"
    )
    # the corpus folder holds agreement annotations with the same ids: only the manifest's documents are gold
    assert main(["score", "--corpus", str(CORPUS), str(pred), "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "note: 72 gold documents had no prediction" in out
    assert "--split test scores on it alone" in out
    assert main(["score", "--corpus", str(CORPUS), "--split", "test", str(pred), "--bootstrap", "0"]) == 0
    assert "had no prediction" not in capsys.readouterr().out
