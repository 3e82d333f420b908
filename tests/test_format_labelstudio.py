"""Label Studio JSON both ways (code points and UTF-16 units), a foreign export keyed on label values, and
the spaCy Doc.to_json export with what its flat ents leave out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats_docs import rich_document, with_event_cluster

from newsbench.formats import labelstudio, spacy_json
from newsbench.formats.contract import ExportOptions, ImportOptions, LeftOut
from newsbench.model import Entity, Mention
from newsbench.problems import NewsbenchError
from newsbench.spans import Span

FOREIGN = Path(__file__).parent / "fixtures" / "formats" / "labelstudio" / "foreign.json"


@pytest.mark.parametrize("utf16", [False, True], ids=["code-points", "utf16"])
def test_export_then_import_gives_the_same_document(utf16: bool, tmp_path: Path) -> None:
    doc = with_event_cluster(rich_document())
    result = labelstudio.export_documents([doc], tmp_path, ExportOptions(utf16=utf16))
    assert result.left_out == ()
    (back,) = labelstudio.import_files([tmp_path / "tasks.json"], ImportOptions(utf16=utf16))
    assert back == doc


@pytest.mark.parametrize(("utf16", "start"), [(False, 22), (True, 23)])
def test_offsets_after_an_emoji_depend_on_the_unit(utf16: bool, start: int) -> None:
    task = labelstudio.to_task(rich_document(), utf16)
    region = next(
        r for r in task["annotations"][0]["result"] if r.get("id") == "m1" and r["type"] == "labels"
    )
    assert (region["value"]["start"], region["value"]["end"]) == (start, start + 9)  # "Ana Lopez"


def test_a_discontinuous_mention_is_two_regions_joined_by_a_fragment_relation() -> None:
    task = labelstudio.to_task(rich_document(), False)
    results = task["annotations"][0]["result"]
    assert [
        r["value"]["text"] for r in results if r.get("id") in ("m4", "m4.1") and r["type"] == "labels"
    ] == ["José’s", "town"]
    assert {
        "type": "relation",
        "from_id": "m4",
        "to_id": "m4.1",
        "direction": "right",
        "labels": ["fragment"],
    } in results


def test_a_foreign_export_in_utf16_units_imports_by_label_values() -> None:
    (doc,) = labelstudio.import_files(
        [FOREIGN], ImportOptions(utf16=True, drop_unknown=True, default_kind="NAM")
    )
    text = "Mia 🎉 met Leo. She waved at Oslo."
    assert doc.id == "foreign-7"
    assert doc.mentions == (
        Mention("a1x", (Span.of(text, 0, 3),), "PER", "NAM"),
        Mention("b2y", (Span.of(text, 10, 13),), "PER", "NAM"),
        Mention("c3z", (Span.of(text, 15, 18),), "PER", "PRO"),
    )
    # an unlabelled relation between mentions is read as coreference; Leo, in none, is in no entity
    assert doc.entities == (Entity("e1", "PER", ("a1x", "c3z")),)
    assert doc.meta["import"]["dropped"] == {
        "mention kinds missing (set to NAM)": 2,
        "regions labelled MISC": 1,
    }


def test_utf16_offsets_read_as_code_points_are_caught_with_a_hint() -> None:
    with pytest.raises(NewsbenchError, match="try --utf16"):
        labelstudio.import_files([FOREIGN], ImportOptions())


def test_spacy_json_has_text_flat_ents_sentences_and_tokens(tmp_path: Path) -> None:
    every_kind = ExportOptions(mention_kinds=("NAM", "NOM", "PRO"))
    result = spacy_json.export_documents([rich_document()], tmp_path, every_kind)
    data = json.loads((tmp_path / "rich-1.spacy.json").read_text(encoding="utf-8"))
    assert data["text"] == rich_document().text
    assert data["ents"][:3] == [
        {"start": 22, "end": 31, "label": "PER"},
        {"start": 34, "end": 40, "label": "ORG"},
        {"start": 50, "end": 55, "label": "GPE"},
    ]
    assert len(data["sents"]) == 5  # one per line of the CRLF text
    assert data["tokens"][0] == {"id": 0, "start": 0, "end": 1}  # the opening curly quote
    assert (
        LeftOut("rich-1", "mentions", 1, "discontinuous mentions (a flat tag sequence has no gaps)")
        in result.left_out
    )
    assert LeftOut("rich-1", "mention kinds", 9, "spaCy ents hold types only") in result.left_out
    assert LeftOut("rich-1", "quotes", 3, "spaCy ents hold one layer of mentions") in result.left_out


@pytest.mark.parametrize("bad", [3.0, 3.7, True, "3"])
def test_a_region_offset_that_is_not_an_integer_is_refused(bad: object, tmp_path: Path) -> None:
    data = json.loads(FOREIGN.read_text(encoding="utf-8"))
    tasks = data if isinstance(data, list) else [data]
    region = next(
        r for t in tasks for a in t["annotations"] for r in a["result"] if "start" in r.get("value", {})
    )
    region["value"]["end"] = bad
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NewsbenchError, match="must be integers"):
        labelstudio.import_files([file], ImportOptions(utf16=True))
