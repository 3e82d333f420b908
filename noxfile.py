"""Developer sessions: tests, lint, type checking and benchmarks, each in its own virtual environment."""

from __future__ import annotations

import nox

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


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Speed and memory figures, written to bench-results.json (never asserted in unit tests)."""
    session.install("-e", ".[dev]")
    session.run("python", "tests/perf/run.py", "--out", "bench-results.json", *session.posargs)
