"""Developer sessions: tests, lint, type checking and benchmarks, each in its own virtual environment."""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PACKAGE_DIRS = {"eval": "eval", "baselines": "baselines", "schema": "schema"}

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

SOURCES = ["newsbench", "eval", "baselines", "tests", "noxfile.py"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on an editable install with the dev extras."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)


def _import_tree(tmp: Path) -> Path:
    """The package as Python imports it, built from symlinks.

    ``eval/``, ``baselines/`` and ``schema/`` become ``newsbench.eval`` and so on only through setuptools'
    package-dir mapping, which mypy cannot see; a tree of links gives mypy the real import layout.
    """
    tree = tmp / "typecheck" / "newsbench"
    if tree.exists():
        for link in tree.iterdir():
            link.unlink()
    tree.mkdir(parents=True, exist_ok=True)
    for item in (ROOT / "newsbench").iterdir():
        if item.name != "__pycache__":
            (tree / item.name).symlink_to(item)
    for name, folder in PACKAGE_DIRS.items():
        (tree / name).symlink_to(ROOT / folder)
    return tree


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package in its import layout (see _import_tree)."""
    session.install("-e", ".[dev]")
    tree = _import_tree(Path(session.create_tmp()))
    session.run("mypy", "--config-file", str(ROOT / "pyproject.toml"), str(tree), *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Speed and memory figures, written to bench-results.json (never asserted in unit tests)."""
    session.install("-e", ".[dev]")
    session.run("python", "tests/perf/run.py", "--out", "bench-results.json", *session.posargs)
