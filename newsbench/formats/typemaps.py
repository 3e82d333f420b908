"""Type maps: how a source corpus's labels become newsbench's, read from JSON files in ``schema/typemaps/``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from newsbench.jsonio import read_json
from newsbench.problems import NewsbenchError, Problem


def load_type_map(name_or_path: str) -> dict[str, Any]:
    """A shipped map by bare name (``"gum"``) or any JSON file by path."""
    path = Path(name_or_path)
    if path.suffix != ".json":
        shipped = resources.files("newsbench.schema").joinpath("typemaps", f"{name_or_path}.json")
        if not shipped.is_file():
            raise NewsbenchError(f"no type map named {name_or_path!r} (give a shipped name or a .json path)")
        path = Path(str(shipped))
    data = read_json(path)
    if not isinstance(data, dict):
        raise NewsbenchError([Problem(str(path), None, "$", "a type map must be a JSON object")])
    return data
