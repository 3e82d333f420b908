"""The layout rules of ARCHITECTURE.md that the import contracts do not cover."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("newsbench", "eval", "baselines")
MAX_LINES = 400

MODULES = sorted(p for folder in PACKAGES for p in (ROOT / folder).rglob("*.py"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("init", [p for p in MODULES if p.name == "__init__.py"], ids=_name)
def test_package_init_files_only_re_export(init: Path) -> None:
    tree = ast.parse(init.read_text(encoding="utf-8"))
    for node in tree.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        exports = isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["__all__"]
        assert docstring or exports or isinstance(node, ast.Import | ast.ImportFrom), (
            f"{_name(init)} line {node.lineno}: a package __init__ holds only imports and __all__"
        )


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_no_module_is_longer_than_the_limit(module: Path) -> None:
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_name(module)} has {lines} lines; split it by job"


def test_every_core_module_is_in_a_layer_of_the_import_contract() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    core = {p.stem for p in (ROOT / "newsbench").glob("*.py")} | {
        p.name for p in (ROOT / "newsbench").iterdir() if (p / "__init__.py").exists()
    }
    missing = sorted(
        name
        for name in core - {"__init__"}
        if f'newsbench.{name}"' not in text and f"newsbench.{name} " not in text
    )
    assert missing == []


def test_every_imported_package_is_declared_in_pyproject() -> None:
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    declared = {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}
    distributions = packages_distributions()
    undeclared = set()
    for module in MODULES:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "newsbench":
                    continue
                dists = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not dists & declared:
                    undeclared.add(f"{top} ({_name(module)})")
    assert sorted(undeclared) == []
