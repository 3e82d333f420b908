"""The label sets, read from ``schema/ontology.schema.json`` (the one place they are written down)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def schema_text(name: str) -> str:
    """The text of a file in ``schema/`` (installed as the ``newsbench.schema`` package data)."""
    return resources.files("newsbench.schema").joinpath(name).read_text(encoding="utf-8")


@cache
def schema_json(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def _consts(node: dict[str, Any]) -> tuple[str, ...]:
    if "enum" in node:
        return tuple(node["enum"])
    return tuple(option["const"] for option in node["oneOf"])


@dataclass(frozen=True)
class Ontology:
    """Entity types, mention kinds, event types with their roles, quote types and event attribute values."""

    entity_types: tuple[str, ...]
    mention_kinds: tuple[str, ...]
    event_roles: dict[str, tuple[str, ...]]
    roles: tuple[str, ...]
    quote_types: tuple[str, ...]
    descriptions: dict[str, str]

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self.event_roles)


@cache
def ontology() -> Ontology:
    defs = schema_json("ontology.schema.json")["$defs"]
    descriptions = {
        option["const"]: option["description"]
        for key in ("entity_type", "mention_kind", "quote_type")
        for option in defs[key]["oneOf"]
    }
    return Ontology(
        entity_types=_consts(defs["entity_type"]),
        mention_kinds=_consts(defs["mention_kind"]),
        event_roles={opt["const"]: tuple(opt["x-roles"]) for opt in defs["event_type"]["oneOf"]},
        roles=_consts(defs["role"]),
        quote_types=_consts(defs["quote_type"]),
        descriptions=descriptions,
    )
