"""The word lists the rules read: the JSON files in ``baselines/data`` plus pycountry's country and region names.

Everything is loaded once per process (the lists are immutable) and folded into lookup tables keyed by the
forms the matchers compare: exact strings for names, lower case for common words, accent-folded for
pycountry's subdivision names ("Bābil" is written "Babil" in English news).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from newsbench.problems import NewsbenchError, Problem


def fold(text: str) -> str:
    """Accents and typographic apostrophes removed, so gazetteer spellings match plain news spellings."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def load_data(name: str) -> dict[str, Any]:
    """One data file of the rules baseline; a damaged file is reported by name, not as a traceback."""
    resource = resources.files("newsbench.baselines").joinpath("data", name)
    try:
        loaded = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsbenchError([Problem(f"baselines/data/{name}", None, "$", f"cannot load: {exc}")]) from None
    if not isinstance(loaded, dict):
        raise NewsbenchError([Problem(f"baselines/data/{name}", None, "$", "expected a JSON object")])
    return loaded


@dataclass(frozen=True)
class Lexicon:
    """Lookup tables for names, common words, time words, speech cues and event triggers."""

    countries: dict[str, str]
    """Country name or alias (exact spelling) -> ISO alpha-2 code."""
    demonyms: dict[str, str]
    """Nationality adjective or people noun -> ISO alpha-2 code."""
    subdivisions: frozenset[str]
    """Accent-folded names of provinces, states and other first-level regions."""
    cities: frozenset[str]
    regions: frozenset[str]
    loc_heads: frozenset[str]
    fac_heads: frozenset[str]
    gpe_heads: frozenset[str]
    org_heads: frozenset[str]
    org_suffixes: frozenset[str]
    known_orgs: frozenset[str]
    titles: frozenset[str]
    roles: frozenset[str]
    name_particles: frozenset[str]
    nominals: dict[str, str]
    """Lower-case common noun -> entity type."""
    pronouns: dict[str, tuple[str, ...]]
    """Lower-case pronoun -> the entity types it can refer to, most likely first."""
    clitics: frozenset[str]
    """What follows the apostrophe in "we've", "they're": split off, the pronoun alone is the mention."""
    modifier_adjectives: frozenset[str]
    modifier_suffixes: tuple[str, ...]
    modifier_stops: frozenset[str]
    function_words: frozenset[str]
    months: frozenset[str]
    month_abbreviations: frozenset[str]
    weekdays: frozenset[str]
    deictic_times: frozenset[str]
    periods: frozenset[str]
    period_determiners: frozenset[str]
    time_modifiers: frozenset[str]
    speech_verbs: frozenset[str]
    that_verbs: frozenset[str]
    source_phrases: tuple[str, ...]
    cue_phrases: tuple[str, ...]
    addressed_cues: frozenset[str]
    """Cues whose next mention is the addressee ("told Reuters", "called on Iraq")."""
    """Multi-word speech cues ("called on", "made clear"), preferred over their first word."""
    triggers: dict[str, str]
    """Lower-case trigger word or phrase -> ACE event subtype."""
    role_types: dict[str, tuple[str, ...]]
    subject_roles: frozenset[str]
    either_side_roles: frozenset[str]
    """Object-side roles that may also come before the trigger (an instrument as subject)."""
    role_prepositions: dict[str, frozenset[str]]
    """Roles filled only by a mention after one of these prepositions (Place: in, at; Origin: from)."""
    attribute_words: dict[str, frozenset[str]]
    """Cue words for event attributes: ``negative``, ``irrealis``, ``future``, ``present``."""

    @property
    def common_words(self) -> frozenset[str]:
        """Lower-case words that, capitalised at a sentence start, are not names."""
        return (
            self.function_words
            | frozenset(self.nominals)
            | frozenset(self.pronouns)
            | self.speech_verbs
            | frozenset(self.triggers)
            | self.periods
            | self.deictic_times
        )


def _country_names(aliases: dict[str, list[str]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:  # "Korea, Republic of" is a catalogue form, never news prose
                names[value] = country.alpha_2
    for code, forms in aliases.items():
        for form in forms:
            names[form] = code
    return names


def _demonyms(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, forms in data["adjectives"].items():
        for form in forms:
            out[form] = code
            out[form + "s"] = code  # Iraqis, Americans: the people of that nationality
    for code, forms in data["people"].items():
        for form in forms:
            out[form] = code
    return out


def _triggers(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for subtype, words in data["triggers"].items():
        for word in words:
            if word in out:
                raise NewsbenchError(
                    [
                        Problem(
                            "baselines/data/triggers.json",
                            None,
                            f"$.triggers.{subtype}",
                            f"{word!r} is listed twice",
                        )
                    ]
                )
            out[word] = subtype
    return out


def _by_type(table: dict[str, list[str]]) -> dict[str, str]:
    return {word: etype for etype, words in table.items() for word in words}


@cache
def lexicon() -> Lexicon:
    places = load_data("places.json")
    orgs = load_data("organisations.json")
    people = load_data("people.json")
    nominals = load_data("nominals.json")
    times = load_data("times.json")
    speech = load_data("reporting.json")
    triggers = load_data("triggers.json")
    return Lexicon(
        countries=_country_names(load_data("countries.json")["aliases"]),
        demonyms=_demonyms(load_data("demonyms.json")),
        subdivisions=frozenset(fold(s.name) for s in pycountry.subdivisions),
        cities=frozenset(places["cities"]),
        regions=frozenset(places["regions"]),
        loc_heads=frozenset(places["loc_heads"]),
        fac_heads=frozenset(places["fac_heads"]),
        gpe_heads=frozenset(places["gpe_heads"]),
        org_heads=frozenset(orgs["heads"]),
        org_suffixes=frozenset(orgs["suffixes"]),
        known_orgs=frozenset(orgs["known"]),
        titles=frozenset(people["titles"]),
        roles=frozenset(people["roles"]),
        name_particles=frozenset(people["name_particles"]),
        nominals=_by_type(nominals["nominals"]),
        pronouns={w: tuple(types) for w, types in nominals["pronouns"].items() if not w.startswith("_")},
        clitics=frozenset(nominals["clitics"]),
        modifier_adjectives=frozenset(nominals["modifiers"]["adjectives"]),
        modifier_suffixes=tuple(nominals["modifiers"]["suffixes"]),
        modifier_stops=frozenset(nominals["modifiers"]["stop"]),
        function_words=frozenset(load_data("function_words.json")["words"]),
        months=frozenset(times["months"]),
        month_abbreviations=frozenset(times["month_abbreviations"]),
        weekdays=frozenset(times["weekdays"]),
        deictic_times=frozenset(times["deictic"]),
        periods=frozenset(times["periods"]),
        period_determiners=frozenset(times["period_determiners"]),
        time_modifiers=frozenset(times["modifiers"]),
        speech_verbs=frozenset(speech["verbs"]),
        that_verbs=frozenset(speech["that_verbs"]),
        source_phrases=tuple(speech["source_phrases"]),
        cue_phrases=tuple(speech["phrases"]),
        addressed_cues=frozenset(speech["addressed"]),
        triggers=_triggers(triggers),
        role_types={role: tuple(types) for role, types in triggers["role_types"].items()},
        subject_roles=frozenset(triggers["subject_roles"]),
        either_side_roles=frozenset(triggers["either_side_roles"]),
        role_prepositions={role: frozenset(words) for role, words in triggers["role_prepositions"].items()},
        attribute_words={name: frozenset(words) for name, words in triggers["attributes"].items()},
    )
