"""Importers refuse what they cannot read: malformed lines are problems (file, line number, line), an import
that finds no file is an error, and the CAT import cleans ``.txt`` ids and flags duplicate texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.cli import main
from newsbench.formats import brat_read, cat, webanno
from newsbench.formats.contract import ImportOptions
from newsbench.problems import NewsbenchError

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TEXT = "“Hi” 😀 Bob met Al.\r\n"
"""Curly quotes and an astral emoji before the names: Bob is code points 7-10, Al 15-17."""


def _brat_problems(tmp_path: Path, ann: str) -> list[tuple[str, str, str]]:
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8", newline="")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        brat_read.import_files([tmp_path], ImportOptions())
    return [(Path(p.file).name, p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("ann", "line", "reason"),
    [
        ("T1\tPER 7 10\tBob\nGARBAGE LINE\n", "GARBAGE LINE", "not a BRAT annotation line"),
        ("T1\tPER 7 10\tBob\nT2 PER 15 17 Al\n", "T2 PER 15 17 Al", "not a BRAT annotation line"),
        ("T1\tPER 7 10\tBob\nX1\tPER 15 17\tAl\n", "X1\tPER 15 17\tAl", "not a BRAT annotation line"),
        ("T1\tPER 7 10\tBob\nT2\tPER 17 15\tAl\n", "T2\tPER 17 15\tAl", "outside the text"),
        ("T1\tPER 7 10\tBob\nT2\tPER 15 x\tAl\n", "T2\tPER 15 x\tAl", "cannot read"),
        (
            "T1\tPER 7 10\tBob\nE1\tConflict.Attack:T9 Attacker:T1\n",
            "E1\tConflict.Attack:T9 Attacker:T1",
            "its trigger T9 is not a T line of this file",
        ),
        (
            "T1\tConflict.Attack 11 14\tmet\nE1\tConflict.Attack:T1 Attacker:T7\n",
            "E1\tConflict.Attack:T1 Attacker:T7",
            "its argument Attacker:T7 names no T or E line of this file",
        ),
    ],
)
def test_a_malformed_ann_line_is_a_problem_naming_file_line_number_and_line(
    tmp_path: Path, ann: str, line: str, reason: str
) -> None:
    ((file, where, message),) = _brat_problems(tmp_path, ann)
    assert (file, where) == ("d.ann", "line 2")
    assert message.startswith(f"cannot read {line!r}") and reason in message


def test_every_bad_line_of_an_ann_file_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    ann = "E1\tConflict.Attack:T5\nT1\tPER 7 10\tBob\nGARBAGE\n\nT2\tPER 0 99\tAl\nR1\tRel Arg1:T1 Arg2:T1\n"
    problems = _brat_problems(tmp_path, ann)
    assert [where for _, where, _ in problems] == ["line 1", "line 3", "line 5"]


def test_a_relation_line_is_well_formed_brat_and_only_counted_as_dropped(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8", newline="")
    (tmp_path / "d.ann").write_text("T1\tPER 7 10\tBob\nR1\tKnows Arg1:T1 Arg2:T1\n", encoding="utf-8")
    (doc,) = brat_read.import_files([tmp_path], ImportOptions(drop_unknown=True, default_kind="NAM"))
    assert doc.meta["import"]["dropped"]["R lines"] == 1
    assert [m.text for m in doc.mentions] == ["Bob"]


def test_every_bad_row_of_a_webanno_file_is_reported_at_once(tmp_path: Path) -> None:
    rows = (FIXTURES / "webanno" / "ner_chain.tsv").read_text(encoding="utf-8").split("\n")
    rows[7] = rows[7].replace("4-6", "four-6")
    rows[8] = "1-3\t7-10\tmet"
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        webanno.import_files([bad], ImportOptions())
    assert [p.path for p in caught.value.problems] == ["line 8", "line 9"]
    assert "bad offsets 'four-6'" in caught.value.problems[0].message
    assert "expected 7 columns, found 3" in caught.value.problems[1].message


@pytest.mark.parametrize(
    ("fmt", "pattern"),
    [
        ("brat", "*.ann"),
        ("webanno", "*.tsv"),
        ("cat", "*.xml"),
        ("conll", "*.conll"),
        ("labelstudio", "*.json"),
    ],
)
def test_importing_a_folder_with_no_matching_file_exits_1_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, pattern: str
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("nothing here", encoding="utf-8")
    assert main(["import", fmt, str(empty), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {empty}: no {pattern} file in this folder (nothing to import)\n"
    assert not (tmp_path / "out").exists()


def test_importing_a_label_studio_export_with_no_task_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tasks.json").write_text("[]", encoding="utf-8")
    assert main(["import", "labelstudio", str(tmp_path / "tasks.json"), "--out", str(tmp_path / "out")]) == 1
    assert "nothing to import: no labelstudio document in" in capsys.readouterr().err


def _cat_file(folder: Path, file_name: str, doc_name: str, text_change: str | None = None) -> None:
    xml = (FIXTURES / "cat" / "small.xml").read_text(encoding="utf-8")
    xml = xml.replace('doc_name="42_Acme,_buys_Zed"', f'doc_name="{doc_name}"')
    if text_change is not None:
        xml = xml.replace(">Zed<", f">{text_change}<", 1)
    (folder / file_name).write_text(xml, encoding="utf-8")


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        ([("a.xml", "260_Airbus.txt")], ["260_Airbus"]),
        ([("a.xml", "260_Airbus")], ["260_Airbus"]),
        ([("a.xml", "7_x.txt.txt")], ["7_x.txt"]),
        ([("a.xml", "260_Airbus.txt"), ("b.xml", "261_Boeing.txt")], ["260_Airbus", "261_Boeing"]),
        ([("a.xml", "260_Airbus.txt"), ("b.xml", "260_Airbus")], ["260_Airbus.txt", "260_Airbus"]),
    ],
)
def test_cat_ids_lose_a_trailing_txt_unless_two_would_collide(
    tmp_path: Path, names: list[tuple[str, str]], ids: list[str]
) -> None:
    for k, (file_name, doc_name) in enumerate(names):
        _cat_file(tmp_path, file_name, doc_name, text_change=f"Zed{k}")
    docs = cat.import_files([tmp_path], ImportOptions())
    assert [d.id for d in docs] == ids
    notes = [d.meta["import"].get("warnings", []) for d in docs]
    kept = [i for i, n in zip(ids, notes, strict=True) if any("keeps its .txt suffix" in w for w in n)]
    assert kept == [i for i in ids if i.endswith(".txt") and i.removesuffix(".txt") in ids]


def test_cat_import_warns_when_two_documents_have_the_same_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _cat_file(tmp_path, "a.xml", "260_Airbus.txt")
    _cat_file(tmp_path, "b.xml", "3307_Airbus")
    _cat_file(tmp_path, "c.xml", "9_Other", text_change="Quux")
    docs = cat.import_files([tmp_path], ImportOptions())
    assert {d.id: d.meta["import"].get("warnings") for d in docs} == {
        "260_Airbus": ["same text as 3307_Airbus"],
        "3307_Airbus": ["same text as 260_Airbus"],
        "9_Other": None,
    }
    assert main(["import", "cat", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: 260_Airbus: same text as 3307_Airbus\n" in err
    assert "warning: 3307_Airbus: same text as 260_Airbus\n" in err


def test_meantime_ids_carry_no_txt_and_its_duplicate_article_is_flagged(external: Path) -> None:
    docs = cat.import_files([external / "meantime"], ImportOptions())
    assert not [d.id for d in docs if d.id.endswith(".txt")]
    flagged = sorted(d.id for d in docs if d.meta["import"].get("warnings"))
    assert flagged == [
        "260_Airbus_launches_world_largest_passenger_plane",
        "3307_Airbus_launches_world_largest_passenger_plane",
    ]
