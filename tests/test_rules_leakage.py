"""The rules baseline learns nothing from the test split.

Its word lists may come from general resources (pycountry's country and subdivision names; closed word classes
such as months, weekdays, pronouns, function words and honorifics) or from train and dev documents. An entry of
an open-class list (names, places, roles, speech cues, triggers, nominal heads, country aliases, demonyms) that
occurs in a test document but in no train or dev document and in no general resource can only have come from
reading the test split, and fails this test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import pytest

from newsbench.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]

# file -> the keys of its open-class lists ("*" = every list under that key)
OPEN_CLASS: dict[str, list[tuple[str, ...]]] = {
    "organisations.json": [("known",)],
    "places.json": [("cities",), ("regions",)],
    "people.json": [("roles",)],
    "reporting.json": [("verbs",), ("that_verbs",), ("phrases",), ("addressed",), ("source_phrases",)],
    "countries.json": [("aliases", "*")],
    "demonyms.json": [("adjectives", "*"), ("people", "*")],
    "triggers.json": [("triggers", "*")],
    "nominals.json": [("nominals", "*")],
}


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _entries(name: str, keys: tuple[str, ...]) -> Iterator[str]:
    data: dict[str, Any] = json.loads(
        resources.files("newsbench.baselines").joinpath("data", name).read_text(encoding="utf-8")
    )
    node = data[keys[0]]
    lists = node.values() if keys[1:] == ("*",) else [node]
    for values in lists:
        yield from values


@cache
def _general() -> frozenset[str]:
    names = {
        _fold(getattr(c, attr))
        for c in pycountry.countries
        for attr in ("name", "official_name", "common_name")
        if hasattr(c, attr)
    }
    names.update(_fold(s.name) for s in pycountry.subdivisions)
    return frozenset(names)


def _occurs(entry: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(entry) + r"(?!\w)", text) is not None


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    corpus = load_corpus(ROOT / "corpus")
    seen = "\n".join(d.text for s in ("train", "dev") for d in corpus.split(s))
    test = "\n".join(d.text for d in corpus.split("test"))
    return {"seen": _fold(seen), "test": _fold(test)}


def leaked(entries: dict[str, list[str]], seen: str, test: str) -> dict[str, list[str]]:
    """Entries found in ``test`` but neither in ``seen`` nor among the general names, by file."""
    out: dict[str, list[str]] = {}
    seen_lower, test_lower = seen.lower(), test.lower()
    for name, values in entries.items():
        for value in values:
            entry = _fold(value)
            lower = entry == entry.lower()
            in_test = _occurs(entry, test_lower if lower else test)
            in_seen = _occurs(entry, seen_lower if lower else seen)
            if in_test and not in_seen and entry not in _general():
                out.setdefault(name, []).append(value)
    return out


def test_no_rules_lexicon_entry_comes_from_the_test_split_alone(texts: dict[str, str]) -> None:
    entries = {
        name: [e for keys in paths for e in _entries(name, keys)] for name, paths in OPEN_CLASS.items()
    }
    assert leaked(entries, texts["seen"], texts["test"]) == {}


def test_the_leakage_check_catches_a_name_seen_only_in_test() -> None:
    entries = {"organisations.json": ["Kataib Hezbollah", "Reuters"], "reporting.json": ["made quite clear"]}
    seen = "Reuters reported the vote."
    test = "Kataib Hezbollah denied it; we have made quite clear that Reuters erred."
    assert leaked(entries, _fold(seen), _fold(test)) == {
        "organisations.json": ["Kataib Hezbollah"],
        "reporting.json": ["made quite clear"],
    }


def test_a_general_resource_name_is_no_leak() -> None:
    assert leaked({"places.json": ["Iraq"]}, "", "Iraq") == {}
