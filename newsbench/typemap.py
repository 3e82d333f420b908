"""Type maps: how one label set becomes another, in the one format of ``schema/typemap.schema.json``.

Importers read a source corpus's labels through one (``schema/typemaps/gum.json``, ``meantime.json``,
``inception-ner.json``), the spaCy system reads OntoNotes labels through ``ontonotes.json``, and a track's
type file holds two (``entities``, ``events``, checked against the same definition). Every map is checked
against the schema when it is read, so a bad map fails at once with its file and JSON path, not later as a
missing key inside a reader.
"""

from __future__ import annotations

from collections.abc import Collection
from importlib import resources
from pathlib import Path
from typing import Any

from newsbench.jsonio import read_json
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.validate import file_problems

SCHEMA = "typemap.schema.json"


def shipped_names() -> list[str]:
    """The maps shipped in ``schema/typemaps/``, by the bare name that selects them."""
    folder = resources.files("newsbench.schema").joinpath("typemaps")
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def type_map_path(name_or_path: str) -> Path:
    """The file of a shipped map named ``name_or_path`` (``"gum"``), or the ``.json`` path as given."""
    path = Path(name_or_path)
    if path.suffix == ".json":
        return path
    shipped = resources.files("newsbench.schema").joinpath("typemaps", f"{name_or_path}.json")
    if not shipped.is_file():
        known = ", ".join(shipped_names())
        raise NewsbenchError(f"no type map named {name_or_path!r} (shipped: {known}; or give a .json path)")
    return Path(str(shipped))


def load_type_map(name_or_path: str, targets: Collection[str] | None = None) -> dict[str, Any]:
    """A type map's contents, checked against the schema; ``types`` is always there.

    With ``targets`` (the labels the reader of the map knows), a ``types`` or ``demonym_types`` entry that
    maps to anything else is refused at the map's own file and key: otherwise the reader would report the
    mistyped target as an unknown label of the source, blaming a file that is right.
    """
    path = type_map_path(name_or_path)
    data = read_json(path)
    NewsbenchError.collect(file_problems(data, SCHEMA, path))
    if targets is not None:
        NewsbenchError.collect(_bad_targets(data, path, targets))
    return dict(data)


def _bad_targets(data: dict[str, Any], path: Path, targets: Collection[str]) -> list[Problem]:
    entity_types = [t for t in ontology().entity_types if t in targets]
    others = len(targets) - len(entity_types)
    known = f"entity types: {', '.join(entity_types)}" + (
        f"; or one of {others} event types and structural labels" if others else ""
    )
    return [
        Problem(str(path), None, f"$.{key}.{label}", f"{target!r} is not a newsbench type ({known})")
        for key in ("types", "demonym_types")
        for label, target in data.get(key, {}).items()
        if target is not None and target not in targets
    ]


def types(data: dict[str, Any], key: str = "types") -> dict[str, str | None]:
    """One label table of a loaded map (``types`` or ``demonym_types``; empty when the map has none)."""
    return dict(data.get(key, {}))
