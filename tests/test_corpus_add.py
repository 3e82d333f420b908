"""``newsbench add`` validates, refuses duplicates, and leaves every byte of the corpus unchanged on any error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from docfactory import TEXT, valid_document

from newsbench.cli import main
from newsbench.corpus import load_corpus
from newsbench.corpus_add import add_documents
from newsbench.problems import NewsbenchError


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    src = _write(tmp_path / "first.json", valid_document("first"))
    assert main(["add", str(src), "--corpus", str(root), "--split", "train"]) == 0
    return root


def test_add_writes_the_document_and_a_manifest_with_its_hash(corpus: Path) -> None:
    manifest = json.loads((corpus / "manifest.json").read_text())
    (entry,) = manifest["documents"]
    assert entry["id"] == "first"
    assert entry["split"] == "train"
    assert entry["file"] == "documents/first.json"
    assert entry["counts"]["mentions"] == 6
    loaded = load_corpus(corpus)
    assert loaded.split("train")[0].text == TEXT
    assert main(["validate", str(corpus)]) == 0


def _same_id(tmp: Path) -> Path:
    doc = valid_document("first", text=TEXT)
    doc["text"] = TEXT.replace("Monday", "Friday")
    doc["mentions"] = doc["entities"] = doc["events"] = doc["quotes"] = doc["ignore"] = []
    return _write(tmp / "same-id.json", doc)


def _same_text(tmp: Path) -> Path:
    return _write(tmp / "same-text.json", valid_document("other"))


def _broken(tmp: Path) -> Path:
    doc = valid_document("broken")
    doc["text"] = "A different text. " + TEXT
    doc["mentions"][0]["spans"][0]["start"] = 9999
    return _write(tmp / "broken.json", doc)


def _malformed(tmp: Path) -> Path:
    path = tmp / "malformed.json"
    path.write_text('{"id": "x", ', encoding="utf-8")
    return path


def _prediction(tmp: Path) -> Path:
    doc = valid_document("pred")
    doc["text"] = "Another text. " + TEXT
    doc["mentions"] = doc["entities"] = doc["events"] = doc["quotes"] = doc["ignore"] = []
    doc["system"] = {"name": "x", "version": "1", "config": {}}
    return _write(tmp / "pred.json", doc)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_same_id, "already has a document with this id"),
        (_same_text, "already has this text"),
        (_broken, "not inside the text"),
        (_malformed, "malformed JSON"),
        (_prediction, "prediction cannot be added"),
    ],
)
def test_a_refused_add_leaves_every_byte_of_the_corpus_unchanged(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, words: str
) -> None:
    before = _snapshot(corpus)
    good = valid_document("good")
    good["text"] = "Good news. " + TEXT
    good["mentions"] = good["entities"] = good["events"] = good["quotes"] = good["ignore"] = []
    good_path = _write(tmp_path / "good.json", good)
    bad = make(tmp_path)
    assert main(["add", str(good_path), str(bad), "--corpus", str(corpus)]) == 1
    assert words in capsys.readouterr().err
    assert _snapshot(corpus) == before


def test_two_new_documents_with_one_text_are_refused_together(corpus: Path, tmp_path: Path) -> None:
    a = valid_document("a")
    a["text"] = "Same new text."
    a["mentions"] = a["entities"] = a["events"] = a["quotes"] = a["ignore"] = []
    b = dict(a, id="b")
    before = _snapshot(corpus)
    with pytest.raises(NewsbenchError, match="already has this text"):
        add_documents([_write(tmp_path / "a.json", a), _write(tmp_path / "b.json", b)], corpus, "test")
    assert _snapshot(corpus) == before


def _fail_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make replacing the manifest, the commit point, fail as a full disk would."""
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith("manifest.json"):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)


