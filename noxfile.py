"""Developer sessions: tests, lint, type checking, benchmarks and mutation testing, each in its own environment."""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

SOURCES = ["newsbench", "eval", "baselines", "tests", "noxfile.py"]
STRICT_EDITABLE = ("-e", ".[dev]", "--config-settings", "editable_mode=strict")
"""An editable install that builds the real import layout (``eval/`` as ``newsbench.eval`` and so on) as a
tree of links, which static tools can read; the default editable mode maps those folders only at import time."""


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on an editable install with the dev extras."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (rules and formatting), and the layer contracts of ARCHITECTURE.md (import-linter)."""
    session.install(*STRICT_EDITABLE)
    session.run("ruff", "check", *SOURCES)
    session.run("ruff", "format", "--check", *SOURCES)
    # Run from outside the source tree, so the package is read from the install's import layout.
    session.chdir(session.create_tmp())
    session.run("lint-imports", str(ROOT / "pyproject.toml"))


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the installed package in its import layout."""
    session.install(*STRICT_EDITABLE)
    session.chdir(session.create_tmp())
    session.run("mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "newsbench", *session.posargs)


FUZZ_TESTS = (
    "tests/test_fuzz_names_and_add.py",
    "tests/test_fuzz_verbs.py",
    "tests/test_crash_safety.py",
    "tests/test_run_crash_safety.py",
    "tests/test_key_stays_home.py",
    "tests/test_schema_equivalence.py",
)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The fuzz and crash tests with a long budget (the default test run keeps a small fixed one): generated
    input for every verb, and kills and races of add and run. ``nox -s fuzz -- 5000 64`` sets the examples per
    fuzz test and the kill trials per crash test; hypothesis prints how many cases each test ran."""
    session.install("-e", ".[dev]")
    session.env["NEWSBENCH_FUZZ_EXAMPLES"] = session.posargs[0] if session.posargs else "2000"
    session.env["NEWSBENCH_CRASH_TRIALS"] = session.posargs[1] if len(session.posargs) > 1 else "32"
    session.run("pytest", "-q", "--hypothesis-show-statistics", "-p", "no:cacheprovider", *FUZZ_TESTS)


@nox.session
def bench(session: nox.Session) -> None:
    """Speed and memory figures, written to bench-results.json (never asserted in unit tests); the dask
    extra is installed so the ``dask`` group has its cluster (it skips, saying why, where Dask is absent)."""
    session.install("-e", ".[dev,dask]")
    session.run("python", "tests/perf/run.py", "--out", "bench-results.json", *session.posargs)


@nox.session
def mutate(session: nox.Session) -> None:
    """A mutation check of the core scorers (``eval/metrics/``) on a temporary copy of the project: each
    mutant is one changed operator or constant; the ones the tests do not notice are listed and written to
    mutation-results.json. Pass module names to choose (default: every module but ``distributed``), e.g.
    ``nox -s mutate -- --modules match counts tally``."""
    session.install("-e", ".[dev]")
    session.run("python", "tests/mutation/run.py", *session.posargs)
