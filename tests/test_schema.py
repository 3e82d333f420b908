"""The published schema files are valid JSON Schema 2020-12 and agree with the ontology the code reads."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from newsbench.ontology import ontology, schema_json
from newsbench.validate import SCHEMA_FILES


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_schema_file_passes_the_2020_12_metaschema(name: str) -> None:
    schema = schema_json(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_ontology_has_the_ace_types_and_33_event_subtypes() -> None:
    onto = ontology()
    assert onto.entity_types == ("PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "TIME")
    assert onto.mention_kinds == ("NAM", "NOM", "PRO")
    assert onto.quote_types == ("direct", "indirect", "mixed")
    assert len(onto.event_types) == 33
    assert all(t.count(".") == 1 for t in onto.event_types)


@pytest.mark.parametrize(
    ("event_type", "role"),
    [
        ("Conflict.Attack", "Attacker"),
        ("Life.Die", "Victim"),
        ("Movement.Transport", "Destination"),
        ("Contact.Meet", "Entity"),
    ],
)
def test_event_roles_follow_ace(event_type: str, role: str) -> None:
    assert role in ontology().event_roles[event_type]


def test_every_role_of_every_event_type_is_in_the_role_enum() -> None:
    onto = ontology()
    used = {r for roles in onto.event_roles.values() for r in roles}
    assert used == set(onto.roles)


def _published_validator() -> Draft202012Validator:
    """The schema exactly as published, references resolved through a registry."""
    from referencing import Registry, Resource

    registry: Registry[object] = Registry()
    for name in SCHEMA_FILES:
        registry = registry.with_resource(name, Resource.from_contents(schema_json(name)))
    return Draft202012Validator(schema_json("document.schema.json"), registry=registry)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((), None),
        (("mentions", 0, "type"), "DATE"),
        (("mentions", 0, "kind"), "NAME"),
        (("events", 0, "type"), "Conflict.Attak"),
        (("events", 0, "arguments", 0, "role"), "Killer"),
        (("quotes", 0, "type"), "reported"),
        (("quotes", 0, "cue"), None),
        (("quotes", 0, "speaker"), 7),
        (("id",), "a/b"),
    ],
)
def test_the_inlined_validator_accepts_exactly_what_the_published_schema_accepts(
    path: tuple[object, ...], value: object
) -> None:
    from docfactory import valid_document

    from newsbench.validate import document_validator

    doc = valid_document()
    if path:
        target = doc
        for key in path[:-1]:
            target = target[key]  # type: ignore[index]
        target[path[-1]] = value  # type: ignore[index]
    published = sorted(str(e.absolute_path) for e in _published_validator().iter_errors(doc))
    inlined = sorted(str(e.absolute_path) for e in document_validator().iter_errors(doc))
    assert inlined == published
