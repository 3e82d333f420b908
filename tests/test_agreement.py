"""``newsbench agree``: F1 both ways, Cohen's kappa over token labels, the confusion table, disagreements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_doc, mention

from newsbench.cli import main
from newsbench.eval.agreement.measure import agreement
from newsbench.eval.agreement.tokens import compare_labels, token_labels
from newsbench.jsonio import dumps_document
from newsbench.model import Document
from newsbench.problems import NewsbenchError

# Astral emoji, combining mark (e + U+0308), CRLF: 13 tokens, offsets counted by hand.
TEXT = "Zoe\u0308 😀 met Ana Lima in Paris.\r\nUN staff said so."
#       0123 4 5 678 9012345678 901234567 8 9 0123456789012345
ANA, PARIS, UN, ZOE = (11, 19), (23, 28), (31, 33), (0, 4)


def side_a() -> Document:
    return make_doc(
        TEXT,
        mentions=(
            mention(TEXT, "a1", *ANA, "PER"),
            mention(TEXT, "a2", *PARIS, "GPE"),
            mention(TEXT, "a3", *UN, "ORG"),
        ),
    )


def side_b() -> Document:
    return make_doc(
        TEXT,
        mentions=(
            mention(TEXT, "b1", *ANA, "PER"),
            mention(TEXT, "b2", *PARIS, "LOC"),
            mention(TEXT, "b3", *ZOE, "PER"),
        ),
    )


def test_offsets_in_the_fixture_are_what_the_comments_say() -> None:
    assert [TEXT[s:e] for s, e in (ANA, PARIS, UN, ZOE)] == ["Ana Lima", "Paris", "UN", "Zoe\u0308"]


@pytest.mark.parametrize(
    ("a", "b", "kappa", "observed"),
    [
        (["O", "PER", "O", "O"], ["O", "PER", "ORG", "O"], 5 / 9, 3 / 4),  # pe = 7/16
        (["PER", "O"], ["O", "PER"], -1.0, 0.0),  # pe = 1/2, po = 0
        (["O", "O"], ["O", "O"], None, 1.0),  # one label throughout: chance agreement 1, kappa undefined
    ],
)
def test_cohen_kappa_matches_hand_computation(
    a: list[str], b: list[str], kappa: float | None, observed: float
) -> None:
    result = compare_labels(a, b)
    assert result.observed == pytest.approx(observed)
    assert result.kappa == (None if kappa is None else pytest.approx(kappa))


def test_token_labels_take_the_longest_mention_and_only_wanted_kinds() -> None:
    text = "NASA chief Bill Nelson spoke"
    doc = make_doc(
        text,
        mentions=(
            mention(text, "m1", 0, 22, "PER"),
            mention(text, "m2", 0, 4, "ORG"),
            mention(text, "m3", 11, 22, "PER", kind="NOM"),
        ),
    )
    assert token_labels(doc, ["NAM"]) == ["PER", "PER", "PER", "PER", "O"]
    assert token_labels(doc, ["NOM"]) == ["O", "O", "PER", "PER", "O"]


def test_agreement_reports_f1_both_ways_kappa_confusion_and_disagreements() -> None:
    result = agreement([side_a()], [side_b()], mention_kinds=("NAM",), tasks=("entities",))
    layers = result.layers()["entities"]
    # strict: COR Ana Lima, INC Paris, MIS UN, SPU Zoë -> P = R = F1 = 1/3 either way
    assert layers["strict"]["A_reference"]["f1"] == pytest.approx(1 / 3, abs=1e-6)
    assert layers["strict"]["B_reference"]["f1"] == pytest.approx(1 / 3, abs=1e-6)
    # partial ignores the type: Paris is COR too -> 2/3
    assert layers["partial"]["A_reference"]["f1"] == pytest.approx(2 / 3, abs=1e-6)
    # A: O O O PER PER O GPE O ORG O O O O; B: PER O O PER PER O LOC O O O O O O
    # po = 10/13, pe = (9*9 + 2*3)/169 = 87/169 -> kappa = 43/82
    assert result.tokens.tokens == 13
    assert result.tokens.kappa == pytest.approx(43 / 82)
    assert result.tokens.confusion.nested() == {
        "GPE": {"LOC": 1},
        "O": {"O": 8, "PER": 1},
        "ORG": {"O": 1},
        "PER": {"PER": 2},
    }
    kinds = sorted((d["kind"], (d["A"] or d["B"])["text"]) for d in result.to_json()["disagreements"])
    assert kinds == [("different type", "Paris"), ("only in A", "UN"), ("only in B", "Zoe\u0308")]


def test_identical_annotations_agree_fully() -> None:
    result = agreement([side_a()], [side_a()], mention_kinds=("NAM",), tasks=("entities",))
    assert result.layers()["entities"]["strict"]["B_reference"]["f1"] == 1
    assert result.tokens.kappa == pytest.approx(1.0)
    assert result.disagreements == ()


EXTRA = make_doc("Another text.", doc_id="extra")


@pytest.mark.parametrize(
    ("a_docs", "b_docs", "message"),
    [
        ([side_a()], [make_doc(TEXT + " ")], "^A: document d1: \\$.text: the text differs from B's document"),
        (
            [side_a()],
            [make_doc(TEXT, doc_id="other")],
            "B: document other: \\$.id: A has no document with this id",
        ),
        ([side_a()], [side_a(), EXTRA], "^B: document extra: \\$.id: A has no document with this id$"),
        ([side_a(), EXTRA], [side_a()], "^A: document extra: \\$.id: B has no document with this id$"),
    ],
    ids=["different text", "different id", "only B has a document", "only A has a document"],
)
def test_sides_must_hold_the_same_documents(
    a_docs: list[Document], b_docs: list[Document], message: str
) -> None:
    with pytest.raises(NewsbenchError, match=message):
        agreement(a_docs, b_docs)


def test_agree_command_writes_canonical_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, doc in (("a", side_a()), ("b", side_b())):
        (tmp_path / name).mkdir()
        (tmp_path / name / "d1.json").write_text(dumps_document(doc.to_json()), encoding="utf-8")
    args = [
        "agree",
        str(tmp_path / "a"),
        str(tmp_path / "b"),
        "--mention-kinds",
        "NAM",
        "--tasks",
        "entities",
    ]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    first = (tmp_path / "out" / "agreement.json").read_bytes()
    data = json.loads(first)
    assert data["tokens"]["cohen_kappa"] == round(43 / 82, 6)
    assert len(data["disagreements"]) == 3
    assert "## Disagreements (3)" in (tmp_path / "out" / "agreement.md").read_text(encoding="utf-8")
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "agreement.json").read_bytes() == first
    assert "Cohen's kappa: 0.5244" in capsys.readouterr().out


def test_agree_reads_any_importable_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ann = {
        "a": "T1\tPER 11 19\tAna Lima\nA1\tKind T1 NAM\nT2\tGPE 23 28\tParis\nA2\tKind T2 NAM\n",
        "b": "T1\tPER 11 19\tAna Lima\nA1\tKind T1 NAM\nT2\tLOC 23 28\tParis\nA2\tKind T2 NAM\n",
    }
    for side, lines in ann.items():
        (tmp_path / side).mkdir()
        (tmp_path / side / "d1.txt").write_bytes(TEXT.encode("utf-8"))
        (tmp_path / side / "d1.ann").write_text(lines, encoding="utf-8")
    args = ["agree", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "brat", "--tasks", "entities"]
    assert main([*args, "--mention-kinds", "NAM", "--out", str(tmp_path / "out")]) == 0
    data = json.loads((tmp_path / "out" / "agreement.json").read_text(encoding="utf-8"))
    # Ana Lima agrees; Paris has the same span but another type
    assert data["layers"]["entities"]["strict"]["A_reference"]["f1"] == 0.5
    assert data["layers"]["entities"]["exact"]["A_reference"]["f1"] == 1
    assert [d["kind"] for d in data["disagreements"]] == ["different type"]


def test_agree_tells_a_boundary_difference_from_a_type_difference() -> None:
    text = "The two men met Ana Lima in Paris."
    a = make_doc(
        text,
        mentions=(
            mention(text, "a1", 4, 11, "PER", kind="NOM"),  # "two men"
            mention(text, "a2", 16, 24, "PER"),  # "Ana Lima"
            mention(text, "a3", 28, 33, "GPE"),  # "Paris"
        ),
    )
    b = make_doc(
        text,
        mentions=(
            mention(text, "b1", 8, 11, "PER", kind="NOM"),  # "men": same type, shorter span
            mention(text, "b2", 20, 24, "ORG"),  # "Lima": shorter span and another type
            mention(text, "b3", 28, 33, "LOC"),  # "Paris": same span, another type
        ),
    )
    result = agreement([a], [b], mention_kinds=("NAM", "NOM"), tasks=("entities",))
    kinds = sorted((d["A"]["text"], d["B"]["text"], d["kind"]) for d in result.to_json()["disagreements"])
    assert kinds == [
        ("Ana Lima", "Lima", "different span and type"),
        ("Paris", "Paris", "different type"),
        ("two men", "men", "different span"),
    ]


def test_agree_names_the_file_of_a_document_the_other_side_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither side is gold: the message says which side lacks the document and which file holds it."""
    for name, docs in (("a", (side_a(), EXTRA)), ("b", (side_a(),))):
        (tmp_path / name).mkdir()
        for doc in docs:
            (tmp_path / name / f"{doc.id}.json").write_text(dumps_document(doc.to_json()), encoding="utf-8")
    assert main(["agree", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {tmp_path / 'a' / 'extra.json'}: document extra: $.id: {tmp_path / 'b'} has no document with this id"
    ]
