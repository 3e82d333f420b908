"""Small documents for the format tests: CRLF line ends, an emoji (astral), a combining mark, curly quotes,
a discontinuous mention and every layer, so each format shows what it keeps and what it reports left out."""

from __future__ import annotations

from dataclasses import replace

from newsbench.model import Argument, Document, Entity, Event, EventCluster, KBLink, Mention, Quote
from newsbench.spans import Span

TEXT = (
    "“We will win 🏆,” said Ana Lopez.\r\n"
    "Rebels attacked Mosul and José’s town on Monday.\r\n"
    "They attacked it again.\r\n"
    "Lopez said the city would fall.\r\n"
    "Subscribe now!"
)


def at(needle: str, nth: int = 0) -> Span:
    """The ``nth`` occurrence of ``needle`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Span.of(TEXT, start, start + len(needle))


def rich_document() -> Document:
    ana = Mention("m1", (at("Ana Lopez"),), "PER", "NAM")
    rebels = Mention("m2", (at("Rebels"),), "ORG", "NOM")
    mosul = Mention("m3", (at("Mosul"),), "GPE", "NAM")
    # "José’s ... town": a discontinuous mention skipping nothing but showing two spans
    town = Mention("m4", (at("José’s"), at("town")), "GPE", "NOM")
    monday = Mention("m5", (at("Monday"),), "TIME", "NAM")
    they = Mention("m6", (at("They"),), "ORG", "PRO")
    it = Mention("m7", (at("it", 0),), "GPE", "PRO")
    lopez = Mention("m8", (at("Lopez", 1),), "PER", "NAM")
    city = Mention("m9", (at("the city"),), "GPE", "NOM")
    return Document(
        id="rich-1",
        text=TEXT,
        title="A test",
        published="2024-05-06",
        meta={"origin": "hand-made"},
        mentions=(ana, rebels, mosul, town, monday, they, it, lopez, city),
        entities=(
            Entity("e1", "PER", ("m1", "m8"), name="Ana Lopez", links=(KBLink("Wikidata", "Q1"),)),
            Entity("e2", "ORG", ("m2", "m6")),
            Entity("e3", "GPE", ("m3", "m7", "m9")),
            Entity("e4", "GPE", ("m4",)),
            Entity("e5", "TIME", ("m5",)),
        ),
        events=(
            Event(
                "v1",
                "Conflict.Attack",
                at("attacked"),
                (
                    Argument("Attacker", "m2"),
                    Argument("Target", "m3"),
                    Argument("Target", "m4"),
                    Argument("Time", "m5"),
                ),
                polarity="positive",
                tense="past",
            ),
            Event(
                "v2",
                "Conflict.Attack",
                at("attacked", 1),
                (Argument("Attacker", "m6"), Argument("Target", "m7")),
            ),
        ),
        event_coreference=(),
        quotes=(
            Quote("q1", "direct", (at("We will win 🏆,"),), at("said"), "m1"),
            Quote("q2", "indirect", (at("the city would fall"),), at("said", 1), "m8"),
            # discontinuous content, no cue and no speaker: BRAT puts the Quote trigger on the content
            Quote("q3", "indirect", (at("Rebels attacked Mosul"), at("on Monday")), None, None),
        ),
        ignore=(at("Subscribe now!"),),
    )


def with_event_cluster(doc: Document) -> Document:
    return replace(doc, event_coreference=(EventCluster("c1", ("v1", "v2")),))
