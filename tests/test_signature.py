"""The reproducibility signature: its fields, the document hashes, and when two scores are comparable."""

from __future__ import annotations

import dataclasses

import pytest
from docfactory import valid_document

from newsbench.eval.options import ScoreOptions
from newsbench.eval.scoring import make_options
from newsbench.eval.signature import comparable, documents_hash, make_signature, parse_signature
from newsbench.model import Document
from newsbench.problems import NewsbenchError

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
    fields = parse_signature(make_signature(G, P, options, suite_hash=S))
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
def test_parse_signature_refuses_what_is_not_a_signature(junk: str) -> None:
    with pytest.raises(ValueError):
        parse_signature(junk)


def _docs() -> list[Document]:
    return [Document.from_json(valid_document(f"doc-{i}")) for i in range(3)]


def test_documents_hash_ignores_order_but_not_content() -> None:
    docs = _docs()
    assert documents_hash(docs) == documents_hash(list(reversed(docs)))
    changed = [dataclasses.replace(docs[0], title="another title"), *docs[1:]]
    assert documents_hash(changed) != documents_hash(docs)
    assert len(documents_hash(docs)) == 64


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
