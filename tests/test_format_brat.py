"""BRAT standoff: the .ann lines written for every layer, the export -> import round trip under the id rule,
PolNeAR's Attribution naming, CRLF and astral offsets, and bad files reported without a traceback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from formats_docs import TEXT, rich_document, with_event_cluster

from newsbench.formats import brat, brat_read, webanno
from newsbench.formats.builder import Losses
from newsbench.formats.contract import ExportOptions, ImportOptions
from newsbench.model import Argument, Document, Entity, Event, EventCluster, Mention, Quote
from newsbench.problems import NewsbenchError
from newsbench.spans import Span

FIXTURES = Path(__file__).parent / "fixtures" / "formats" / "brat"
LENIENT = ImportOptions(drop_unknown=True, default_kind="NAM")
"""Options that accept dropping unknown labels and give kindless mentions NAM, as the import used to."""


def renamed(doc: Document, ids: dict[str, str]) -> Document:
    """``doc`` with every id and reference renamed through ``ids``."""
    return replace(
        doc,
        mentions=tuple(replace(m, id=ids[m.id]) for m in doc.mentions),
        entities=tuple(
            replace(e, id=ids[e.id], mentions=tuple(ids[m] for m in e.mentions)) for e in doc.entities
        ),
        events=tuple(
            replace(e, id=ids[e.id], arguments=tuple(Argument(a.role, ids[a.mention]) for a in e.arguments))
            for e in doc.events
        ),
        event_coreference=tuple(
            EventCluster(ids[c.id], tuple(ids[e] for e in c.events)) for c in doc.event_coreference
        ),
        quotes=tuple(
            replace(q, id=ids[q.id], speaker=ids[q.speaker] if q.speaker else None) for q in doc.quotes
        ),
    )


# The id rule written out by hand for rich_document(): mentions T1..T9 in order, events E1 E2, quotes E3-E5
# after the events, entities C1..C5, the event cluster EC1.
EXPECTED_IDS = {
    **{f"m{i}": f"T{i}" for i in range(1, 10)},
    "v1": "E1",
    "v2": "E2",
    "q1": "E3",
    "q2": "E4",
    "q3": "E5",
    **{f"e{i}": f"C{i}" for i in range(1, 6)},
    "c1": "EC1",
}


def roundtrip(doc: Document, tmp_path: Path) -> Document:
    brat.export_documents([doc], tmp_path, ExportOptions())
    (back,) = brat_read.import_files([tmp_path], ImportOptions())
    return back


@pytest.mark.parametrize(
    "doc", [rich_document(), with_event_cluster(rich_document())], ids=["plain", "event-cluster"]
)
def test_export_then_import_gives_the_same_document_with_ids_renamed_by_the_rule(
    doc: Document, tmp_path: Path
) -> None:
    assert brat.exported_ids(doc) == {
        k: v for k, v in EXPECTED_IDS.items() if k != "c1" or doc.event_coreference
    }
    assert roundtrip(doc, tmp_path) == renamed(doc, EXPECTED_IDS)


@pytest.mark.parametrize(
    "line",
    [
        "T1\tPER 22 31\tAna Lopez",  # after an emoji: code points, not UTF-16 units (which would give 23)
        "T4\tGPE 60 66;67 71\tJosé’s town",  # a discontinuous mention
        "A6\tKind T6 PRO",
        "*\tEquiv T3 T7 T9",
        "*\tEquiv T4",  # a singleton entity keeps its one-member group
        "N1\tReference T1 Wikidata:Q1\tAna Lopez",
        "#1\tAnnotatorNotes T1\tname=Ana Lopez",
        "E1\tConflict.Attack:T10 Attacker:T2 Target:T3 Target2:T4 Time:T5",  # BRAT numbers a repeated role
        "A10\tPolarity E1 positive",
        "T12\tContent 1 15\tWe will win 🏆,",
        "E3\tQuote:T14 Content:T12 Cue:T13 Speaker:T1",
        "A12\tQuoteType E3 direct",
        "T18\tContent 34 55;72 81\tRebels attacked Mosul on Monday",  # discontinuous quote content
        "T19\tQuote 34 55;72 81\tRebels attacked Mosul on Monday",  # no cue: the trigger is on the content
        "E5\tQuote:T19 Content:T18",
        "A14\tQuoteType E5 indirect",
        "T20\tBoilerplate 142 156\tSubscribe now!",  # after four CRLF line ends, each two code points
    ],
)
def test_ann_lines_follow_the_conventions(line: str) -> None:
    assert line in brat.to_ann(rich_document()).splitlines()


def test_export_writes_text_bytes_exactly_and_an_annotation_conf(tmp_path: Path) -> None:
    brat.export_documents([rich_document()], tmp_path, ExportOptions())
    assert (tmp_path / "rich-1.txt").read_bytes() == TEXT.encode("utf-8")
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    for needed in (
        "[entities]",
        "[relations]",
        "[events]",
        "[attributes]",
        "Kind\tArg:<ENTITY>, Value:NAM|NOM|PRO",
    ):
        assert needed in conf
    assert (
        "Conflict.Attack\tAttacker*:<ENTITY>, Target*:<ENTITY>, Instrument*:<ENTITY>, Place*:<ENTITY>, Time*:<ENTITY>"
        in conf
    )


def test_polnear_attribution_events_become_quotes() -> None:
    (doc,) = brat_read.import_files(
        [FIXTURES / "polnear.ann"], ImportOptions(drop_unknown=True, default_kind="NAM")
    )
    text = doc.text
    assert doc.id == "polnear"
    assert doc.mentions == (Mention("T4", (Span.of(text, 48, 53),), "PER", "NAM"),)
    assert doc.quotes == (
        # "Officials" matches no mention, so the speaker is unresolved and counted
        Quote("E1", "indirect", (Span.of(text, 15, 31),), Span.of(text, 10, 14), None),
        # Source T5 has exactly the span of mention T4; the content sits inside curly quotes, so direct
        Quote("E2", "direct", (Span.of(text, 34, 46),), Span.of(text, 54, 58), "T4"),
    )
    assert doc.meta["import"]["dropped"] == {
        "R lines": 1,
        "mention kinds missing (set to NAM)": 1,
        "quote speakers that match no mention": 1,
    }


def test_crlf_text_keeps_two_code_points_per_line_end(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_bytes("A\r\nBob 😀 met Al.".encode())
    (tmp_path / "d.ann").write_text(
        "T1\tPER 3 6\tBob\nT2\tPER 13 15\tAl\nA1\tKind T2 NAM\n", encoding="utf-8"
    )
    (doc,) = brat_read.import_files([tmp_path / "d.txt"], ImportOptions(default_kind="NAM"))
    assert [(m.start, m.end, m.text) for m in doc.mentions] == [(3, 6, "Bob"), (13, 15, "Al")]


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tPER 3 60\tBob\n", "outside the text"),
        ("T1\tPER 0 3\tBob\n", "differs from the text"),
        ("T1\tPER zero 3\tBob\n", "cannot read"),
    ],
)
def test_bad_ann_lines_are_reported_with_file_and_line(tmp_path: Path, ann: str, message: str) -> None:
    (tmp_path / "d.txt").write_text("A\nBob met Al.", encoding="utf-8")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(NewsbenchError) as err:
        brat_read.import_files([tmp_path], ImportOptions())
    (problem,) = err.value.problems
    assert problem.file.endswith("d.ann") and problem.path == "line 1" and message in problem.message


def test_entities_of_mixed_types_are_split_by_type() -> None:
    text = "Ann and Acme."
    ann = brat_read._parse_ann("T1\tPER 0 3\tAnn\nT2\tORG 8 12\tAcme\n*\tEquiv T1 T2\n", text, "f")
    doc = brat_read.build_document("d", text, ann, {}, Losses(), LENIENT)
    assert doc.entities == (Entity("C1", "PER", ("T1",)), Entity("C1-ORG", "ORG", ("T2",)))


def test_spans_of_types_outside_the_schema_are_counted() -> None:
    text = "Ann hit Bob."
    ann = brat_read._parse_ann("T1\tPER 0 3\tAnn\nT2\tWeapon 8 11\tBob\n", text, "f")
    doc = brat_read.build_document("d", text, ann, {}, Losses(), LENIENT)
    assert doc.meta["import"]["dropped"] == {"mention kinds missing (set to NAM)": 1, "spans typed Weapon": 1}


def test_event_roles_outside_the_schema_are_dropped_and_counted() -> None:
    text = "Ann hit Bob."
    ann = brat_read._parse_ann(
        "T1\tPER 0 3\tAnn\nT2\tPER 8 11\tBob\nT3\tConflict.Attack 4 7\thit\nE1\tConflict.Attack:T3 Attacker:T1 Buyer:T2\n",
        text,
        "f",
    )
    doc = brat_read.build_document("d", text, ann, {}, Losses(), LENIENT)
    assert doc.events == (Event("E1", "Conflict.Attack", Span.of(text, 4, 7), (Argument("Attacker", "T1"),)),)
    assert doc.meta["import"]["dropped"]["event arguments outside the schema"] == 1


def test_gum_news_round_trips_through_brat_under_the_id_rule(external: Path, tmp_path: Path) -> None:
    gum = external / "gum-news"
    docs = webanno.import_files([gum / "tsv"], ImportOptions(conllu=gum / "conllu"))
    brat.export_documents(docs, tmp_path, ExportOptions())
    back = {d.id: d for d in brat_read.import_files([tmp_path], ImportOptions())}
    assert [back[d.id] for d in docs] == [renamed(d, brat.exported_ids(d)) for d in docs]