def test_a_failure_while_writing_rolls_back(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = valid_document("late")
    doc["text"] = "Late text. " + TEXT
    doc["mentions"] = doc["entities"] = doc["events"] = doc["quotes"] = doc["ignore"] = []
    before = _snapshot(corpus)
    _fail_the_commit(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        add_documents([_write(tmp_path / "late.json", doc)], corpus, "test")
    assert _snapshot(corpus) == before


def test_a_hand_edited_document_no_longer_matches_the_manifest(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus / "documents" / "first.json"
    path.write_text(path.read_text().replace('"Zoé Li"', '"Zoé  Li"'), encoding="utf-8")
    assert main(["validate", str(corpus)]) == 1
    assert "changed since it was added" in capsys.readouterr().err


def test_an_unknown_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NewsbenchError, match="split must be one of"):
        add_documents([], tmp_path / "c", "holdout")


@pytest.mark.parametrize("where", ["a.json", "sub/b.json"])
def test_a_folder_of_loose_documents_is_not_taken_for_a_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """Adding there would write a manifest that leaves the loose files out, and the folder would no longer
    validate; the user is told what to do instead, and nothing is written."""
    folder = tmp_path / "loose"
    (folder / where).parent.mkdir(parents=True)
    _write(folder / where, valid_document("loose"))
    before = _snapshot(folder)
    new = valid_document("new")
    new["text"] = "New text. " + TEXT
    new["mentions"] = new["entities"] = new["events"] = new["quotes"] = new["ignore"] = []
    assert main(["add", str(_write(tmp_path / "new.json", new)), "--corpus", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "no manifest.json" in err
    assert "--corpus NEW_FOLDER" in err
    assert _snapshot(folder) == before


def test_a_file_is_not_a_corpus_folder(tmp_path: Path) -> None:
    target = _write(tmp_path / "x.json", valid_document("x"))
    with pytest.raises(NewsbenchError, match="must be a corpus folder"):
        add_documents([], target, "test")


def test_only_the_documents_folder_of_a_corpus_holds_its_documents(corpus: Path) -> None:
    """Other JSON in a corpus folder (such as a second annotation kept for agreement) is not a corpus document."""
    (corpus / "agreement").mkdir()
    _write(corpus / "agreement" / "second.json", valid_document("second", text="Again: " + TEXT))
    assert sorted(load_corpus(corpus).documents) == ["first"]
    assert main(["validate", str(corpus)]) == 0


def test_a_stray_document_inside_documents_is_still_caught(corpus: Path) -> None:
    _write(corpus / "documents" / "stray.json", valid_document("stray", text="Again: " + TEXT))
    with pytest.raises(NewsbenchError, match="not in the manifest"):
        load_corpus(corpus)


def test_adding_to_a_folder_with_no_manifest_says_a_new_corpus_was_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped ``--corpus`` still works (scripts rely on add creating a corpus) but is seen at once."""
    src = _write(tmp_path / "one.json", valid_document("one"))
    root = tmp_path / "newcorp"
    assert main(["add", str(src), "--corpus", str(root)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"created a new corpus at {root}",
        f"added one to {root} (test)",
    ]
    other = _write(tmp_path / "two.json", valid_document("two", TEXT + " Two."))
    assert main(["add", str(other), "--corpus", str(root)]) == 0
    assert capsys.readouterr().err.splitlines() == [f"added two to {root} (test)"]


def test_a_large_addition_prints_one_summary_line_unless_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for n in range(25):
        _write(src / f"d{n:02}.json", valid_document(f"d{n:02}", f"{TEXT} Number {n}."))
    assert main(["add", str(src), "--corpus", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[1:] == [f"added 25 documents to {tmp_path / 'a'} (test): d00 … d24 (--verbose names each)"]
    assert main(["add", str(src), "--corpus", str(tmp_path / "b"), "--verbose"]) == 0
    assert len([line for line in capsys.readouterr().err.splitlines() if line.startswith("added d")]) == 25


def _corrected(tmp: Path, doc_id: str = "first") -> Path:
    """An erratum of ``first``: one mention's type corrected (with its entity), and a new title."""
    doc = valid_document(doc_id)
    doc["title"] = "Corrected"
    doc["mentions"][2]["type"] = doc["entities"][1]["type"] = "GPE"  # Acme, an ORG, now a GPE
    return _write(tmp / f"{doc_id}-corrected.json", doc)


def test_replace_corrects_a_document_in_its_split_and_keeps_the_corpus_valid(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(_corrected(tmp_path)), "--corpus", str(corpus), "--replace"]) == 0
    assert "replaced first in" in capsys.readouterr().err
    (entry,) = json.loads((corpus / "manifest.json").read_text())["documents"]
    assert entry["split"] == "train"  # kept: --split not given
    (doc,) = load_corpus(corpus).split("train")
    assert doc.title == "Corrected" and doc.mentions[2].type == "GPE"
    assert main(["validate", str(corpus)]) == 0
    assert (
        main(["add", str(_corrected(tmp_path)), "--corpus", str(corpus), "--replace", "--split", "dev"]) == 0
    )
    assert [d.id for d in load_corpus(corpus).split("dev")] == ["first"]


def test_replace_refuses_an_id_the_corpus_does_not_hold_and_a_plain_add_points_to_it(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(corpus)
    unknown = valid_document("unknown", "Unknown. " + TEXT)
    assert main(["add", str(_write(tmp_path / "u.json", unknown)), "--corpus", str(corpus), "--replace"]) == 1
    assert "the corpus has no document with this id to replace" in capsys.readouterr().err
    assert main(["add", str(_corrected(tmp_path)), "--corpus", str(corpus)]) == 1
    assert "already has a document with this id (add --replace to correct it)" in capsys.readouterr().err
    assert _snapshot(corpus) == before


def test_replace_may_keep_its_own_text_but_not_take_another_documents(corpus: Path, tmp_path: Path) -> None:
    second = valid_document("second", "Second. " + TEXT)
    add_documents([_write(tmp_path / "second.json", second)], corpus, "test")
    before = _snapshot(corpus)
    copy = valid_document("second")  # the text of `first`
    with pytest.raises(NewsbenchError, match="already has this text as 'first'"):
        add_documents([_write(tmp_path / "copy.json", copy)], corpus, None, replace=True)
    assert _snapshot(corpus) == before


def test_a_replace_that_fails_at_the_commit_leaves_the_old_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(corpus)
    _fail_the_commit(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        add_documents([_corrected(tmp_path)], corpus, None, replace=True)
    assert _snapshot(corpus) == before
