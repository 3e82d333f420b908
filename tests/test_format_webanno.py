"""WebAnno TSV 3.x import: UTF-16 offsets, multi-token ids, stacked values, escapes and chains on a small
hand-written file; and all 24 GUM news documents against the CoNLL-U files beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.formats import webanno, webanno_tsv
from newsbench.formats.contract import ImportOptions
from newsbench.model import Entity, KBLink, Mention
from newsbench.problems import NewsbenchError
from newsbench.spans import Span
from newsbench.validate import validate_data

FIXTURE = Path(__file__).parent / "fixtures" / "formats" / "webanno" / "ner_chain.tsv"
TEXT = "Ana 😀 met Bob Li.\nHe smiled."


def test_utf16_offsets_become_code_points_and_chains_become_entities() -> None:
    (doc,) = webanno.import_files([FIXTURE], ImportOptions(type_map="inception-ner"))
    assert doc.text == TEXT
    # "Bob" is at UTF-16 offset 11 but code point 10: the emoji before it counts twice in UTF-16
    assert doc.mentions == (
        Mention("m1", (Span.of(TEXT, 0, 3),), "PER", "NAM"),
        Mention("m2", (Span.of(TEXT, 10, 16),), "PER", "NAM"),
        Mention("m3", (Span.of(TEXT, 18, 20),), "PER", "NAM"),
    )
    assert doc.entities == (
        Entity("e1", "PER", ("m1", "m3"), links=(KBLink("KB", "Q_1"),)),  # Q\_1 unescaped
        Entity("e2", "PER", ("m2",)),
    )
    assert doc.meta["import"]["dropped"] == {"mentions typed OTH": 1}
    assert validate_data(doc.to_json(), "x") == []


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("_", []),
        ("PER", [("PER", None)]),
        ("PER[2]|OTH", [("PER", "2"), ("OTH", None)]),
        ("*[7]", [("*", "7")]),
        (r"a\|b[3]", [("a|b", "3")]),
        (r"x\[1\]", [("x[1]", None)]),
    ],
)
def test_cells_split_into_stacked_values_with_ids(cell: str, values: list[tuple[str, str | None]]) -> None:
    assert webanno_tsv.cell_values(cell) == values


def test_a_file_that_is_not_webanno_tsv_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.tsv"
    bad.write_text("hello\tworld\n", encoding="utf-8")
    with pytest.raises(NewsbenchError, match=r"not WebAnno TSV 3\.x"):
        webanno.import_files([bad], ImportOptions())


def _conllu_texts(path: Path) -> list[str]:
    return [
        line[len("# text = ") :]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]


def test_all_gum_news_documents_import_validate_and_keep_the_sentence_text(external: Path) -> None:
    gum = external / "gum-news"
    docs = webanno.import_files([gum / "tsv"], ImportOptions(conllu=gum / "conllu", splits=gum / "splits.md"))
    assert len(docs) == 24
    for doc in docs:
        assert validate_data(doc.to_json(), doc.id) == []
        sentences = [line for line in doc.text.split("\n") if line]
        assert sentences == _conllu_texts(gum / "conllu" / f"{doc.id}.conllu")
    by_id = {d.id: d for d in docs}
    # from splits.md: nasa and sensitive are test, homeopathic and iodine dev, the other 20 train
    assert {d.id for d in docs if d.meta["split"] == "test"} == {"GUM_news_nasa", "GUM_news_sensitive"}
    assert {d.id for d in docs if d.meta["split"] == "dev"} == {"GUM_news_homeopathic", "GUM_news_iodine"}
    afghan = by_id["GUM_news_afghan"]
    assert afghan.title and afghan.title.startswith("After visa snags")
    assert afghan.published == "2017-07-18"
    team = next(e for e in afghan.entities if e.name == "Afghan Girls Robotics Team")
    assert team.type == "ORG" and team.links == (KBLink("Wikipedia", "Afghan_Girls_Robotics_Team"),)
    kinds = {(m.text, m.kind) for m in afghan.mentions}
    assert ("Tuesday", "NAM") in kinds  # head PROPN
    assert ("A group of Afghan teenagers", "NOM") in kinds  # head NOUN
    assert any(kind == "PRO" for _, kind in kinds)


def _gum_with_target(external: Path, tmp_path: Path, relation: str, target: str) -> tuple[Path, str]:
    """The first GUM news file with the target cell of its first ``relation`` row replaced."""
    source = sorted((external / "gum-news" / "tsv").glob("*.tsv"))[0]
    lines = source.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.endswith("\t") and line.split("\t")[-3] == relation)
    cells = lines[row].split("\t")
    cells[-2] = target
    lines[row] = "\t".join(cells)
    changed = tmp_path / source.name
    changed.write_text("\n".join(lines), encoding="utf-8")
    return changed, cells[0]


def test_a_malformed_coreference_target_names_the_file_and_token(external: Path, tmp_path: Path) -> None:
    """A coreference target that is not a token address would silently split a chain; it is refused."""
    broken, address = _gum_with_target(external, tmp_path, "coref", "oops")
    with pytest.raises(NewsbenchError) as raised:
        webanno.import_files([broken], ImportOptions())
    (problem,) = raised.value.problems
    assert (problem.file, problem.path) == (str(broken), f"token {address}")
    assert "'oops'" in problem.message


@pytest.mark.parametrize(
    ("relation", "target"),
    [("disc", "oops"), ("coref", "4-17.1"), ("coref", "4-17.1[31_2]")],
    ids=["malformed-but-not-coreference", "sub-token", "sub-token-with-ids"],
)
def test_targets_that_do_not_split_a_chain_import(
    external: Path, tmp_path: Path, relation: str, target: str
) -> None:
    changed, _ = _gum_with_target(external, tmp_path, relation, target)
    (doc,) = webanno.import_files([changed], ImportOptions())
    assert validate_data(doc.to_json(), "x") == []
