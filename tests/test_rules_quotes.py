"""Quotes without a parser: marks, run-on paragraphs, mixed quotes, cues, speakers, indirect speech."""

from __future__ import annotations

import pytest

from newsbench.baselines.rules import RulesExtractor
from newsbench.model import Document
from newsbench.validate import validate_data

Row = tuple[str, list[str], str | None, str | None, str | None]
"""type, content texts, cue text, speaker text, addressee text"""


def _quotes(text: str) -> list[Row]:
    pred = RulesExtractor().extract(Document(id="q", text=text))
    assert validate_data(pred.to_json(), "q") == []
    by_id = pred.mention_index()

    def surface(mid: str | None) -> str | None:
        return by_id[mid].text if mid else None

    return [
        (
            q.type,
            [s.text for s in q.content],
            q.cue.text if q.cue else None,
            surface(q.speaker),
            surface(q.addressee),
        )
        for q in pred.quotes
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # curly marks, cue after the quote, speaker between the closing mark and the verb
        (
            "“We will respond,” Matthew Miller said.",
            [("direct", ["We will respond,"], "said", "Matthew Miller", None)],
        ),
        # straight marks, verb before the speaker
        (
            '"Nothing changed," said Yehia Rasool.',
            [("direct", ["Nothing changed,"], "said", "Yehia Rasool", None)],
        ),
        # cue before the quote, after a colon
        (
            "John Smith told reporters: “The talks are over.”",
            [("direct", ["The talks are over."], "told", "John Smith", "reporters")],
        ),
        # a mixed quote: a quoted fragment inside the reporting sentence; the name is the speaker
        (
            "Yehia Rasool, a spokesman, condemned the strike as a “reckless act.”",
            [("mixed", ["reckless act."], "condemned", "Yehia Rasool", None)],
        ),
        # a phrasal cue wins over its verb
        (
            "The PMF calls on Iraq to “expel foreign forces.”",
            [("mixed", ["expel foreign forces."], "calls on", "PMF", "Iraq")],
        ),
        # scare quotes with no speech cue are not quotes
        ("The so-called “peace plan” failed.", []),
    ],
)
def test_direct_and_mixed_quotes(text: str, expected: list[Row]) -> None:
    assert _quotes(text) == expected


def test_a_quotation_running_over_paragraphs_is_a_quote_per_paragraph_with_one_speaker() -> None:
    text = "“The first part\n“goes on here,” John Smith said."
    assert _quotes(text) == [
        ("direct", ["The first part"], None, "John Smith", None),
        ("direct", ["goes on here,"], "said", "John Smith", None),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_continuation_paragraph_keeps_the_previous_speaker(newline: str) -> None:
    text = f"“It was wrong,” Rasool Ahmed said.{newline}“We will not forget it.”"
    assert _quotes(text) == [
        ("direct", ["It was wrong,"], "said", "Rasool Ahmed", None),
        ("direct", ["We will not forget it."], None, "Rasool Ahmed", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "According to the BBC, the troops will leave by September.",
            [("indirect", ["the troops will leave by September"], "According to", "BBC", None)],
        ),
        (
            "The troops will leave, according to the BBC.",
            [("indirect", ["The troops will leave"], "according to", "BBC", None)],
        ),
        (
            "U.S. officials told the BBC that the forces acted in self-defence.",
            [("indirect", ["the forces acted in self-defence"], "told", "U.S. officials", "BBC")],
        ),
        (
            "Patrick Ryder announced the two attacks were unsuccessful.",
            [("indirect", ["the two attacks were unsuccessful"], "announced", "Patrick Ryder", None)],
        ),
        (
            "The talks had collapsed, John Smith said.",
            [("indirect", ["The talks had collapsed"], "said", "John Smith", None)],
        ),
        # speech verbs without reported content are not quotes
        ("John Smith said in a statement on Monday.", []),
        ("The militia denied the report.", []),
    ],
)
def test_indirect_quotes(text: str, expected: list[Row]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a run-on quote's content ends at the line end, as the schema requires
        ("“Unclosed quote at the end   ", [("direct", ["Unclosed quote at the end   "], None, None, None)]),
        (
            "“Unclosed 😀 quote\r\nnext line without marks.",
            [("direct", ["Unclosed 😀 quote"], None, None, None)],
        ),
        ('"" empty quotes "" and “” too.', []),
        (
            "He said “e\u0301tude” 😀 then “left.”",
            [
                ("mixed", ["e\u0301tude"], "said", "He", None),
                ("mixed", ["left."], "said", "He", None),
            ],
        ),
        ("«Guillemets» said Jean Dupont.", [("direct", ["Guillemets"], "said", "Jean Dupont", None)]),
    ],
)
def test_odd_quotation_marks_and_characters(text: str, expected: list[Row]) -> None:
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # interrupted by its attribution: one quote, two content spans
        (
            "“It is over,” John Smith said, “and we are leaving.”",
            [("direct", ["It is over,", "and we are leaving."], "said", "John Smith", None)],
        ),
        # a new sentence in the same paragraph, without a cue, keeps the speaker
        (
            "“It is over,” John Smith said. “We are leaving.”",
            [
                ("direct", ["It is over,"], "said", "John Smith", None),
                ("direct", ["We are leaving."], None, "John Smith", None),
            ],
        ),
        # two speakers in one paragraph keep their own cues
        (
            '"Yes," John Smith said. "No," Mary Jones said.',
            [
                ("direct", ["Yes,"], "said", "John Smith", None),
                ("direct", ["No,"], "said", "Mary Jones", None),
            ],
        ),
    ],
)
def test_interrupted_and_continued_quotes(text: str, expected: list[Row]) -> None:
    assert _quotes(text) == expected
