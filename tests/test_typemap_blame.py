"""A bad ``--typemap`` is blamed on the map: its own file and JSON path, never the document being imported,
and a map sending a label to something that is not a newsbench type says so at ``$.types.<label>`` rather
than failing later as an unknown label of the source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbench.cli import main
from newsbench.formats import cat, conll, labelstudio, webanno
from newsbench.formats.contract import ImportOptions
from newsbench.problems import NewsbenchError

TEXT = "Bob Smith met the Acme board in Paris.\n"
ANN = "T1\tPerson 0 9\tBob Smith\nA1\tKind T1 NAM\nT2\tLocation 32 37\tParis\nA2\tKind T2 NAM\n"


def _brat(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "d1.txt").write_text(TEXT, encoding="utf-8", newline="")
    (folder / "d1.ann").write_text(ANN, encoding="utf-8")
    return folder


def _map(tmp_path: Path, types: dict[str, object]) -> Path:
    path = tmp_path / "tm.json"
    path.write_text(json.dumps({"types": types}), encoding="utf-8")
    return path


def _import(tmp_path: Path, typemap: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(
        ["import", "brat", str(_brat(tmp_path)), "--out", str(tmp_path / "out"), "--typemap", typemap]
    )
    return status, capsys.readouterr().err.splitlines()


def test_a_map_failing_the_schema_is_reported_at_the_map_file_not_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmap = _map(tmp_path, {"Person": 5})
    status, err = _import(tmp_path, str(tmap), capsys)
    assert status == 1
    assert err == [f"error: {tmap}: $.types.Person: 5 is not of type 'string', 'null'"]


def test_an_unknown_map_name_lists_the_shipped_maps_and_blames_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = _import(tmp_path, "nosuchmap", capsys)
    assert status == 1
    assert len(err) == 1
    assert err[0].startswith("error: no type map named 'nosuchmap' (shipped: gum, inception-ner, meantime")
    assert "d1" not in err[0]


def test_a_target_that_is_no_newsbench_type_is_reported_at_the_map_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tmap = _map(tmp_path, {"Person": "PER", "Location": "LOCX"})
    status, err = _import(tmp_path, str(tmap), capsys)
    assert status == 1
    assert len(err) == 1
    assert err[0].startswith(
        f"error: {tmap}: $.types.Location: 'LOCX' is not a newsbench type (entity types: "
    )
    assert "unknown span type" not in err[0]


def test_a_good_map_still_imports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmap = _map(tmp_path, {"Person": "PER", "Location": "GPE"})
    status, _ = _import(tmp_path, str(tmap), capsys)
    assert status == 0
    doc = json.loads((tmp_path / "out" / "d1.json").read_text(encoding="utf-8"))
    assert [m["type"] for m in doc["mentions"]] == ["PER", "GPE"]


@pytest.mark.parametrize("module", [conll, webanno, cat, labelstudio])
def test_every_importer_checks_map_targets_before_reading_a_document(tmp_path: Path, module: object) -> None:
    tmap = _map(tmp_path, {"X": "Persona"})
    missing = tmp_path / "no-such-source"
    with pytest.raises(NewsbenchError) as raised:
        module.import_files([missing], ImportOptions(type_map=str(tmap)))  # type: ignore[attr-defined]
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == (str(tmap), "$.types.X")
    assert "'Persona' is not a newsbench type" in problem.message
