"""External benchmark tracks: type files, the mapping into a track's type space, skipping, --track, GUM and
MEANTIME for real (through the ``external`` fixture)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, make_doc, mention

from newsbench.eval import score
from newsbench.eval.bench.suite import TrackSpec, load_suite
from newsbench.eval.bench.tracks import (
    SkippedTrack,
    Track,
    gold_view,
    load_track_types,
    map_document,
    open_track,
    parse_track_option,
    prediction_view,
    with_tracks,
)
from newsbench.model import Argument, Document, Entity, Event, Quote
from newsbench.problems import NewsbenchError
from newsbench.spans import Span

TRACKS = REPO / "schema" / "tracks"
GUM_TYPES = TRACKS / "gum-news.json"
MEANTIME_TYPES = TRACKS / "meantime.json"

# Emoji (astral) and a combining mark before the names, so offsets are code points, not UTF-16 units.
TEXT = "😀 Zoe\u0308 flew a Boeing 747 from Paris to Texas, said Ana."
#       0 2345 67890123456789012345678901234567890123456789012345
SPANS = {"Zoë": (2, 6), "Boeing 747": (14, 24), "Paris": (30, 35), "Texas": (39, 44), "Ana": (51, 54)}


def sample() -> Document:
    m = {
        name: mention(TEXT, f"m_{name[:3]}", *span, t)
        for (name, span), t in zip(SPANS.items(), ("PER", "VEH", "GPE", "LOC", "PER"), strict=True)
    }
    flew = Event(
        "e1",
        "Movement.Transport",
        Span.of(TEXT, 7, 11),
        (Argument("Artifact", "m_Boe"), Argument("Destination", "m_Tex")),
    )
    quote = Quote("q1", "indirect", (Span.of(TEXT, 2, 44),), Span.of(TEXT, 46, 50), "m_Boe")
    entities = (Entity("c1", "VEH", ("m_Boe",)), Entity("c2", "PER", ("m_Zoë", "m_Ana")))
    return make_doc(TEXT, mentions=tuple(m.values()), entities=entities, events=(flew,), quotes=(quote,))


def test_fixture_offsets_cover_the_names() -> None:
    assert [TEXT[s:e] for s, e in SPANS.values()] == ["Zoe\u0308", "Boeing 747", "Paris", "Texas", "Ana"]


def test_gum_view_folds_places_and_drops_types_gum_never_annotated() -> None:
    doc = map_document(sample(), load_track_types(GUM_TYPES))
    assert [(m.text, m.type) for m in doc.mentions] == [
        ("Zoe\u0308", "person"),
        ("Paris", "place"),
        ("Texas", "place"),
        ("Ana", "person"),
    ]
    assert [(e.id, e.type) for e in doc.entities] == [("c2", "person")]  # the VEH cluster is gone
    assert doc.events == ()  # GUM annotates no events
    assert doc.quotes[0].speaker is None  # its speaker was the dropped VEH mention


def test_meantime_view_scores_events_untyped_without_ace_roles() -> None:
    doc = map_document(sample(), load_track_types(MEANTIME_TYPES))
    assert [m.type for m in doc.mentions] == ["PER", "LOC", "LOC", "PER"]
    assert [(e.type, e.trigger.text, e.arguments) for e in doc.events] == [("EVENT", "flew", ())]


def test_untyped_events_reach_the_gold_and_an_oracle_copy_but_never_a_system_given_a_blank() -> None:
    types = load_track_types(MEANTIME_TYPES)
    untyped = [
        {"id": "ev9", "trigger": [{"start": 46, "end": 50, "text": "said"}], "class": "SPEECH_COGNITIVE"}
    ]
    doc = replace(sample(), meta={"untyped_events": untyped})
    (gold,) = gold_view([doc], types)
    (oracle,) = prediction_view([doc], types)
    (system,) = prediction_view([replace(doc.blank(), events=doc.events)], types)
    expected = [("e1", "EVENT", "flew"), ("ev9", "EVENT", "said")]
    assert [(e.id, e.type, e.trigger.text) for e in gold.events] == expected
    assert [(e.id, e.type, e.trigger.text) for e in oracle.events] == expected
    assert [e.id for e in system.events] == ["e1"]


def test_scoring_in_gum_space_counts_a_loc_for_a_gpe_as_correct() -> None:
    types = load_track_types(GUM_TYPES)
    gold = sample()
    pred = replace(
        gold, mentions=tuple(replace(m, type="LOC") if m.type == "GPE" else m for m in gold.mentions)
    )
    report = score(gold_view([gold], types), prediction_view([pred], types), tasks=("entities",), bootstrap=0)
    assert report.totals[("entities", "strict")].micro.f1 == 1.0


@pytest.mark.parametrize(
    ("content", "path"),
    [
        ("[]", ""),
        ('{"track": "x", "import": {"format": "webanno", "bogus": 1}}', r"\$\.import\.bogus: "),
        ('{"track": "x", "import": {"format": "webanno"}, "entities": {"PER": 3}}', r"\$\.entities\.PER: "),
        ('{"track": "x", "import": {}}', r"\$\.import\.format: "),
        ('{"track": "x", "import": {"format": "cat"}, "untyped_events": "yes"}', r"\$\.untyped_events: "),
    ],
)
def test_a_bad_type_file_names_the_file_and_json_path(tmp_path: Path, content: str, path: str) -> None:
    file = tmp_path / "bad-types.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(NewsbenchError, match=rf"bad-types\.json: {path}"):
        load_track_types(file)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        (
            TrackSpec("t", Path("/nonexistent/gum"), "webanno", GUM_TYPES, "test", ("entities",)),
            "track data not found at /nonexistent/gum",
        ),
        (TrackSpec("t", REPO, "webanno", None, "test", ("entities",)), "names no type file"),
        (TrackSpec("t", REPO, "webanno", REPO / "nope.json", "test", ("entities",)), "type file"),
    ],
)
def test_a_track_that_cannot_run_is_skipped_with_the_reason(spec: TrackSpec, reason: str) -> None:
    result = open_track(spec)
    assert isinstance(result, SkippedTrack) and reason in result.reason


def test_track_option_repoints_a_suite_track_or_adds_a_shipped_one(tmp_path: Path) -> None:
    suite = load_suite()
    moved = parse_track_option(f"gum-news={tmp_path}", suite)
    assert (moved.path, moved.importer, moved.types, moved.split) == (tmp_path, "webanno", GUM_TYPES, "test")
    elsewhere = replace(suite, tracks=(), file=tmp_path / "my-suite.toml")  # shipped type files still found
    added = parse_track_option(f"meantime={tmp_path}", elsewhere)
    assert (added.importer, added.types, added.split, added.tasks) == (
        "cat",
        MEANTIME_TYPES,
        None,
        ("entities", "events"),
    )
    gum = parse_track_option(f"gum-news={tmp_path}", elsewhere)
    assert (gum.name, gum.importer, gum.split, gum.tasks) == ("gum-news", "webanno", "test", ("entities",))
    (tmp_path / "tracks").mkdir()
    (tmp_path / "tracks" / "mine.json").write_bytes(GUM_TYPES.read_bytes())  # a user's, beside the suite
    mine = parse_track_option(f"mine={tmp_path}", elsewhere)
    assert (mine.name, mine.types) == ("mine", tmp_path / "tracks" / "mine.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gum-news", "NAME=PATH"),
        ("=here", "NAME=PATH"),
        ("ontonotes=/x", "not a folder of newsbench documents.*known tracks: gum-news, meantime"),
    ],
)
def test_track_option_errors_say_what_is_expected(text: str, message: str) -> None:
    with pytest.raises(NewsbenchError, match=message):
        parse_track_option(text, load_suite())


def test_repointing_keeps_the_suite_hash_and_a_new_track_changes_it(tmp_path: Path) -> None:
    suite = load_suite()
    moved = with_tracks(suite, [parse_track_option(f"gum-news={tmp_path}", suite)])
    assert moved.hash == suite.hash and [t.path for t in moved.tracks if t.name == "gum-news"] == [tmp_path]
    extra = TrackSpec("mine", tmp_path, "webanno", GUM_TYPES, "dev", ("entities",))
    grown = with_tracks(suite, [extra])
    assert grown.hash != suite.hash and [t.name for t in grown.tracks][-1] == "mine"


def gum_track(external: Path) -> Track:
    track = open_track(
        TrackSpec("gum-news", external / "gum-news", "webanno", GUM_TYPES, "test", ("entities",))
    )
    assert isinstance(track, Track)
    return track


def test_gum_track_uses_the_official_split_and_says_what_is_left_out(external: Path) -> None:
    track = gum_track(external)
    assert len(track.documents) == 24
    assert [len(track.split(s)) for s in ("train", "dev", "test")] == [20, 2, 2]
    assert [d.id for d in track.gold] == ["GUM_news_nasa", "GUM_news_sensitive"]
    notes = " ".join(track.notes())
    assert "'abstract' is left out of scoring" in notes and "mentions typed abstract" in notes
    assert re.search(
        r"mentions typed abstract \(\d+\)", notes
    )  # counts after what they count: no "1 mentions"
    types = {m.type for d in gold_view(track.gold, track.types) for m in d.mentions}
    assert types == {"person", "place", "organization"}
    assert "not scored: TIME, VEH, WEA" in notes


def test_meantime_track_scores_every_event_untyped(external: Path) -> None:
    spec = TrackSpec("meantime", external / "meantime", "cat", MEANTIME_TYPES, None, ("entities", "events"))
    track = open_track(spec)
    assert isinstance(track, Track) and len(track.gold) == 121 and track.train == []
    gold = gold_view(track.gold, track.types)
    typed = sum(len(d.events) for d in track.gold)
    untyped = sum(len(d.meta.get("untyped_events", [])) for d in track.gold)
    assert sum(len(d.events) for d in gold) == typed + untyped
    assert {e.type for d in gold for e in d.events} == {"EVENT"}
