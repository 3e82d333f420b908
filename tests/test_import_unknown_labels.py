"""Import never loses data silently: labels and attribute values with no mapping fail the import (exit 1,
each label with its count, pointing at ``--typemap``) unless ``--drop-unknown`` accepts dropping them, and
then they are listed; mentions without a kind need ``--default-kind``; a type map's ``null`` is a declared,
counted drop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbench.cli import main
from newsbench.formats import brat_read, cat, conll, labelstudio, webanno
from newsbench.formats.contract import ImportOptions
from newsbench.problems import NewsbenchError
from newsbench.typemap import load_type_map

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TEXT = "Bob Smith met the Acme board in Paris.\n"
COMMON_LABELS = (
    "T1\tPerson 0 9\tBob Smith\nA1\tKind T1 NAM\n"
    "T2\tOrganization 18 22\tAcme\nA2\tKind T2 NAM\n"
    "T3\tPerson 32 37\tParis\nA3\tKind T3 NAM\n"
    "T4\tGPE 32 37\tParis\nA4\tKind T4 NAM\n"
)


def _brat(tmp_path: Path, ann: str, text: str = TEXT) -> Path:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    (folder / "d.txt").write_text(text, encoding="utf-8", newline="")
    (folder / "d.ann").write_text(ann, encoding="utf-8")
    return folder


def _messages(exc: pytest.ExceptionInfo[NewsbenchError]) -> list[str]:
    return [p.message for p in exc.value.problems]


def test_brat_with_common_labels_exits_1_naming_each_label_with_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _brat(tmp_path, COMMON_LABELS)
    out = tmp_path / "out"
    assert main(["import", "brat", str(src), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "unknown span type 'Organization': 1 annotations" in err
    assert "unknown span type 'Person': 2 annotations" in err
    assert "--typemap" in err and "--drop-unknown" in err
    assert not out.exists() or not any(out.iterdir())


def test_drop_unknown_imports_the_rest_and_lists_what_it_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _brat(tmp_path, COMMON_LABELS)
    out = tmp_path / "out"
    assert main(["import", "brat", str(src), "--out", str(out), "--drop-unknown"]) == 0
    err = capsys.readouterr().err
    assert "2 spans typed Person" in err and "1 spans typed Organization" in err
    doc = json.loads((out / "d.json").read_text(encoding="utf-8"))
    assert [m["type"] for m in doc["mentions"]] == ["GPE"]
    assert doc["meta"]["import"]["dropped"] == {"spans typed Organization": 1, "spans typed Person": 2}


def test_a_type_map_given_with_typemap_renames_brat_labels_and_its_nulls_drop_on_purpose(
    tmp_path: Path,
) -> None:
    src = _brat(tmp_path, COMMON_LABELS)
    tmap = tmp_path / "mine.json"
    tmap.write_text(json.dumps({"types": {"Person": "PER", "Organization": None}}), encoding="utf-8")
    (doc,) = brat_read.import_files([src], ImportOptions(type_map=str(tmap)))
    assert [(m.text, m.type) for m in doc.mentions] == [
        ("Bob Smith", "PER"),
        ("Paris", "PER"),
        ("Paris", "GPE"),
    ]
    assert doc.meta["import"]["dropped"] == {"spans typed Organization": 1}


def test_a_mention_without_a_kind_needs_default_kind(tmp_path: Path) -> None:
    src = _brat(tmp_path, "T1\tPER 0 9\tBob Smith\nT2\tGPE 32 37\tParis\nA1\tKind T2 NAM\n")
    with pytest.raises(NewsbenchError) as caught:
        brat_read.import_files([src], ImportOptions())
    (message,) = _messages(caught)
    assert message.startswith("1 mentions have no mention kind") and "--default-kind" in message
    (doc,) = brat_read.import_files([src], ImportOptions(default_kind="NOM"))
    assert [m.kind for m in doc.mentions] == ["NOM", "NAM"]
    assert doc.meta["import"]["dropped"] == {"mention kinds missing (set to NOM)": 1}


def test_import_says_a_default_kind_was_set_rather_than_that_something_was_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ann = "T1\tPER 0 9\tBob Smith\nT2\tGPE 32 37\tParis\nT3\tOrganization 18 22\tAcme\n"
    argv = ["import", "brat", str(_brat(tmp_path, ann)), "--out", str(tmp_path / "out")]
    assert main([*argv, "--default-kind", "NAM", "--drop-unknown"]) == 0
    err = capsys.readouterr().err
    assert (
        "imported d (dropped: 1 spans typed Organization; kind set to NAM for 2 mentions that had none)"
        in err
    )
    assert main([*argv, "--default-kind", "NAM", "--typemap", str(_map(tmp_path))]) == 0
    assert "imported d (kind set to NAM for 3 mentions that had none)\n" in capsys.readouterr().err


def _map(tmp_path: Path) -> Path:
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"types": {"Organization": "ORG"}}), encoding="utf-8")
    return path


def test_unknown_brat_attributes_and_attribute_values_are_unknown_labels(tmp_path: Path) -> None:
    ann = (
        "T1\tPER 0 9\tBob Smith\nA1\tKind T1 NAM\nA2\tNegated T1\n"
        "T2\tContact.Meet 10 13\tmet\nE1\tContact.Meet:T2 Entity:T1\nA3\tPolarity E1 sort-of\n"
    )
    src = _brat(tmp_path, ann)
    with pytest.raises(NewsbenchError) as caught:
        brat_read.import_files([src], ImportOptions())
    assert _messages(caught)[:2] == [
        "unknown Polarity value 'sort-of': 1 annotations",
        "unknown attribute 'Negated': 1 annotations",
    ]
    (doc,) = brat_read.import_files([src], ImportOptions(drop_unknown=True))
    assert doc.events[0].polarity is None
    assert doc.meta["import"]["dropped"] == {
        "Polarity values outside the schema": 1,
        "attributes named Negated": 1,
    }


def test_an_unknown_event_role_is_named_with_its_event_type(tmp_path: Path) -> None:
    ann = (
        "T1\tPER 0 9\tBob Smith\nA1\tKind T1 NAM\nT2\tContact.Meet 10 13\tmet\nE1\tContact.Meet:T2 Host:T1\n"
    )
    with pytest.raises(NewsbenchError) as caught:
        brat_read.import_files([_brat(tmp_path, ann)], ImportOptions())
    assert _messages(caught)[0] == "unknown role 'Contact.Meet Host': 1 annotations"


def test_the_brat_text_column_is_checked_against_the_text(tmp_path: Path) -> None:
    src = _brat(tmp_path, "T1\tPER 0 9\tBob Smyth\nA1\tKind T1 NAM\n")
    with pytest.raises(NewsbenchError) as caught:
        brat_read.import_files([src], ImportOptions(drop_unknown=True, default_kind="NAM"))
    (problem,) = caught.value.problems
    assert problem.path == "line 1" and "'Bob Smyth' differs from the text at its offsets 'Bob Smith'" in (
        problem.message
    )


def _task(results: list[dict[str, object]]) -> dict[str, object]:
    return {"data": {"text": TEXT, "doc_id": "t"}, "annotations": [{"result": results}]}


def _region(rid: str, start: int, end: int, label: str) -> dict[str, object]:
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def test_label_studio_unknown_regions_choices_and_relations_are_each_named(tmp_path: Path) -> None:
    choice: dict[str, object] = {
        "id": "a",
        "type": "choices",
        "value": {"start": 0, "end": 9, "choices": ["NAM", "Famous"]},
    }
    results: list[dict[str, object]] = [
        _region("a", 0, 9, "PER"),
        choice,
        _region("b", 18, 22, "Company"),
        _region("c", 32, 37, "GPE"),
        {"type": "choices", "id": "c", "value": {"start": 32, "end": 37, "choices": ["NAM"]}},
        {"type": "relation", "from_id": "a", "to_id": "c", "labels": ["lives_in"]},
    ]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([_task(results)]), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        labelstudio.import_files([path], ImportOptions())
    assert _messages(caught)[:3] == [
        "unknown choice 'Famous': 1 annotations",
        "unknown region label 'Company': 1 annotations",
        "unknown relation 'lives_in': 1 annotations",
    ]
    (doc,) = labelstudio.import_files([path], ImportOptions(drop_unknown=True))
    assert [m.type for m in doc.mentions] == ["PER", "GPE"]
    assert doc.meta["import"]["dropped"] == {
        "choices Famous": 1,
        "regions labelled Company": 1,
        "relations labelled lives_in": 1,
    }


def test_a_type_map_null_is_a_declared_drop_and_an_unlisted_label_is_unknown(tmp_path: Path) -> None:
    fixture = FIXTURES / "webanno" / "ner_chain.tsv"
    (doc,) = webanno.import_files([fixture], ImportOptions(type_map="inception-ner"))
    shipped = load_type_map("inception-ner")
    narrow = tmp_path / "narrow.json"
    narrow.write_text(json.dumps(shipped | {"types": {"PER": "PER"}}), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        webanno.import_files([fixture], ImportOptions(type_map=str(narrow)))
    unknown = [m for m in _messages(caught) if m.startswith("unknown entity type")]
    assert unknown and all("'PER'" not in m for m in unknown)
    declared = tmp_path / "declared.json"
    labels = {m.split("'")[1] for m in unknown}
    declared.write_text(
        json.dumps(shipped | {"types": {"PER": "PER"} | dict.fromkeys(labels)}), encoding="utf-8"
    )
    (kept,) = webanno.import_files([fixture], ImportOptions(type_map=str(declared)))
    assert [m.type for m in kept.mentions] == [m.type for m in doc.mentions if m.type == "PER"]
    assert sum(kept.meta["import"]["dropped"].values()) >= len(unknown)


def test_conll_tags_outside_the_ontology_are_unknown_unless_dropping_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "d.conll"
    path.write_text("Bob\tB-PER\nlikes\tO\nLinux\tB-MISC\n", encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        conll.import_files([path], ImportOptions())
    assert _messages(caught)[0] == "unknown entity type 'MISC': 1 annotations"
    (doc,) = conll.import_files([path], ImportOptions(drop_unknown=True, default_kind="NOM"))
    assert [(m.type, m.kind) for m in doc.mentions] == [("PER", "NOM")]
    assert doc.meta["import"]["dropped"] == {"mentions typed MISC": 1}


def test_cat_attribute_values_the_map_does_not_list_are_unknown(tmp_path: Path) -> None:
    xml = (FIXTURES / "cat" / "small.xml").read_text(encoding="utf-8")
    assert 'tense="PAST"' in xml
    path = tmp_path / "odd.xml"
    path.write_text(xml.replace('tense="PAST"', 'tense="PLUPERFECT"', 1), encoding="utf-8")
    with pytest.raises(NewsbenchError) as caught:
        cat.import_files([path], ImportOptions())
    assert _messages(caught)[0] == "unknown tense value 'PLUPERFECT': 1 annotations"
    (doc,) = cat.import_files([FIXTURES / "cat" / "small.xml"], ImportOptions())
    assert doc.meta["import"]["dropped"]["entity mentions typed PRO"] == 2
