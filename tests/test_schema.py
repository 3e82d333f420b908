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
