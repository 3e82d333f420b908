"""The import and export verbs: argument orders, the notes file of what an export left out, and an import's
output accepted by ``newsbench add``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats_docs import rich_document

from newsbench.cli import main


@pytest.mark.parametrize("paths_after_out", [True, False], ids=["--out DIR PATH", "PATH --out DIR"])
def test_export_reports_what_it_left_out_on_stderr_and_in_a_notes_file(
    paths_after_out: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "rich-1.json"
    src.write_text(json.dumps(rich_document().to_json()), encoding="utf-8")
    out = str(tmp_path / "out")
    argv = (
        ["export", "spacy", "--out", out, str(src)]
        if paths_after_out
        else ["export", "spacy", str(src), "--out", out]
    )
    assert main(argv) == 0
    notes = json.loads((tmp_path / "out" / "export-notes.json").read_text(encoding="utf-8"))
    assert notes["format"] == "spacy" and notes["documents"] == 1
    expected = {
        "document": "rich-1",
        "layer": "events",
        "count": 2,
        "reason": "spaCy ents hold one layer of mentions",
    }
    assert expected in notes["left_out"]
    assert "note: rich-1: left out 2 events: spaCy ents hold one layer of mentions" in capsys.readouterr().err


def test_import_of_a_bad_file_exits_1_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "d.txt").write_text("Bob", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tPER 0 9\tBob\n", encoding="utf-8")
    assert main(["import", "brat", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "d.ann: document d: line 1" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_export_then_import_then_add(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "rich-1.json").write_text(json.dumps(rich_document().to_json()), encoding="utf-8")
    for fmt in ("brat", "labelstudio"):
        assert main(["export", fmt, "--out", str(tmp_path / fmt), str(src)]) == 0
        assert main(["import", fmt, str(tmp_path / fmt), "--out", str(tmp_path / f"docs-{fmt}")]) == 0
    assert main(["add", str(tmp_path / "docs-labelstudio"), "--corpus", str(tmp_path / "corpus")]) == 0
    assert (tmp_path / "corpus" / "documents" / "rich-1.json").exists()


@pytest.mark.parametrize(
    ("argv", "documents"),
    [
        (["export", "spacy", "--out", "out", "a/rich-1.json", "b"], 2),
        (["export", "spacy", "a/rich-1.json", "b", "--out", "out"], 2),
        (["export", "spacy", "b", "--out", "out"], 1),
        (["export", "spacy", "--out", "out"], 1),
        (["export", "spacy", "--out", "out", "--utf16"], 1),
    ],
    ids=["paths after --out", "paths before --out", "one path", "default corpus", "option after --out"],
)
def test_export_out_takes_one_folder_and_paths_go_either_side_or_default_to_corpus(
    argv: list[str], documents: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    doc = rich_document().to_json()
    for folder, doc_id in (("a", "rich-1"), ("b", "rich-2"), ("corpus", "rich-3")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{doc_id}.json").write_text(json.dumps({**doc, "id": doc_id}), encoding="utf-8")
    assert main(argv) == 0
    notes = json.loads((tmp_path / "out" / "export-notes.json").read_text(encoding="utf-8"))
    assert notes["documents"] == documents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "corpus", "out"]
