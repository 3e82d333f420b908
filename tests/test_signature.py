"""The reproducibility signature: its fields, the document hashes, and when two scores are comparable."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docfactory import valid_document

from newsbench.corpus import read_document
from newsbench.digest import sha256_documents
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.metrics.scoring import make_options
from newsbench.eval.stats.signature import Signature, comparable, documents_hash, make_signature
from newsbench.model import Document
from newsbench.problems import NewsbenchError

ROOT = Path(__file__).resolve().parent.parent
G, P, S = "a" * 64, "b" * 64, "c" * 64


def test_default_signature_lists_every_field_in_order() -> None:
    assert make_signature(G, P, ScoreOptions()) == (
        f"newsbench:0.1|schema:1.0|gold:sha256={G}|pred:sha256={P}|tasks:entities,events,quotes|kinds:NAM"
        "|match:optimal|overlap:any|partial:half|args:exact|avg:micro|bs:1000|seed:12345"
    )


def test_options_and_suite_show_in_the_signature() -> None:
    options = ScoreOptions(
        tasks=("entities",), mention_kinds=("NAM", "PRO"), overlap=0.5, partial_credit="graded",
        argument_match="coref", bootstrap=200, seed=7,
    )  # fmt: skip
    fields = Signature.parse(make_signature(G, P, options, suite_hash=S)).as_dict()
    assert fields == {
        "newsbench": "0.1", "schema": "1.0", "gold": f"sha256={G}", "pred": f"sha256={P}", "tasks": "entities",
        "kinds": "NAM,PRO", "match": "optimal", "overlap": "0.5", "partial": "graded", "args": "coref",
        "avg": "micro", "bs": "200", "seed": "7", "suite": f"sha256={S}",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        (make_signature(G, "d" * 64, ScoreOptions()), True),  # another system on the same gold and options
        (make_signature(G, P, ScoreOptions()), True),
        (make_signature("e" * 64, P, ScoreOptions()), False),  # other gold
        (make_signature(G, P, ScoreOptions(seed=1)), False),
        (make_signature(G, P, ScoreOptions(mention_kinds=("NAM", "NOM"))), False),
        (make_signature(G, P, ScoreOptions(), suite_hash=S), False),  # one in a suite, one not
    ],
)
def test_comparable_exactly_when_only_pred_differs(second: str, expected: bool) -> None:
    assert comparable(make_signature(G, P, ScoreOptions()), second) is expected


@pytest.mark.parametrize("junk", ["", "newsbench", "a:1||b:2", ":x"])
def test_parsing_refuses_what_is_not_a_signature(junk: str) -> None:
    with pytest.raises(ValueError):
        Signature.parse(junk)


def _docs() -> list[Document]:
    return [Document.from_json(valid_document(f"doc-{i}")) for i in range(3)]


def test_documents_hash_ignores_order_and_metadata() -> None:
    docs = _docs()
    assert documents_hash(docs) == documents_hash(list(reversed(docs)))
    retitled = [dataclasses.replace(docs[0], title="another title", meta={"note": 1}), *docs[1:]]
    assert documents_hash(retitled) == documents_hash(docs)
    assert len(documents_hash(docs)) == 64


def _retyped(doc: Document) -> Document:
    return dataclasses.replace(
        doc, mentions=(dataclasses.replace(doc.mentions[0], type="ORG"), *doc.mentions[1:])
    )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: dataclasses.replace(d, text=d.text.replace("Acme", "Acne")), id="text"),
        pytest.param(_retyped, id="mention-type"),
        pytest.param(lambda d: dataclasses.replace(d, quotes=d.quotes[:-1]), id="quote-removed"),
        pytest.param(
            lambda d: dataclasses.replace(d, events=(dataclasses.replace(d.events[0], tense="future"),)),
            id="event-attribute",
        ),
        pytest.param(lambda d: dataclasses.replace(d, ignore=()), id="ignore-regions"),
    ],
)
def test_documents_hash_changes_with_text_or_any_annotation(change: Callable[[Document], Document]) -> None:
    docs = _docs()
    assert change(docs[0]) != docs[0]
    assert documents_hash([change(docs[0]), *docs[1:]]) != documents_hash(docs)


def _hash_from_files(paths: list[Path]) -> str:
    """The published definition, recomputed from document files with nothing but ``json`` and ``hashlib``."""
    pos = lambda spans: [[s["start"], s["end"]] for s in spans]  # noqa: E731
    lines = []
    for d in sorted((json.loads(p.read_text(encoding="utf-8")) for p in paths), key=lambda d: d["id"]):
        content = [
            d["id"],
            d["text"],
            [[m["id"], m["type"], m["kind"], pos(m["spans"])] for m in d.get("mentions", [])],
            [[e["id"], e["type"], e["mentions"], e.get("name"), [[k["db"], k["id"]] for k in e.get("links", [])]]
             for e in d.get("entities", [])],
            [[e["id"], e["type"], *pos([e["trigger"]]), [[a["role"], a["mention"]] for a in e.get("arguments", [])],
              e.get("polarity"), e.get("modality"), e.get("genericity"), e.get("tense")] for e in d.get("events", [])],
            [[c["id"], c["events"]] for c in d.get("event_coreference", [])],
            [[q["id"], q["type"], pos(q["content"]), q.get("cue") and pos([q["cue"]])[0], q.get("speaker"),
              q.get("addressee"), q.get("medium")] for q in d.get("quotes", [])],
            pos(d.get("ignore", [])),
        ]  # fmt: skip
        lines.append(json.dumps(content, separators=(",", ":")) + "\n")
    return hashlib.sha256("".join(lines).encode("ascii")).hexdigest()


def test_documents_hash_follows_its_published_definition(tmp_path: Path) -> None:
    """The seed and a document with combining marks, optional fields and an ignore region, read from files."""
    paths = [*sorted((ROOT / "corpus" / "documents").glob("*.json")), tmp_path / "doc-x.json"]
    (tmp_path / "doc-x.json").write_text(json.dumps(valid_document("doc-x")), encoding="utf-8")
    docs = [read_document(p) for p in paths]
    assert documents_hash(docs) == _hash_from_files(paths)


def test_equivalent_options_give_one_signature() -> None:
    a = make_options(tasks=("quotes", "entities"), mention_kinds=("PRO", "NAM", "PRO"))
    b = make_options(tasks=("entities", "quotes"), mention_kinds=("NAM", "PRO"))
    assert a == b
    assert make_signature(G, P, a) == make_signature(G, P, b)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tasks": ("entities", "relations")}, "tasks must be"),
        ({"tasks": ()}, "tasks must be"),
        ({"mention_kinds": ("NAME",)}, "mention kinds"),
        ({"overlap": 1.5}, "overlap"),
        ({"partial_credit": "third"}, "partial credit"),
        ({"argument_match": "fuzzy"}, "argument matching"),
        ({"bootstrap": -5}, "negative"),
        ({"colour": "red"}, "unknown scoring option"),
    ],
)
def test_bad_options_are_reported_not_raised_as_tracebacks(options: dict[str, object], message: str) -> None:
    with pytest.raises(NewsbenchError, match=message):
        make_options(**options)


def test_a_runs_corpus_hash_covers_what_the_signature_leaves_out() -> None:
    """Run folders and leaderboards identify their input by every field: systems see titles, and a track's
    scoring reads importer material in ``meta`` (MEANTIME's untyped events)."""
    docs = _docs()
    assert sha256_documents(docs) == sha256_documents(list(reversed(docs)))
    for changed in (
        dataclasses.replace(docs[0], title="another title"),
        dataclasses.replace(docs[0], meta={"untyped_events": [{"id": "u1"}]}),
    ):
        assert documents_hash([changed, *docs[1:]]) == documents_hash(docs)
        assert sha256_documents([changed, *docs[1:]]) != sha256_documents(docs)


def test_a_signature_parses_back_to_the_same_value_and_text() -> None:
    made = Signature.of(G, P, ScoreOptions(), suite_hash=S)
    assert Signature.parse(str(made)) == made
    assert str(Signature.parse(str(made))) == make_signature(G, P, ScoreOptions(), suite_hash=S)
    assert made.with_field("pred", "*").as_dict()["pred"] == "*"
