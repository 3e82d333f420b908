"""CoNLL column files: the three tagging schemes written and read, alignment back to the original text
(CRLF, emoji, combining marks), a rebuilt text without it, and what a flat tag sequence leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formats_docs import rich_document

from newsbench import tagging
from newsbench.cli import main
from newsbench.formats import conll
from newsbench.formats.contract import ExportOptions, ImportOptions, LeftOut
from newsbench.model import Document, Mention
from newsbench.problems import NewsbenchError
from newsbench.spans import Span

# tokens: Ana Lopez met Bob in Paris Texas .  with chunks PER(0-2) PER(3) GPE(5) GPE(6)
CHUNKS = [(0, 2, "PER"), (3, 4, "PER"), (5, 6, "GPE"), (6, 7, "GPE")]
TAGS = {
    "IOB1": ["I-PER", "I-PER", "O", "I-PER", "O", "I-GPE", "B-GPE", "O"],
    "IOB2": ["B-PER", "I-PER", "O", "B-PER", "O", "B-GPE", "B-GPE", "O"],
    "IOBES": ["B-PER", "E-PER", "O", "S-PER", "O", "S-GPE", "S-GPE", "O"],
}


@pytest.mark.parametrize("name", sorted(TAGS))
def test_each_scheme_writes_and_reads_the_same_chunks(name: str) -> None:
    assert tagging.encode(8, CHUNKS, name) == TAGS[name]
    assert tagging.decode(TAGS[name], name) == CHUNKS


@pytest.mark.parametrize(
    ("tags", "chunks"),
    [
        (["I-PER", "I-PER"], [(0, 2, "PER")]),  # IOB2 read leniently: I without B opens a chunk
        (["B-PER", "I-ORG"], [(0, 1, "PER"), (1, 2, "ORG")]),  # a type change opens a new chunk
        (["B-PER", "O", "I-PER"], [(0, 1, "PER"), (2, 3, "PER")]),
    ],
)
def test_decoding_is_lenient_like_conlleval(tags: list[str], chunks: list[tuple[int, int, str]]) -> None:
    assert tagging.decode(tags, "IOB2") == chunks


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(NewsbenchError, match="unknown tagging scheme"):
        tagging.encode(1, [], "BILOU")


TEXT = "Zoë Kim 😀 visited Cafe\u0301 Rio.\r\nThen Kim left."


def flat_document() -> Document:
    def m(mid: str, start: int, end: int, type_: str) -> Mention:
        return Mention(mid, (Span.of(TEXT, start, end),), type_, "NAM")

    # Zoë Kim 0-7, emoji 8, visited 10-17, Café (e + combining acute) 18-23, Rio 23-27? computed by hand:
    # "Cafe\u0301" is 5 code points at 18-23, " " 23, "Rio" 24-27, "." 27, CRLF 28-29, "Then" 30-34, "Kim" 35-38
    return Document(
        id="flat",
        text=TEXT,
        mentions=(m("m1", 0, 7, "PER"), m("m2", 18, 27, "FAC"), m("m3", 35, 38, "PER")),
    )


@pytest.mark.parametrize("name", sorted(TAGS))
def test_export_then_import_aligned_to_the_text_gives_the_same_mentions(name: str, tmp_path: Path) -> None:
    doc = flat_document()
    result = conll.export_documents([doc], tmp_path, ExportOptions(scheme=name))
    assert result.left_out == ()
    (back,) = conll.import_files([tmp_path / "flat.conll"], ImportOptions(scheme=name, text_dir=tmp_path))
    assert back.text == TEXT
    assert back.mentions == doc.mentions


def test_without_the_text_tokens_are_joined_by_single_spaces(tmp_path: Path) -> None:
    (tmp_path / "d.conll").write_text("-DOCSTART- O\n\nAna B-PER\nran O\n. O\n\nOK O\n", encoding="utf-8")
    (doc,) = conll.import_files([tmp_path], ImportOptions())
    assert doc.text == "Ana ran .\nOK"
    assert doc.mentions == (Mention("m1", (Span.of(doc.text, 0, 3),), "PER", "NAM"),)


def test_each_docstart_section_is_a_document(tmp_path: Path) -> None:
    (tmp_path / "corpus.conll").write_text(
        "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n-DOCSTART- -X- O O\n\nPeter NNP B-NP B-PER\n",
        encoding="utf-8",
    )
    docs = conll.import_files([tmp_path / "corpus.conll"], ImportOptions())
    assert [(d.id, d.text, [m.type for m in d.mentions]) for d in docs] == [
        ("corpus-1", "EU rejects", ["ORG"]),
        ("corpus-2", "Peter", ["PER"]),
    ]


def test_tokens_that_are_not_in_the_text_are_reported(tmp_path: Path) -> None:
    (tmp_path / "d.conll").write_text("Ana B-PER\nwalked O\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("Ana ran.", encoding="utf-8")
    with pytest.raises(NewsbenchError, match="token 2 'walked' not found"):
        conll.import_files([tmp_path / "d.conll"], ImportOptions(text_dir=tmp_path))


def test_what_flat_tags_cannot_hold_is_reported() -> None:
    _, notes = conll.to_conll(rich_document(), "IOB2", ("NAM", "NOM", "PRO"))
    assert (
        LeftOut("rich-1", "mentions", 1, "discontinuous mentions (a flat tag sequence has no gaps)") in notes
    )
    # "the city" (NOM) lies inside the quote content but is not nested in a mention; kinds other than NAM:
    assert (
        LeftOut("rich-1", "mention kinds", 5, "CoNLL column files hold types only; import reads NAM") in notes
    )
    assert {n.layer for n in notes} >= {"entities", "events", "quotes", "ignore"}


def test_by_default_only_names_are_tagged_and_the_other_kinds_are_listed_as_left_out(tmp_path: Path) -> None:
    """A CoNLL user reads every tag as a named entity, and an import reads every tag back as NAM: a NOM or
    PRO mention tagged there would come back as a name."""
    doc = rich_document()
    result = conll.export_documents([doc], tmp_path, ExportOptions())
    assert LeftOut(
        "rich-1", "mentions", 5, "of kinds NOM 3, PRO 2: only NAM is written (--mention-kinds chooses)"
    ) in (result.left_out)
    assert not any(n.layer == "mention kinds" for n in result.left_out)
    (back,) = conll.import_files([tmp_path / "rich-1.conll"], ImportOptions(text_dir=tmp_path))
    names = sorted((m.text, m.type) for m in doc.mentions if m.kind == "NAM")
    assert sorted((m.text, m.type) for m in back.mentions) == names
    assert {m.kind for m in back.mentions} == {"NAM"}


def test_mention_kinds_chooses_what_a_flat_export_tags_and_refuses_formats_that_keep_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc_path = tmp_path / "rich-1.json"
    doc_path.write_text(json.dumps(rich_document().to_json()), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", "conll", str(doc_path), "--out", str(out), "--mention-kinds", "NAM,NOM"]) == 0
    notes = json.loads((out / "export-notes.json").read_text(encoding="utf-8"))["left_out"]
    assert {
        "document": "rich-1",
        "layer": "mentions",
        "count": 2,
        "reason": "of kinds PRO 2: only NAM,NOM is written (--mention-kinds chooses)",
    } in notes
    capsys.readouterr()
    assert (
        main(["export", "brat", str(doc_path), "--out", str(tmp_path / "b"), "--mention-kinds", "NAM"]) == 2
    )
    assert "brat keeps every mention with its kind" in capsys.readouterr().err
    assert main(["export", "conll", str(doc_path), "--out", str(out), "--mention-kinds", "NAME"]) == 2
