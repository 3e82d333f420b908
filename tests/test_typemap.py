"""Type maps: one format (``schema/typemap.schema.json``), one loader (``newsbench.typemap``). The maps moved
onto it carry exactly what the three earlier formats said (the earlier files are kept as fixtures), and a bad
map fails on reading with its file and JSON path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsbench.baselines.spacy_adapter import LabelMap, label_map
from newsbench.problems import NewsbenchError
from newsbench.typemap import load_type_map, shipped_names, types

BEFORE = Path(__file__).parent / "fixtures" / "typemaps-before"


def _before(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BEFORE / name).read_text(encoding="utf-8"))
    return data


def test_every_shipped_map_passes_the_schema_and_has_types() -> None:
    assert shipped_names() == ["gum", "inception-ner", "meantime", "ontonotes"]
    for name in shipped_names():
        assert isinstance(load_type_map(name)["types"], dict)


@pytest.mark.parametrize("name", ["gum", "inception-ner"])
def test_importer_maps_read_as_before(name: str) -> None:
    assert load_type_map(name) == _before(f"{name}.json")


def test_the_meantime_map_is_the_earlier_one_with_its_entity_types_under_types() -> None:
    before = _before("meantime.json")
    before["types"] = before.pop("entity_types")
    before["types_note"] = before.pop("entity_types_note")
    assert load_type_map("meantime") == before


def test_the_ontonotes_map_gives_every_earlier_label_its_earlier_type() -> None:
    before = _before("ontonotes_map.json")
    now = load_type_map("ontonotes")
    expected = {**before["labels"], **dict.fromkeys(before["dropped"])}
    assert types(now) == expected
    assert types(now, "demonym_types") == before["demonym_labels"]
    assert now["strip_leading"] == before["strip_leading"]
    earlier = LabelMap(
        labels=dict(before["labels"]),
        demonym_labels=dict(before["demonym_labels"]),
        strip_leading=frozenset(w.lower() for w in before["strip_leading"]),
    )
    assert label_map() == earlier


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"description": "no table"}, r"\$\.types: is required"),
        ({"types": {"PER": 3}}, r"\$\.types\.PER: "),
        ({"types": {"PER": ""}}, r"\$\.types\.PER: "),
        ({"types": {}, "demonym_types": ["NORP"]}, r"\$\.demonym_types: "),
        ({"types": {}, "strip_leading": "the"}, r"\$\.strip_leading: "),
        ({"types": {}, "types_note": 1}, r"\$\.types_note: "),
    ],
)
def test_a_bad_map_fails_on_reading_naming_its_file_and_json_path(
    tmp_path: Path, data: dict[str, Any], path: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NewsbenchError, match=rf"bad\.json: {path}") as raised:
        load_type_map(str(file))
    assert len(str(raised.value).splitlines()) == 1


def test_an_unknown_map_name_lists_the_shipped_ones() -> None:
    with pytest.raises(NewsbenchError, match="shipped: gum, inception-ner, meantime, ontonotes"):
        load_type_map("gumm")
