"""CAT XML (MEANTIME) import: text rebuilt by the spacing rule, types through instances, PropBank roles onto
ACE roles, untyped events kept in meta, coreference of mentions and of events; all 121 MEANTIME documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.formats import cat
from newsbench.formats.contract import ImportOptions
from newsbench.model import Argument, Document, Entity, EventCluster, KBLink, Mention
from newsbench.problems import NewsbenchError
from newsbench.spans import Span
from newsbench.validate import validate_data

FIXTURE = Path(__file__).parent / "fixtures" / "formats" / "cat" / "small.xml"
TEXT = "Acme buys Zed\nMay 1, 2010\nAcme (AC) bought it in Paris, ``happily''."


@pytest.fixture(scope="module")
def small() -> Document:
    (doc,) = cat.import_files([FIXTURE], ImportOptions())
    return doc


def test_text_is_rebuilt_one_sentence_a_line_without_spaces_inside_brackets_and_quotes(
    small: Document,
) -> None:
    assert small.text == TEXT
    assert small.title == "Acme buys Zed"
    assert small.published == "2010-05-01"  # from the CREATION_TIME TIMEX3
    assert small.id == "42_Acme__buys_Zed"  # the comma is not allowed in an id


def test_mentions_take_their_type_from_the_instance_and_products_are_dropped(small: Document) -> None:
    assert small.mentions == (
        Mention("m1", (Span.of(TEXT, 0, 4),), "ORG", "NAM"),
        Mention("m9", (Span.of(TEXT, 14, 25),), "TIME", "NAM"),
        # anchored on tokens 8 and 10: two runs, so two spans; empty syntactic_type, capitalised -> NAM
        Mention("m3", (Span.of(TEXT, 26, 30), Span.of(TEXT, 32, 34)), "ORG", "NAM"),
        Mention("m5", (Span.of(TEXT, 49, 54),), "GPE", "NAM"),
    )
    assert small.entities == (
        Entity("e20", "ORG", ("m1", "m3"), links=(KBLink("Wikipedia", "Acme_Corp"),)),
        Entity("e22", "GPE", ("m5",)),  # "no er" is no link
    )
    assert small.meta["import"]["dropped"]["entity mentions typed PRO"] == 2


def test_listed_predicates_become_ace_events_with_mapped_roles(small: Document) -> None:
    buys, bought = small.events
    assert (buys.type, buys.trigger.text, buys.arguments) == (
        "Transaction.Transfer-Ownership",
        "buys",
        (Argument("Buyer", "m1"),),  # Arg1 "Zed" is a product, not imported
    )
    assert bought.arguments == (Argument("Buyer", "m3"), Argument("Place", "m5"))  # Argm-MNR has no ACE role
    assert (bought.polarity, bought.modality, bought.genericity, bought.tense) == (
        "positive",
        "asserted",
        "specific",
        "past",
    )
    assert small.event_coreference == (EventCluster("c30", ("ev6", "ev7")),)


def test_other_event_mentions_are_kept_untyped_in_meta(small: Document) -> None:
    assert small.meta["untyped_events"] == [
        {
            "id": "ev8",
            "trigger": [{"start": 58, "end": 65, "text": "happily"}],
            "class": "OTHER",
            "pred": "happy",
            "instance": "31",
            "arguments": [{"sem_role": "Arg0", "mention": "m3"}],
        }
    ]


def test_malformed_xml_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<Document><token", encoding="utf-8")
    with pytest.raises(NewsbenchError, match="malformed XML"):
        cat.import_files([bad], ImportOptions())


def test_all_meantime_documents_import_and_validate(external: Path) -> None:
    docs = cat.import_files([external / "meantime"], ImportOptions())
    assert len(docs) == 121
    assert len({d.id for d in docs}) == 121
    for doc in docs:
        assert validate_data(doc.to_json(), doc.id) == []
    assert sum(len(d.mentions) for d in docs) > 1500
    assert sum(len(d.events) for d in docs) > 100
