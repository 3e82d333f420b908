"""Events: ACE triggers from the lexicon, arguments by proximity and type, attributes from nearby words."""

from __future__ import annotations

import pytest

from newsbench.baselines.rules import RulesExtractor
from newsbench.model import Document

EventRow = tuple[str, str, list[tuple[str, str]]]


def _events(text: str) -> list[EventRow]:
    pred = RulesExtractor().extract(Document(id="ev", text=text))
    by_id = pred.mention_index()
    return [
        (e.type, e.trigger.text, [(a.role, by_id[a.mention].text) for a in e.arguments]) for e in pred.events
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. jets attacked armed groups in Babil province on Tuesday.",
            [
                (
                    "Conflict.Attack",
                    "attacked",
                    [
                        ("Attacker", "U.S."),
                        ("Target", "armed groups"),
                        ("Instrument", "U.S. jets"),
                        ("Place", "Babil"),
                        ("Time", "Tuesday"),
                    ],
                )
            ],
        ),
        (
            "Militants killed three soldiers in Kabul on Monday.",
            [
                (
                    "Life.Die",
                    "killed",
                    [("Agent", "Militants"), ("Victim", "soldiers"), ("Place", "Kabul"), ("Time", "Monday")],
                )
            ],
        ),
        # a place must follow a locative preposition: Baghdad here is not where the arrest happened
        (
            "Police arrested John Smith, Baghdad officials said.",
            [("Justice.Arrest-Jail", "arrested", [("Person", "John Smith"), ("Agent", "Police")])],
        ),
        # places coordinated with the first one are places too
        (
            "Militias attacked vehicles in Iraq and Syria.",
            [
                (
                    "Conflict.Attack",
                    "attacked",
                    [("Attacker", "Militias"), ("Target", "vehicles"), ("Place", "Iraq"), ("Place", "Syria")],
                )
            ],
        ),
        # a passive's agent follows "by"
        (
            "The base was attacked by gunmen on Sunday.",
            [("Conflict.Attack", "attacked", [("Attacker", "gunmen"), ("Time", "Sunday")])],
        ),
        # the name, not the role phrase before it, is the argument
        (
            "Israel killed top Hezbollah commander Fuad Shukr in Baghdad.",
            [("Life.Die", "killed", [("Agent", "Israel"), ("Victim", "Fuad Shukr"), ("Place", "Baghdad")])],
        ),
        # triggers inside names are not events; speech verbs are not events
        ("The Attack Helicopter Command said nothing.", []),
    ],
)
def test_triggers_and_arguments(text: str, expected: list[EventRow]) -> None:
    assert _events(text) == expected


@pytest.mark.parametrize(
    ("text", "trigger", "attributes"),
    [
        ("The attacks caused no injuries.", "injuries", ("negative", "asserted", "specific", "past")),
        ("Troops came to combat ISIS.", "combat", ("positive", "other", "specific", "future")),
        ("Militias will attack again.", "attack", ("positive", "other", "specific", "future")),
        ("Militias attacked a base.", "attacked", ("positive", "asserted", "specific", "past")),
    ],
)
def test_attributes_from_the_words_before_the_trigger(
    text: str, trigger: str, attributes: tuple[str, str, str, str]
) -> None:
    pred = RulesExtractor().extract(Document(id="ev", text=text))
    event = next(e for e in pred.events if e.trigger.text == trigger)
    assert (event.polarity, event.modality, event.genericity, event.tense) == attributes
